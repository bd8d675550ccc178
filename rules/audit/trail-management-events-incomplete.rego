# METADATA
# title: Account-wide CloudTrail trail does not record all management events
# description: |
#   Checks that each multi-Region or organization trail the account owns records both
#   read and write management events. A trail left at `WriteOnly` misses reconnaissance
#   (`List*`, `Describe*`, `GetCallerIdentity` by a stolen key); `ReadOnly`, `None` or
#   advanced selectors that keep only some event sources miss the changes themselves.
#   Reported with what the selectors record.
# custom:
#   id: CT007
#   name: trail-management-events-incomplete
#   severity: medium
#   roles: [any]
#   services: [cloudtrail]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.1: Ensure CloudTrail is enabled in all regions (read and write management events)"
#     - "Security Hub CloudTrail.1 / AWS Config MULTI_REGION_CLOUD_TRAIL_ENABLED (readWriteType ALL)"
#     - "Prowler cloudtrail_multi_region_enabled_logging_management_events"
#   remediation: |
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       # ...
#       event_selector {
#         read_write_type           = "All"
#         include_management_events = true
#       }
#     }
#     ```
package archaudit.rules.trail_management_events_incomplete

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	account_wide(trail)
	trail.management_events
	trail.management_events != "All"
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf("CloudTrail trail %s records management events %s, not read and write", [trail.name, recorded(trail.management_events)]),
	}
}

account_wide(trail) if trail.multi_region

account_wide(trail) if trail.organization_trail

recorded("None") := "none at all"

recorded("ReadOnly") := "read-only"

recorded("WriteOnly") := "write-only"

recorded("Partial") := "of some event sources or names only"
