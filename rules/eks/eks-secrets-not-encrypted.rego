# METADATA
# title: EKS cluster without KMS envelope encryption of Kubernetes secrets
# description: |
#   Checks that every EKS cluster has an encryption configuration covering the
#   `secrets` resource with a KMS key. Without envelope encryption, Kubernetes Secrets
#   (service account tokens, database passwords synced by External Secrets, TLS keys)
#   are stored in etcd protected only by EBS-level encryption, and anyone who can read
#   an etcd backup can read them. The reference encrypts secrets with a KMS key
#   `alias/eks/<name>`; clusters built from older code often have none. Encryption can be
#   added to an existing cluster but never removed.
# custom:
#   id: EKS002
#   name: eks-secrets-not-encrypted
#   severity: high
#   roles: [any]
#   services: [eks]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "EKS Best Practices Guide, Data Encryption and Secrets Management: Use AWS KMS for envelope encryption of Kubernetes secrets"
#     - "CIS Amazon EKS Benchmark 5.3.1: Ensure Kubernetes Secrets are encrypted using CMKs managed in AWS KMS"
#     - "Security Hub EKS.3 / AWS Config EKS_SECRETS_ENCRYPTED"
#     - "Prowler eks_cluster_kms_cmk_encryption_in_secrets_enabled; Steampipe eks_cluster_secrets_encrypted; Trivy AWS-0039"
#   remediation: |
#     Add a KMS key (with rotation) and enable secrets encryption; existing secrets are
#     re-encrypted by the control plane, the change cannot be undone:
#
#     ```hcl
#     resource "aws_kms_key" "eks" {
#       description         = "EKS ${var.cluster_name} secrets"
#       enable_key_rotation = true
#     }
#
#     resource "aws_eks_cluster" "this" {
#       # ...
#       encryption_config {
#         resources = ["secrets"]
#         provider {
#           key_arn = aws_kms_key.eks.arn
#         }
#       }
#     }
#     ```
package archaudit.rules.eks_secrets_not_encrypted

import rego.v1

deny contains finding if {
	some cluster in input.eks.clusters
	not secrets_encrypted(cluster)
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("EKS cluster %s does not envelope-encrypt Kubernetes secrets with a KMS key", [cluster.name]),
	}
}

secrets_encrypted(cluster) if {
	some config in cluster.encryption
	"secrets" in config.resources
	config.key_arn
}
