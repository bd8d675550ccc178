# METADATA
# title: No multi-Region or organization CloudTrail trail logging the account
# description: |
#   Checks that every account is logged by at least one CloudTrail trail that covers all
#   its Regions: a multi-Region trail of its own, or an organization trail of the
#   management account. Without one, API activity in the account (who changed a security
#   group, who assumed the deployer role, who deleted a key) is kept only for 90 days in
#   the event history of each Region, and nothing is delivered to a bucket where it can
#   be kept, searched or alerted on. A trail of the account's own that exists but is not
#   logging does not count (CT004 reports it too). An organization trail of
#   another account counts when the account can see it: whether it is logging is read in
#   the management account's audit.
# custom:
#   id: CT001
#   name: trail-missing
#   severity: high
#   roles: [any]
#   services: [cloudtrail]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.1: Ensure CloudTrail is enabled in all regions"
#     - "Security Hub CloudTrail.1, CloudTrail.3 / AWS Config MULTI_REGION_CLOUD_TRAIL_ENABLED"
#     - "Prowler cloudtrail_multi_region_enabled; Steampipe cloudtrail_multi_region_trail_enabled; Trivy AWS-0014"
#   remediation: |
#     Create an organization trail in the management account (or a multi-Region trail in
#     the account) and start logging:
#
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       name                          = "organization-trail"
#       s3_bucket_name                = aws_s3_bucket.cloudtrail.id
#       is_multi_region_trail         = true
#       is_organization_trail         = true
#       include_global_service_events = true
#       enable_log_file_validation    = true
#       kms_key_id                    = aws_kms_key.cloudtrail.arn
#     }
#     ```
package archaudit.rules.trail_missing

import rego.v1

deny contains finding if {
	not some_trail_covers_account
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no multi-Region or organization CloudTrail trail that is logging%s",
			[input.account.role, input.account.name, input.account.id, others],
		),
	}
}

some_trail_covers_account if {
	some trail in input.cloudtrail.trails
	all_regions(trail)
	not trail.logging == false
}

all_regions(trail) if trail.multi_region

all_regions(trail) if trail.organization_trail

others := "" if count(input.cloudtrail.trails) == 0

others := sprintf(" (trails read: %s)", [concat(", ", sort(described))]) if {
	count(input.cloudtrail.trails) > 0
}

described := [sprintf("%s %s", [trail.name, kind(trail)]) |
	some trail in input.cloudtrail.trails
]

kind(trail) := "single-Region" if not all_regions(trail)

kind(trail) := "not logging" if {
	all_regions(trail)
	trail.logging == false
}
