# METADATA
# title: Terraform state bucket without versioning
# description: |
#   Checks that S3 buckets holding Terraform state (`terraform-states-<account-id>` in
#   the reference, or any bucket whose name contains `terraform-state` or `tfstate`)
#   have versioning Enabled. The state file is the only record of what Terraform
#   manages: without versioning, an overwrite by a bad apply, a concurrent run or a
#   deletion cannot be rolled back, and recovering means re-importing every resource
#   by hand. Suspended versioning counts as disabled.
# custom:
#   id: TF002
#   name: state-bucket-versioning-disabled
#   severity: high
#   roles: [any]
#   services: [s3]
#   precision: very-high
#   references:
#     - "Well-Architected REL09-BP01: Identify and back up all data that needs to be backed up"
#     - "Terraform S3 backend documentation: enable bucket versioning to allow state recovery"
#     - "Security Hub S3.14 / AWS Config S3_BUCKET_VERSIONING_ENABLED"
#     - "Prowler s3_bucket_object_versioning; Steampipe s3_bucket_versioning_enabled; Trivy AWS-0090"
#   remediation: |
#     Enable versioning on the state bucket:
#
#     ```hcl
#     resource "aws_s3_bucket_versioning" "terraform_states" {
#       bucket = aws_s3_bucket.terraform_states.id
#       versioning_configuration {
#         status = "Enabled"
#       }
#     }
#     ```
package archaudit.rules.state_bucket_versioning_disabled

import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	state_bucket(bucket)
	not versioning_enabled(bucket)
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"Terraform state bucket %s is not versioned (versioning %s), so overwritten or deleted state cannot be recovered",
			[bucket.name, versioning_status(bucket)],
		),
	}
}

versioning_enabled(bucket) if bucket.versioning == "Enabled"

versioning_status(bucket) := bucket.versioning if bucket.versioning

versioning_status(bucket) := "never enabled" if not bucket.versioning

# A bucket that holds Terraform state, by the reference's and common naming.
state_bucket(bucket) if bucket.name == sprintf("terraform-states-%s", [input.account.id])

state_bucket(bucket) if startswith(bucket.name, "terraform-states")

state_bucket(bucket) if contains(bucket.name, "tfstate")

state_bucket(bucket) if contains(bucket.name, "terraform-state")
