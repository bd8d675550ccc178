# METADATA
# title: Terraform state bucket without default encryption
# description: |
#   Checks that S3 buckets holding Terraform state have a default server-side
#   encryption configuration (the reference uses SSE-S3, AES256). Terraform state
#   holds every attribute of the managed resources in plain text, including generated
#   passwords, private keys and connection strings, so it must be encrypted at rest.
#   Since January 2023 S3 applies SSE-S3 to new objects of every bucket, so this
#   mostly shows a bucket whose configuration could not be read or was removed, or
#   objects written before that date.
# custom:
#   id: TF003
#   name: state-bucket-not-encrypted
#   severity: medium
#   roles: [any]
#   services: [s3]
#   precision: medium
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "Terraform documentation: Sensitive data in state (store state encrypted at rest)"
#     - "Security Hub S3.4 (retired) / AWS Config S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"
#     - "Prowler s3_bucket_default_encryption; Steampipe s3_bucket_default_encryption_enabled; Trivy AWS-0088"
#   remediation: |
#     Configure default encryption on the state bucket (SSE-S3, or SSE-KMS with a
#     customer managed key to also control who can decrypt state):
#
#     ```hcl
#     resource "aws_s3_bucket_server_side_encryption_configuration" "terraform_states" {
#       bucket = aws_s3_bucket.terraform_states.id
#       rule {
#         apply_server_side_encryption_by_default {
#           sse_algorithm = "AES256"
#         }
#       }
#     }
#     ```
package archaudit.rules.state_bucket_not_encrypted

import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	state_bucket(bucket)
	not bucket.encryption
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"Terraform state bucket %s has no default server-side encryption configured",
			[bucket.name],
		),
	}
}

# A bucket that holds Terraform state, by the reference's and common naming.
state_bucket(bucket) if bucket.name == sprintf("terraform-states-%s", [input.account.id])

state_bucket(bucket) if startswith(bucket.name, "terraform-states")

state_bucket(bucket) if contains(bucket.name, "tfstate")

state_bucket(bucket) if contains(bucket.name, "terraform-state")
