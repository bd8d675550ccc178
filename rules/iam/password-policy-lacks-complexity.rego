# METADATA
# title: IAM password policy does not require all four character classes
# description: |
#   Checks that the account password policy requires uppercase and lowercase letters,
#   numbers and symbols. Each class multiplies the space a guesser must cover; CIS and
#   Security Hub ask for all four. An account without a password policy is IAM009's and
#   IAM010's finding and is not repeated here. Severity is low: length (IAM009) and
#   MFA (IAM013) matter more than composition.
# custom:
#   id: IAM011
#   name: password-policy-lacks-complexity
#   severity: low
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC02-BP01: Use strong sign-in mechanisms"
#     - "Security Hub IAM.7 / AWS Config IAM_PASSWORD_POLICY"
#     - "Prowler iam_password_policy_uppercase, iam_password_policy_lowercase, iam_password_policy_number, iam_password_policy_symbol; Trivy AWS-0058, AWS-0059, AWS-0060, AWS-0061"
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
package archaudit.rules.password_policy_lacks_complexity

import rego.v1

classes := {
	"require_uppercase_characters": "uppercase letters",
	"require_lowercase_characters": "lowercase letters",
	"require_numbers": "numbers",
	"require_symbols": "symbols",
}

deny contains finding if {
	policy := input.iam.password_policy
	is_object(policy) # (regorus's RVM does not check an assigned value is defined)
	missing := {name |
		some key, name in classes
		not policy[key] == true
	}
	count(missing) > 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:account-password-policy", [input.account.id]),
		"region": "global",
		"message": sprintf("account %s (%s) has an IAM password policy that does not require %s", [input.account.name, input.account.id, concat(", ", sort(missing))]),
	}
}
