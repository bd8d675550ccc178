# METADATA
# title: IAM password policy missing or allowing recent passwords to be reused
# description: |
#   Checks the account password policy for password reuse prevention of 24 (the
#   maximum). Without it a user forced to change a leaked password can set it back.
#   An account without a policy prevents no reuse.
# custom:
#   id: IAM010
#   name: password-reuse-allowed
#   severity: medium
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC02-BP01: Use strong sign-in mechanisms"
#     - "CIS AWS Foundations 1.9: Ensure IAM password policy prevents password reuse"
#     - "Security Hub IAM.16 (and IAM.7) / AWS Config IAM_PASSWORD_POLICY"
#     - "Prowler iam_password_policy_reuse_24; Trivy AWS-0056"
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
package archaudit.rules.password_reuse_allowed

import rego.v1

deny contains finding if {
	remembered < 24
	finding := {
		"resource": sprintf("arn:aws:iam::%s:account-password-policy", [input.account.id]),
		"region": "global",
		"message": sprintf("account %s (%s) %s", [input.account.name, input.account.id, why]),
	}
}

remembered := object.get(object.get(input.iam, "password_policy", {}), "password_reuse_prevention", 0)

why := "has no IAM password policy, so passwords can be reused" if not input.iam.password_policy

else := "has an IAM password policy that prevents no password reuse (24 expected)" if remembered == 0

else := sprintf("remembers only %d previous IAM passwords (24 expected)", [remembered])
