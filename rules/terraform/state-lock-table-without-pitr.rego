# METADATA
# title: Terraform lock table without point-in-time recovery
# description: |
#   Checks that DynamoDB tables used for Terraform state locking (HASH key `LockID` of
#   type string, like the reference's `terraform_locks`) have point-in-time recovery
#   on. Besides locks, the S3 backend keeps each state file's checksum in this table;
#   if the table is deleted or overwritten, runs fail on checksum mismatches or run
#   unlocked once it is recreated. The reference creates the table without PITR. The
#   data is small and can be rebuilt, hence the low severity.
# custom:
#   id: TF007
#   name: state-lock-table-without-pitr
#   severity: low
#   roles: [any]
#   services: [dynamodb]
#   precision: high
#   references:
#     - "Well-Architected REL09-BP01: Identify and back up all data that needs to be backed up"
#     - "Security Hub DynamoDB.2 / AWS Config DYNAMODB_PITR_ENABLED"
#     - "Prowler dynamodb_tables_pitr_enabled; Steampipe dynamodb_table_point_in_time_recovery_enabled; Trivy AWS-0024"
#   remediation: |
#     Turn on point-in-time recovery (and deletion protection) for the lock table:
#
#     ```hcl
#     resource "aws_dynamodb_table" "terraform_locks" {
#       name                        = "terraform_locks"
#       billing_mode                = "PAY_PER_REQUEST"
#       hash_key                    = "LockID"
#       deletion_protection_enabled = true
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
#     ```
package archaudit.rules.state_lock_table_without_pitr

import rego.v1

deny contains finding if {
	some table in input.dynamodb.tables
	lock_table(table)
	not table.point_in_time_recovery
	finding := {
		"resource": table.arn,
		"region": table.region,
		"message": sprintf(
			"Terraform lock table %s has point-in-time recovery disabled",
			[table.name],
		),
	}
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
