# METADATA
# title: Organization lacks an account for an architecture role
# description: |
#   Checks, from the management account's view of the organization, that the
#   organization has at least one account for each workload role of the reference
#   architecture: Production, Shared and Development. Missing roles mean workloads
#   that should be isolated share an account (for example the CI platform running next
#   to production, or SonarQube and Nexus next to business workloads), so a mistake or
#   a compromise in one reaches the other and IAM boundaries do the job accounts
#   should do. Roles come from the account tag or the configuration: an untagged
#   account counts as unassigned, and a partial snapshot (one shard) can show roles
#   as missing.
# custom:
#   id: TOPO002
#   name: role-without-account
#   severity: high
#   roles: [any]
#   services: []
#   precision: medium
#   references:
#     - "Well-Architected SEC01-BP01: Separate workloads using accounts"
#     - "AWS whitepaper Organizing Your AWS Environment Using Multiple Accounts: Workloads OU (production and non-production) and Infrastructure OU (shared services)"
#     - "KubeRocketCI reference architecture: Production, Shared and Development accounts"
#   remediation: |
#     Create the missing accounts in the organization and tag them with their role
#     (`archaudit:role`), then move the workloads that belong to them:
#
#     ```hcl
#     resource "aws_organizations_account" "development" {
#       name      = "krci-development"
#       email     = "aws-development@example.com"
#       parent_id = aws_organizations_organizational_unit.workloads.id
#       tags = {
#         "archaudit:role" = "development"
#       }
#     }
#     ```
package archaudit.rules.role_without_account

import rego.v1

workload_roles := ["production", "shared", "development"]

deny contains finding if {
	is_management_account
	missing := [role |
		some role in workload_roles
		not has_account_with_role(role)
	]
	count(missing) > 0
	finding := {
		"resource": sprintf(
			"arn:aws:organizations::%s:organization/%s",
			[input.org.management_account_id, input.org.id],
		),
		"region": "global",
		"message": sprintf(
			"organization %s has no account with the %s %s (%d accounts read)",
			[input.org.id, join_words(missing), plural("role", count(missing)), count(input.org.accounts)],
		),
	}
}

# The finding is raised once, from the management account's evaluation.
is_management_account if {
	input.org.id
	input.account.id == input.org.management_account_id
}

has_account_with_role(role) if {
	some account in input.org.accounts
	account.role == role
}

plural(word, 1) := word

plural(word, n) := sprintf("%ss", [word]) if n != 1

# "a", "a and b", "a, b and c".
join_words(words) := words[0] if count(words) == 1

join_words(words) := sprintf("%s and %s", [concat(", ", array.slice(words, 0, count(words) - 1)), words[count(words) - 1]]) if {
	count(words) > 1
}
