# METADATA
# title: Workload account has no EKS cluster
# description: |
#   Checks that each Production, Shared and Development account runs at least one EKS
#   cluster in the regions read. In the reference architecture every workload account
#   hosts its platform on EKS: Shared runs SonarQube, Nexus, Keycloak and Argo CD,
#   Development runs KubeRocketCI and its Tekton pipelines, and Production runs the
#   business workloads the pipelines deploy. An account without a cluster means the
#   platform runs elsewhere (often in another role's account, mixing environments) or
#   the audit read the wrong regions.
# custom:
#   id: TOPO003
#   name: eks-cluster-missing
#   severity: medium
#   roles: [production, shared, development]
#   services: [eks]
#   precision: medium
#   references:
#     - "Well-Architected SEC01-BP01: Separate workloads using accounts"
#     - "EKS Best Practices Guide, Security: Multi-account strategy (one cluster per account and environment)"
#     - "KubeRocketCI reference architecture: an EKS cluster in the Production, Shared and Development accounts"
#   remediation: |
#     Create the account's cluster (the reference builds it with the
#     terraform-aws-modules EKS module from terraform-aws-platform), or add the region
#     it runs in to the audit:
#
#     ```hcl
#     resource "aws_eks_cluster" "development" {
#       name     = "development"
#       version  = "1.34"
#       role_arn = aws_iam_role.eks_cluster.arn
#
#       vpc_config {
#         subnet_ids              = module.vpc.private_subnets
#         endpoint_private_access = true
#         endpoint_public_access  = false
#       }
#
#       enabled_cluster_log_types = ["api", "audit", "authenticator"]
#     }
#     ```
package archaudit.rules.eks_cluster_missing

import rego.v1

deny contains finding if {
	count(input.eks.clusters) == 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no EKS cluster in any region read (%s)",
			[input.account.role, input.account.name, input.account.id, concat(", ", input.regions)],
		),
	}
}
