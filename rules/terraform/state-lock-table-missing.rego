# METADATA
# title: No DynamoDB table for Terraform state locking
# description: |
#   Checks that each Production, Shared and Development account has a DynamoDB table
#   usable for Terraform S3-backend state locking: a table whose HASH key is `LockID`
#   of type string (the reference's `terraform_locks`). Without a lock, two concurrent
#   `terraform apply` runs (a pipeline and an engineer, or two pipelines) can both
#   write the state and corrupt it or leave resources unmanaged.
#
#   Terraform 1.10+ can lock with a lock file in the state bucket instead
#   (`use_lockfile = true`), which this snapshot cannot see: an account that has moved
#   to S3 native locking is a false positive here.
# custom:
#   id: TF006
#   name: state-lock-table-missing
#   severity: high
#   roles: [production, shared, development]
#   services: [dynamodb]
#   precision: medium
#   references:
#     - "Well-Architected OPS05-BP03: Use configuration management systems"
#     - "Terraform S3 backend documentation: State locking (dynamodb_table / use_lockfile)"
#     - "KubeRocketCI reference architecture: DynamoDB table terraform_locks with hash key LockID (S) in every account"
#   remediation: |
#     Create the lock table and point the backend at it (or, on Terraform 1.10+, set
#     `use_lockfile = true` in the S3 backend instead):
#
#     ```hcl
#     resource "aws_dynamodb_table" "terraform_locks" {
#       name         = "terraform_locks"
#       billing_mode = "PAY_PER_REQUEST"
#       hash_key     = "LockID"
#
#       attribute {
#         name = "LockID"
#         type = "S"
#       }
#
#       point_in_time_recovery {
#         enabled = true
#       }
#     }
#
#     # backend "s3" { ... dynamodb_table = "terraform_locks" }
#     ```
package archaudit.rules.state_lock_table_missing

import rego.v1

deny contains finding if {
	not has_lock_table
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no DynamoDB table with a string hash key LockID for Terraform state locking in any region read (%s)",
			[input.account.role, input.account.name, input.account.id, concat(", ", input.regions)],
		),
	}
}

has_lock_table if {
	some table in input.dynamodb.tables
	lock_table(table)
}

# A table the Terraform S3 backend can lock with: HASH key LockID of type S.
lock_table(table) if {
	some key in table.key_schema
	key.key_type == "HASH"
	key.attribute_name == "LockID"
	some attribute in table.attribute_definitions
	attribute.attribute_name == "LockID"
	attribute.attribute_type == "S"
}
