# METADATA
# title: EKS cluster without an IAM OIDC provider (IRSA impossible)
# description: |
#   Flags EKS clusters whose OIDC issuer has no matching IAM OIDC identity provider in
#   the account. Without the provider, IAM roles for service accounts cannot work:
#   add-ons such as the EBS CSI driver, vpc-cni, External Secrets, Kaniko and Argo CD
#   then fall back to the node role or to static access keys, both of which grant
#   far more than each workload needs. The reference creates one provider per
#   cluster, with audience `sts.amazonaws.com`.
#
#   Clusters that use EKS Pod Identity for everything still benefit from the provider
#   for add-ons that support only IRSA; the match ignores case.
# custom:
#   id: IAM008
#   name: eks-cluster-without-oidc-provider
#   severity: medium
#   roles: [any]
#   services: [eks, iam]
#   precision: high
#   references:
#     - "Well-Architected SEC03-BP02: Grant least privilege access"
#     - "EKS Best Practices Guide, Identity and Access Management: use IRSA (or EKS Pod Identity) for pods that need AWS access"
#     - "EKS User Guide: Create an IAM OIDC provider for your cluster"
#   remediation: |
#     Create the provider for the cluster's issuer:
#
#     ```hcl
#     data "tls_certificate" "eks" {
#       url = aws_eks_cluster.this.identity[0].oidc[0].issuer
#     }
#
#     resource "aws_iam_openid_connect_provider" "eks" {
#       url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
#       client_id_list  = ["sts.amazonaws.com"]
#       thumbprint_list = [data.tls_certificate.eks.certificates[0].sha1_fingerprint]
#     }
#     ```
#
#     (the terraform-aws-modules/eks module does this with `enable_irsa = true`).
package archaudit.rules.eks_cluster_without_oidc_provider

import rego.v1

deny contains finding if {
	some cluster in input.eks.clusters
	issuer := trim_suffix(trim_prefix(cluster.oidc_issuer, "https://"), "/")
	not provider_exists(issuer)
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf(
			"EKS cluster %s has no IAM OIDC provider for its issuer %s, so IAM roles for service accounts cannot be used",
			[cluster.name, issuer],
		),
	}
}

# The issuer as IAM stores it: without scheme or trailing slash.
issuer_host(url) := lower(trim_suffix(trim_prefix(url, "https://"), "/"))

# The issuers of the account's OIDC providers, built once per evaluation rather than
# scanning every provider for each cluster (linear in the resources read).
provider_issuers contains issuer if {
	some provider in input.iam.oidc_providers
	issuer := issuer_host(provider.url)
}

provider_exists(issuer) if lower(issuer) in provider_issuers
