# METADATA
# title: The account's root user has no MFA
# description: |
#   Flags accounts whose IAM account summary reports no MFA on the root user
#   (`AccountMFAEnabled` = 0). The root user can do anything, including closing the
#   account and changing its contact details; a password alone (reset through the
#   account's e-mail) then protects it. The management account needs it most.
#
#   Precision is high, not very-high: a member account whose root credentials were
#   removed centrally (Organizations root access management) has no root password and
#   reports no MFA; suppress it with that reason.
# custom:
#   id: IAM012
#   name: root-mfa-disabled
#   severity: critical
#   roles: [any]
#   services: [iam]
#   precision: high
#   references:
#     - "Well-Architected SEC01-BP02: Secure account root user and properties"
#     - "CIS AWS Foundations 1.5: Ensure MFA is enabled for the 'root' user account"
#     - "Security Hub IAM.9 / AWS Config ROOT_ACCOUNT_MFA_ENABLED"
#     - "Prowler iam_root_mfa_enabled; Steampipe iam_root_user_mfa_enabled"
#   remediation: |
#     Sign in as root and register an MFA device (a hardware key or passkey for the
#     management account); for member accounts, consider removing root credentials
#     centrally:
#
#     ```hcl
#     resource "aws_iam_organizations_features" "this" {
#       enabled_features = ["RootCredentialsManagement", "RootSessions"]
#     }
#     ```
package archaudit.rules.root_mfa_disabled

import rego.v1

deny contains finding if {
	input.iam.account_summary.account_mfa_enabled == 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf("root user of account %s (%s) has no MFA device", [input.account.name, input.account.id]),
	}
}
