# METADATA
# title: Active IAM access key older than 90 days
# description: |
#   Flags IAM users with an Active access key created more than 90 days before the
#   snapshot. The older a static key, the more places it has been copied to (CI
#   variables, kubeconfigs, laptops, backups) and the longer a leaked copy stays
#   useful. Rotating keys bounds that window; better still, replace them with roles
#   (see IAM001).
#
#   Ages are measured against the snapshot time, so a saved snapshot gives the same
#   result tomorrow. Inactive keys are not flagged.
# custom:
#   id: IAM002
#   name: access-key-not-rotated
#   severity: medium
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC02-BP05: Audit and rotate credentials periodically"
#     - "CIS AWS Foundations Benchmark 1.14: Ensure access keys are rotated every 90 days or less"
#     - "Security Hub IAM.3 / AWS Config ACCESS_KEYS_ROTATED"
#     - "Prowler iam_rotate_access_key_90_days; Steampipe iam_user_access_key_age_90; Trivy AWS-0146"
#   remediation: |
#     Create a second key, switch every consumer to it, deactivate the old key, watch
#     its last-used date, then delete it. In Terraform, replace the key resource:
#
#     ```hcl
#     resource "aws_iam_access_key" "backup" {
#       user = aws_iam_user.backup.name
#       # bump to rotate: terraform creates the new key before destroying the old one
#       lifecycle { create_before_destroy = true }
#     }
#     ```
package archaudit.rules.access_key_not_rotated

import rego.v1

max_age_days := 90

day_ns := ((24 * 60) * 60) * 1000000000

deny contains finding if {
	some user in input.iam.users
	old := old_keys(user)
	count(old) > 0
	finding := {
		"resource": user.arn,
		"region": "global",
		"message": sprintf(
			"IAM user %s has active access key(s) not rotated for more than %d days: %s",
			[user.name, max_age_days, concat(", ", old)],
		),
	}
}

old_keys(user) := sort([desc |
	some key in user.access_keys
	key.status == "Active"
	days := age_days(key.created)
	days > max_age_days
	desc := sprintf("%s (created %s, %d days ago)", [key.id, substring(key.created, 0, 10), days])
])

age_days(ts) := floor((time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(ts)) / day_ns)
