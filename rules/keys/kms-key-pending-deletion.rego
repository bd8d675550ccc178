# METADATA
# title: Customer-managed KMS key scheduled for deletion
# description: |
#   Checks for customer-managed keys in `PendingDeletion`. Deleting a key is
#   irreversible: everything it encrypted (EBS volumes and snapshots, RDS storage,
#   secrets, Terraform state, CloudTrail logs) becomes unreadable for good when the
#   waiting period ends. A deletion is often scheduled by a `terraform destroy` of a
#   module someone thought unused; the finding gives the date so the owner can cancel
#   in time. Keys deliberately retired are suppressed with a reason.
# custom:
#   id: KMS003
#   name: kms-key-pending-deletion
#   severity: medium
#   roles: [any]
#   services: [kms]
#   precision: high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "Security Hub KMS.3 / AWS Config -"
#     - "Prowler kms_cmk_not_deleted_unintentionally"
#   remediation: |
#     If the key is still needed, cancel the deletion and enable it again; alarm on
#     `ScheduleKeyDeletion` in CloudTrail, and give keys the longest waiting period:
#
#     ```sh
#     aws kms cancel-key-deletion --key-id <key-id>
#     aws kms enable-key --key-id <key-id>
#     ```
#
#     ```hcl
#     resource "aws_kms_key" "this" {
#       # ...
#       deletion_window_in_days = 30
#     }
#     ```
package archaudit.rules.kms_key_pending_deletion

import rego.v1

deny contains finding if {
	some key in input.kms.keys
	key.state == "PendingDeletion"
	finding := {
		"resource": key.arn,
		"region": key.region,
		"message": sprintf("KMS key %s is scheduled for deletion%s", [display_name(key), when(key)]),
	}
}

when(key) := sprintf(" on %s", [key.deletion_date]) if key.deletion_date

when(key) := "" if not key.deletion_date

display_name(key) := sprintf("%s (%s)", [key.id, concat(", ", key.aliases)]) if count(key.aliases) > 0

display_name(key) := key.id if count(key.aliases) == 0
