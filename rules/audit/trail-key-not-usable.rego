# METADATA
# title: CloudTrail trail encrypted with a KMS key that is disabled or pending deletion
# description: |
#   Checks the KMS key of every trail the account owns, when the key is in the same
#   account and Region: a key that is disabled or scheduled for deletion cannot encrypt,
#   so CloudTrail stops delivering log files, and once the key is deleted the log files
#   already written can never be read again. Keys of other accounts or Regions are not
#   visible here and not reported. No peer tool checks the pair.
# custom:
#   id: CT010
#   name: trail-key-not-usable
#   severity: critical
#   roles: [any]
#   services: [cloudtrail, kms]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "Security Hub KMS.3 / Prowler kms_cmk_not_deleted_unintentionally (for the key alone)"
#   remediation: |
#     Cancel the deletion or enable the key again, then check the trail's status for a
#     delivery error:
#
#     ```sh
#     aws kms cancel-key-deletion --key-id <key-id>
#     aws kms enable-key --key-id <key-id>
#     aws cloudtrail get-trail-status --name <trail> --query LatestDeliveryError
#     ```
package archaudit.rules.trail_key_not_usable

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	some i in keys_by_name[trail.kms_key_id]
	key := input.kms.keys[i]
	key.state in {"Disabled", "PendingDeletion"}
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf(
			"CloudTrail trail %s encrypts its log files with KMS key %s, which is %s",
			[trail.name, key.id, state_text(key)],
		),
	}
}

# The positions of the keys in input.kms.keys by the names a trail may give them:
# the key ARN, or an alias ARN of it. Built once per evaluation rather than matching
# every key against each trail (linear in the resources read). Grouped from sorted
# (name, position) pairs, not written `keys_by_name[name] contains key`, so that the
# rule runs on regorus's RVM, which cannot evaluate that form.
keys_by_name := lib.grouped(key_names)

key_names contains [arn, i] if {
	some i, key in input.kms.keys
	arn := key.arn
}

key_names contains [alias_arn, i] if {
	some i, key in input.kms.keys
	some alias in key.aliases
	alias_arn := sprintf("arn:aws:kms:%s:%s:%s", [key.region, input.account.id, alias])
}

state_text(key) := "disabled" if key.state == "Disabled"

state_text(key) := sprintf("pending deletion (deleted on %s)", [key.deletion_date]) if {
	key.state == "PendingDeletion"
	key.deletion_date
}

state_text(key) := "pending deletion" if {
	key.state == "PendingDeletion"
	not key.deletion_date
}
