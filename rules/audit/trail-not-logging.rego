# METADATA
# title: CloudTrail trail not logging
# description: |
#   Checks every trail the account owns for logging being on (GetTrailStatus). A trail
#   whose logging was stopped still exists and looks configured, which is why stopping
#   it is a common first step of an intruder (`cloudtrail:StopLogging`): from then on
#   nothing is delivered. Trails of another account are checked in their owner's audit,
#   which is the only one that can read their status.
# custom:
#   id: CT004
#   name: trail-not-logging
#   severity: high
#   roles: [any]
#   services: [cloudtrail]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.1: Ensure CloudTrail is enabled in all regions"
#     - "Security Hub CloudTrail.3 / AWS Config CLOUDTRAIL_ENABLED"
#     - "Prowler cloudtrail_multi_region_enabled (requires IsLogging); Steampipe cloudtrail_trail_enabled"
#   remediation: |
#     Start logging again, find out who stopped it (the `StopLogging` event is in the
#     Region's event history), and deny `cloudtrail:StopLogging` and
#     `cloudtrail:DeleteTrail` with a service control policy:
#
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       # ...
#       enable_logging = true
#     }
#     ```
package archaudit.rules.trail_not_logging

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	trail.logging == false
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf("CloudTrail trail %s exists but is not logging: no API activity is delivered", [trail.name]),
	}
}
