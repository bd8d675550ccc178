# METADATA
# title: S3 bucket without a default encryption configuration
# description: |
#   Checks every S3 bucket for a default server-side encryption configuration. AWS has
#   applied SSE-S3 to every bucket since January 2023, so a bucket without one is an S3
#   compatible endpoint or a configuration that was removed; objects written there may
#   be stored in plain text. The reference's state bucket sets SSE-S3 (AES256)
#   explicitly, and every bucket should say what it uses.
#
#   Buckets whose encryption could not be read are coverage gaps, not findings.
# custom:
#   id: BKT002
#   name: bucket-without-default-encryption
#   severity: medium
#   roles: [any]
#   services: [s3]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "CIS AWS Foundations 2.1.1 (v1.4): Ensure all S3 buckets employ encryption-at-rest"
#     - "Security Hub S3.4 (retired after S3's default encryption) / AWS Config S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"
#     - "Prowler s3_bucket_default_encryption; Trivy AWS-0088"
#   remediation: |
#     Set default encryption (SSE-KMS with a bucket key for sensitive data):
#
#     ```hcl
#     resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
#       bucket = aws_s3_bucket.this.id
#       rule {
#         apply_server_side_encryption_by_default {
#           sse_algorithm = "aws:kms"
#         }
#         bucket_key_enabled = true
#       }
#     }
#     ```
package archaudit.rules.bucket_without_default_encryption

import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	not bucket.encryption
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("S3 bucket %s has no default encryption configuration", [bucket.name]),
	}
}
