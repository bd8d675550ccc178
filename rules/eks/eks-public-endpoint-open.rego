# METADATA
# title: EKS cluster API endpoint publicly reachable from anywhere
# description: |
#   Checks every EKS cluster whose public API endpoint is enabled and whose allowed
#   public CIDRs are empty or include 0.0.0.0/0 (the AWS default). The Kubernetes API
#   server is then reachable from the whole internet, so any leaked kubeconfig, token or
#   API server vulnerability is exploitable from anywhere. The reference deployment
#   leaves the endpoint open; the EKS Best Practices Guide recommends a private endpoint,
#   or a public one restricted to known egress ranges (office, VPN, CI runners).
#
#   Clusters with public access disabled, or restricted to specific CIDRs, are not flagged.
# custom:
#   id: EKS001
#   name: eks-public-endpoint-open
#   severity: high
#   roles: [any]
#   services: [eks]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "EKS Best Practices Guide, Identity and Access Management: Make the EKS Cluster Endpoint private"
#     - "CIS Amazon EKS Benchmark 5.4.1: Restrict Access to the Control Plane Endpoint"
#     - "Security Hub EKS.1 / AWS Config EKS_ENDPOINT_NO_PUBLIC_ACCESS"
#     - "Prowler eks_cluster_not_publicly_accessible; Steampipe eks_cluster_endpoint_restrict_public_access; Trivy AWS-0040"
#   remediation: |
#     Turn the public endpoint off (reach the API through the VPC, e.g. over the Client
#     VPN), or restrict it to known egress CIDRs:
#
#     ```hcl
#     resource "aws_eks_cluster" "this" {
#       # ...
#       vpc_config {
#         subnet_ids              = var.private_subnet_ids
#         endpoint_private_access = true
#         endpoint_public_access  = true
#         public_access_cidrs     = ["198.51.100.0/24"] # VPN / office egress only
#       }
#     }
#     ```
#
#     With terraform-aws-modules/eks: `cluster_endpoint_public_access_cidrs`.
package archaudit.rules.eks_public_endpoint_open

import rego.v1

deny contains finding if {
	some cluster in input.eks.clusters
	cluster.endpoint_public_access
	open_to_world(cluster)
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("EKS cluster %s has its public API endpoint open to 0.0.0.0/0 (%s)", [cluster.name, cidr_description(cluster)]),
	}
}

# No CIDR list means the AWS default, 0.0.0.0/0.
open_to_world(cluster) if count(cluster.public_access_cidrs) == 0

open_to_world(cluster) if "0.0.0.0/0" in cluster.public_access_cidrs

cidr_description(cluster) := "no public access CIDRs set, so the AWS default applies" if count(cluster.public_access_cidrs) == 0

cidr_description(cluster) := sprintf("public access CIDRs: %s", [concat(", ", cluster.public_access_cidrs)]) if {
	count(cluster.public_access_cidrs) > 0
}
