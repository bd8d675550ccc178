# METADATA
# title: GuardDuty S3 Protection off
# description: |
#   Checks every enabled GuardDuty detector for S3 Protection (`S3_DATA_EVENTS`): GuardDuty
#   then reads S3 data events (which the account's trails rarely record, they are billed
#   per event) and reports unusual reads and deletions: a stolen pipeline role emptying
#   the artifact bucket, a Terraform state bucket read from a new network. Every account
#   of the reference keeps its Terraform state in S3, so every detector is checked.
# custom:
#   id: GD004
#   name: guardduty-s3-protection-disabled
#   severity: medium
#   roles: [any]
#   services: [guardduty]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Security Hub GuardDuty.10 / AWS Config GUARDDUTY_S3_PROTECTION_ENABLED"
#     - "Prowler guardduty_s3_protection_enabled"
#   remediation: |
#     ```hcl
#     resource "aws_guardduty_detector_feature" "s3" {
#       detector_id = aws_guardduty_detector.this.id
#       name        = "S3_DATA_EVENTS"
#       status      = "ENABLED"
#     }
#     ```
package archaudit.rules.guardduty_s3_protection_disabled

import rego.v1

deny contains finding if {
	some detector in input.guardduty.detectors
	detector.status == "ENABLED"
	not detector.features.S3_DATA_EVENTS == "ENABLED"
	finding := {
		"resource": detector.arn,
		"region": detector.region,
		"message": sprintf(
			"GuardDuty detector %s in %s does not watch S3 data events (S3_DATA_EVENTS %s)",
			[detector.id, detector.region, object.get(detector.features, "S3_DATA_EVENTS", "not reported")],
		),
	}
}
