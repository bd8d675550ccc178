# METADATA
# title: ECR repository not encrypted with KMS
# description: |
#   Checks that ECR repositories encrypt images with AWS KMS (encryption type `KMS`)
#   rather than the default S3-managed AES256 keys. With a KMS key, every image pull
#   is authorized by the key policy as well as IAM and is recorded in CloudTrail, and
#   access can be cut off by disabling the key; a customer managed key also lets you
#   control cross-account access for Production. The encryption type is fixed at
#   creation: fixing it means recreating the repository.
# custom:
#   id: ECR004
#   name: ecr-repository-without-kms
#   severity: low
#   roles: [any]
#   services: [ecr]
#   precision: high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "AWS Config ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED (stricter: requires a customer managed key)"
#     - "Trivy AWS-0033"
#   remediation: |
#     Create the repository with KMS encryption (the setting cannot be changed later,
#     so create a new repository and copy the images over):
#
#     ```hcl
#     resource "aws_ecr_repository" "app" {
#       name = "krci/my-service"
#       encryption_configuration {
#         encryption_type = "KMS"
#         kms_key         = aws_kms_key.ecr.arn
#       }
#     }
#     ```
package archaudit.rules.ecr_repository_without_kms

import rego.v1

deny contains finding if {
	some repo in input.ecr.repositories
	repo.encryption_type != "KMS"
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf(
			"ECR repository %s is encrypted with %s, not with an AWS KMS key",
			[repo.name, repo.encryption_type],
		),
	}
}
