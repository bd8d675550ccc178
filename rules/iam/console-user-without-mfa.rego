# METADATA
# title: IAM user with a console password and no MFA
# description: |
#   Checks every IAM user with a console password (a login profile) for at least one
#   MFA device. A password alone is phished, reused and sprayed; with console access
#   the user has everything their policies allow from any browser. The reference's
#   people sign in through SSO roles; an IAM user with a password is a leftover or a
#   break-glass account, and needs MFA all the more.
#
#   Users without a console password (access keys only) are not flagged here.
# custom:
#   id: IAM013
#   name: console-user-without-mfa
#   severity: high
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC02-BP01: Use strong sign-in mechanisms"
#     - "CIS AWS Foundations 1.10: Ensure MFA is enabled for all IAM users that have a console password"
#     - "Security Hub IAM.5 (and IAM.19) / AWS Config MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"
#     - "Prowler iam_user_mfa_enabled_console_access; Steampipe iam_user_console_access_mfa_enabled; Trivy AWS-0145"
#   remediation: |
#     Register an MFA device for the user (or remove the console password and move the
#     person to IAM Identity Center), and require MFA in policy:
#
#     ```hcl
#     resource "aws_iam_user_login_profile" "this" {
#       # remove the resource to take the console password away
#     }
#     ```
package archaudit.rules.console_user_without_mfa

import rego.v1

deny contains finding if {
	some user in input.iam.users
	user.login_profile
	count(object.get(user, "mfa_devices", [])) == 0
	finding := {
		"resource": user.arn,
		"region": "global",
		"message": sprintf("IAM user %s has a console password (set %s) and no MFA device", [user.name, user.login_profile.created]),
	}
}
