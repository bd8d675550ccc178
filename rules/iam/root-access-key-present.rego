# METADATA
# title: The account's root user has an access key
# description: |
#   Flags accounts whose IAM account summary reports root user access keys
#   (`AccountAccessKeysPresent` > 0). The root user cannot be restricted by IAM
#   policies (only by SCPs in member accounts), so a root access key is a permanent,
#   unrestricted credential to the whole account: a leak means full compromise,
#   including the ability to close the account. No tool of the reference
#   architecture needs one.
# custom:
#   id: IAM004
#   name: root-access-key-present
#   severity: critical
#   roles: [any]
#   services: [iam]
#   precision: very-high
#   references:
#     - "Well-Architected SEC01-BP02: Secure account root user and properties"
#     - "CIS AWS Foundations Benchmark 1.4: Ensure no 'root' user account access key exists"
#     - "Security Hub IAM.4 / AWS Config IAM_ROOT_ACCESS_KEY_CHECK"
#     - "Prowler iam_no_root_access_key; Steampipe iam_root_user_no_access_keys; Trivy AWS-0141"
#   remediation: |
#     Sign in as root, delete the key under Security credentials, and keep root keys
#     from coming back. For member accounts, Organizations can remove root
#     credentials centrally and an SCP can deny root actions:
#
#     ```hcl
#     resource "aws_organizations_policy" "deny_root" {
#       name = "deny-root-user"
#       type = "SERVICE_CONTROL_POLICY"
#       content = jsonencode({
#         Version = "2012-10-17"
#         Statement = [{
#           Effect    = "Deny"
#           Action    = "*"
#           Resource  = "*"
#           Condition = { StringLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
#         }]
#       })
#     }
#     ```
package archaudit.rules.root_access_key_present

import rego.v1

deny contains finding if {
	input.iam.account_summary.account_access_keys_present > 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"root user of account %s (%s) has an access key; root MFA is %s",
			[input.account.name, input.account.id, mfa_state],
		),
	}
}

mfa_state := "enabled" if input.iam.account_summary.account_mfa_enabled > 0

else := "not enabled"
