# METADATA
# title: GuardDuty not enabled in a Region
# description: |
#   Checks every Region read for a GuardDuty detector that is enabled. GuardDuty is
#   the account's threat detection: it reads CloudTrail, VPC flow logs and DNS logs
#   without any agent and reports credential exfiltration, crypto mining, calls from
#   known-bad addresses and reconnaissance. It works per Region, and an intruder picks
#   the Region nobody watches, so each Region needs its own detector (an organization
#   delegated administrator can enable them for every member). A detector that exists
#   but is suspended (`DISABLED`) is reported as well.
# custom:
#   id: GD001
#   name: guardduty-disabled
#   severity: high
#   roles: [any]
#   services: [guardduty]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Well-Architected SEC10-BP06: Pre-deploy tools"
#     - "CIS AWS Foundations 4.15 (v3.0): Ensure GuardDuty is enabled"
#     - "Security Hub GuardDuty.1 / AWS Config GUARDDUTY_ENABLED_CENTRALIZED"
#     - "Prowler guardduty_is_enabled; Steampipe guardduty_enabled; Trivy -"
#   remediation: |
#     Enable GuardDuty for the organization from its delegated administrator (new and
#     existing accounts, every Region), or in the account:
#
#     ```hcl
#     resource "aws_guardduty_detector" "this" {
#       enable = true
#     }
#     ```
package archaudit.rules.guardduty_disabled

import rego.v1

deny contains finding if {
	some region in input.regions
	not region in detector_regions
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": region,
		"message": sprintf("GuardDuty has no detector in %s of account %s (%s)", [region, input.account.name, input.account.id]),
	}
}

deny contains finding if {
	some detector in input.guardduty.detectors
	detector.status != "ENABLED"
	finding := {
		"resource": detector.arn,
		"region": detector.region,
		"message": sprintf("GuardDuty detector %s in %s is suspended (status %s)", [detector.id, detector.region, detector.status]),
	}
}

# The regions with a detector, built once per evaluation rather than scanning every
# detector for each region (linear in the resources read).
detector_regions contains region if {
	some d in input.guardduty.detectors
	region := d.region
}
