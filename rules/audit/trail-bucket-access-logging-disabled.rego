# METADATA
# title: CloudTrail log bucket without server access logging
# description: |
#   Checks that the S3 bucket each of the account's trails delivers to (when it is in
#   the same account) has server access logging on. CloudTrail records API calls on
#   the bucket only as data events, which trails rarely enable; access logs show who
#   read or deleted log files. A bucket whose logging setting could not be read is
#   not reported.
# custom:
#   id: CT009
#   name: trail-bucket-access-logging-disabled
#   severity: low
#   roles: [any]
#   services: [cloudtrail, s3]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.6: Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket"
#     - "Security Hub CloudTrail.7 / AWS Config S3_BUCKET_LOGGING_ENABLED"
#     - "Prowler cloudtrail_logs_s3_bucket_access_logging_enabled; Steampipe cloudtrail_s3_logging_enabled"
#   remediation: |
#     ```hcl
#     resource "aws_s3_bucket_logging" "cloudtrail" {
#       bucket        = aws_s3_bucket.cloudtrail.id
#       target_bucket = aws_s3_bucket.access_logs.id
#       target_prefix = "cloudtrail/"
#     }
#     ```
package archaudit.rules.trail_bucket_access_logging_disabled

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	bucket.logging_enabled == false
	names := trail_names[bucket.name]
	count(names) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"S3 bucket %s, which receives the log files of CloudTrail %s, has no server access logging",
			[bucket.name, concat(", ", sort(names))],
		),
	}
}

# The trails delivering to each bucket, by bucket name: built once per evaluation
# rather than scanning every trail for each bucket (linear in the resources read).
# Grouped from (bucket, trail) pairs, not as `trail_names[bucket] contains name`, so
# that the rule runs on regorus's RVM, which cannot evaluate that form.
trail_names := lib.grouped(bucket_trails)

bucket_trails contains [bucket, name] if {
	some trail in input.cloudtrail.trails
	bucket := trail.s3_bucket
	name := trail.name
}
