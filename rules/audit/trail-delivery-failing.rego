# METADATA
# title: CloudTrail trail cannot deliver its log files
# description: |
#   Checks every trail the account owns for a delivery error on its last attempt to write
#   log files to its bucket (`LatestDeliveryError` of GetTrailStatus): usually the bucket
#   policy no longer lets CloudTrail write, the bucket was deleted, or the KMS key policy
#   no longer lets CloudTrail encrypt. The trail still says it is logging, yet no event
#   reaches the bucket. No peer tool checks this.
# custom:
#   id: CT008
#   name: trail-delivery-failing
#   severity: high
#   roles: [any]
#   services: [cloudtrail]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "AWS CloudTrail User Guide: GetTrailStatus LatestDeliveryError (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html)"
#   remediation: |
#     Read the error: `AccessDenied` means the bucket policy must grant
#     `cloudtrail.amazonaws.com` `s3:PutObject` on `AWSLogs/<account-id>/*` (with
#     `aws:SourceArn` of the trail); `NoSuchBucket`, that the bucket was deleted;
#     `KMS.*`, that the key policy or key state blocks encryption. The bucket policy
#     statement CloudTrail needs:
#
#     ```json
#     {
#       "Sid": "AWSCloudTrailWrite",
#       "Effect": "Allow",
#       "Principal": {"Service": "cloudtrail.amazonaws.com"},
#       "Action": "s3:PutObject",
#       "Resource": "arn:aws:s3:::<bucket>/AWSLogs/<account-id>/*",
#       "Condition": {
#         "StringEquals": {
#           "s3:x-amz-acl": "bucket-owner-full-control",
#           "aws:SourceArn": "arn:aws:cloudtrail:<region>:<account-id>:trail/<trail>"
#         }
#       }
#     }
#     ```
package archaudit.rules.trail_delivery_failing

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	trail.latest_delivery_error
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf(
			"CloudTrail trail %s failed its last delivery to S3 bucket %s: %s",
			[trail.name, object.get(trail, "s3_bucket", "(none)"), trail.latest_delivery_error],
		),
	}
}
