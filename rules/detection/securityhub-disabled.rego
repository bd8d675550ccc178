# METADATA
# title: Security Hub not enabled in a Region
# description: |
#   Checks every Region read for Security Hub. It runs the AWS Foundational Security
#   Best Practices controls continuously and gathers GuardDuty, Inspector, IAM Access
#   Analyzer and Config findings in one place, per Region; in an organization the
#   delegated administrator aggregates them. A Region without a hub has no continuous
#   posture check between two audits.
# custom:
#   id: SH001
#   name: securityhub-disabled
#   severity: medium
#   roles: [any]
#   services: [securityhub]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP03: Correlate and enrich security alerts"
#     - "CIS AWS Foundations 4.16 (v3.0): Ensure AWS Security Hub is enabled"
#     - "AWS Config SECURITYHUB_ENABLED"
#     - "Prowler securityhub_enabled; Steampipe securityhub_enabled_all_regions"
#   remediation: |
#     Enable it for the organization from the delegated administrator (central
#     configuration), or in the account:
#
#     ```hcl
#     resource "aws_securityhub_account" "this" {
#       enable_default_standards = true
#     }
#     ```
package archaudit.rules.securityhub_disabled

import rego.v1

deny contains finding if {
	some region in input.regions
	not region in hub_regions
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": region,
		"message": sprintf("Security Hub is not enabled in %s of account %s (%s)", [region, input.account.name, input.account.id]),
	}
}

# The regions with a hub, built once per evaluation rather than scanning every hub
# for each region (linear in the resources read).
hub_regions contains region if {
	some h in input.securityhub.hubs
	region := h.region
}
