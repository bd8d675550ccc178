# METADATA
# title: Account-wide CloudTrail trail not delivered to CloudWatch Logs
# description: |
#   Checks that the account's multi-Region and organization trails also deliver to a
#   CloudWatch Logs log group. Log files in S3 arrive in batches and are read after the
#   fact; CloudWatch Logs is where metric filters and alarms on root sign-ins,
#   `StopLogging`, policy changes and failed console logins run within minutes.
#   Single-Region trails (usually kept for data events) are not checked.
# custom:
#   id: CT006
#   name: trail-without-cloudwatch-logs
#   severity: low
#   roles: [any]
#   services: [cloudtrail]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP02: Capture logs, findings, and metrics in standardized locations"
#     - "CIS AWS Foundations 3.4: Ensure CloudTrail trails are integrated with CloudWatch Logs"
#     - "Security Hub CloudTrail.5 / AWS Config CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"
#     - "Prowler cloudtrail_cloudwatch_logging_enabled; Steampipe cloudtrail_trail_integrated_with_logs"
#   remediation: |
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       # ...
#       cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
#       cloud_watch_logs_role_arn  = aws_iam_role.cloudtrail_to_logs.arn
#     }
#     ```
package archaudit.rules.trail_without_cloudwatch_logs

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	account_wide(trail)
	not trail.cloudwatch_logs_log_group_arn
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf("CloudTrail trail %s is not delivered to CloudWatch Logs, so no alarm can watch its events", [trail.name]),
	}
}

account_wide(trail) if trail.multi_region

account_wide(trail) if trail.organization_trail
