# METADATA
# title: CloudTrail trail without log file validation
# description: |
#   Checks every trail the account owns for log file integrity validation. With
#   validation on, CloudTrail writes a signed digest file every hour, and
#   `aws cloudtrail validate-logs` can show that no log file was changed or deleted after
#   delivery; without it, an intruder with write access to the log bucket can remove the
#   traces of what they did and nobody can tell. Trails of another account (an
#   organization trail seen from a member) are checked in their owner's audit.
# custom:
#   id: CT002
#   name: trail-log-file-validation-disabled
#   severity: medium
#   roles: [any]
#   services: [cloudtrail]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.2: Ensure CloudTrail log file validation is enabled"
#     - "Security Hub CloudTrail.4 / AWS Config CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"
#     - "Prowler cloudtrail_log_file_validation_enabled; Steampipe cloudtrail_trail_validation_enabled; Trivy AWS-0016"
#   remediation: |
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       # ...
#       enable_log_file_validation = true
#     }
#     ```
package archaudit.rules.trail_log_file_validation_disabled

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	not trail.log_file_validation
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf(
			"CloudTrail trail %s (home Region %s) does not validate its log files, so a changed or deleted log file cannot be detected",
			[trail.name, trail.home_region],
		),
	}
}
