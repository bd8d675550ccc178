# METADATA
# title: Active IAM access key unused for more than 45 days
# description: |
#   Flags IAM users with an Active access key whose last use (or, for a key never
#   used, its creation) is more than 45 days before the snapshot. A key nobody uses
#   is pure risk: it grants access if leaked and its loss would not be noticed, since
#   no workload breaks when it is deactivated. Unused keys are usually left over from
#   a migration to roles or from a person who left.
#
#   Ages are measured against the snapshot time. Inactive keys are not flagged.
# custom:
#   id: IAM003
#   name: access-key-unused
#   severity: low
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC03-BP04: Reduce permissions continuously"
#     - "CIS AWS Foundations Benchmark 1.12: Ensure credentials unused for 45 days or greater are disabled"
#     - "Security Hub IAM.22 / AWS Config IAM_USER_UNUSED_CREDENTIALS_CHECK"
#     - "Prowler iam_user_accesskey_unused; Steampipe iam_user_access_key_unused_45; Trivy AWS-0166 (45 days), AWS-0144 (90 days)"
#   remediation: |
#     Deactivate the key, wait to see that nothing breaks, then delete it (and its
#     Terraform resource):
#
#     ```hcl
#     resource "aws_iam_access_key" "legacy" {
#       user   = aws_iam_user.legacy.name
#       status = "Inactive" # then remove the resource entirely
#     }
#     ```
package archaudit.rules.access_key_unused

import rego.v1

max_idle_days := 45

day_ns := ((24 * 60) * 60) * 1000000000

deny contains finding if {
	some user in input.iam.users
	idle := idle_keys(user)
	count(idle) > 0
	finding := {
		"resource": user.arn,
		"region": "global",
		"message": sprintf(
			"IAM user %s has active access key(s) unused for more than %d days: %s",
			[user.name, max_idle_days, concat(", ", idle)],
		),
	}
}

idle_keys(user) := sort([desc |
	some key in user.access_keys
	key.status == "Active"
	days := age_days(last_activity(key))
	days > max_idle_days
	desc := describe(key, days)
])

last_activity(key) := key.last_used

last_activity(key) := key.created if not key.last_used

describe(key, days) := sprintf("%s (last used %s, %d days ago)", [key.id, substring(key.last_used, 0, 10), days]) if {
	key.last_used
}

describe(key, days) := sprintf("%s (never used, created %d days ago)", [key.id, days]) if {
	not key.last_used
}

age_days(ts) := floor((time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(ts)) / day_ns)
