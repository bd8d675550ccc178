# METADATA
# title: IAM password policy missing or allowing passwords under 14 characters
# description: |
#   Checks the account password policy for a minimum length of at least 14 characters;
#   an account without a policy gets IAM's default of 8. Length is what makes a
#   password resist guessing and cracking; it matters for every IAM user with a
#   console password (the reference's deployer and break-glass users among them).
# custom:
#   id: IAM009
#   name: password-policy-too-short
#   severity: medium
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC02-BP01: Use strong sign-in mechanisms"
#     - "CIS AWS Foundations 1.8: Ensure IAM password policy requires minimum length of 14 or greater"
#     - "Security Hub IAM.15 (and IAM.7) / AWS Config IAM_PASSWORD_POLICY"
#     - "Prowler iam_password_policy_minimum_length_14; Trivy AWS-0063"
#   remediation: |
#     Set an account password policy (or better, have no IAM users with passwords:
#     sign in through IAM Identity Center):
#
#     ```hcl
#     resource "aws_iam_account_password_policy" "this" {
#       minimum_password_length        = 14
#       require_uppercase_characters   = true
#       require_lowercase_characters   = true
#       require_numbers                = true
#       require_symbols                = true
#       password_reuse_prevention      = 24
#       allow_users_to_change_password = true
#     }
#     ```
package archaudit.rules.password_policy_too_short

import rego.v1

deny contains finding if {
	not input.iam.password_policy
	finding := {
		"resource": sprintf("arn:aws:iam::%s:account-password-policy", [input.account.id]),
		"region": "global",
		"message": sprintf("account %s (%s) has no IAM password policy: passwords of 8 characters are accepted", [input.account.name, input.account.id]),
	}
}

deny contains finding if {
	input.iam.password_policy.minimum_password_length < 14
	finding := {
		"resource": sprintf("arn:aws:iam::%s:account-password-policy", [input.account.id]),
		"region": "global",
		"message": sprintf("account %s (%s) accepts IAM passwords of %d characters (at least 14 expected)", [input.account.name, input.account.id, input.iam.password_policy.minimum_password_length]),
	}
}
