# METADATA
# title: CloudTrail trail not encrypted with a KMS key
# description: |
#   Checks every trail the account owns for SSE-KMS encryption of its log files. Without
#   a KMS key, log files are encrypted with S3-managed keys only, so anyone who may read
#   the bucket reads the whole API history of the account; with a customer-managed key,
#   reading also needs `kms:Decrypt` on the key, whose policy the security team keeps,
#   and every decryption is itself logged. Trails of another account are checked in their
#   owner's audit.
# custom:
#   id: CT003
#   name: trail-not-encrypted-with-kms
#   severity: medium
#   roles: [any]
#   services: [cloudtrail]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "CIS AWS Foundations 3.5: Ensure CloudTrail logs are encrypted at rest using KMS CMKs"
#     - "Security Hub CloudTrail.2 / AWS Config CLOUD_TRAIL_ENCRYPTION_ENABLED"
#     - "Prowler cloudtrail_kms_encryption_enabled; Steampipe cloudtrail_trail_logs_encrypted_with_kms_cmk; Trivy AWS-0015"
#   remediation: |
#     Create a key whose policy lets CloudTrail encrypt (`cloudtrail.amazonaws.com`,
#     `kms:GenerateDataKey*` with the `aws:SourceArn` of the trail) and point the trail at it:
#
#     ```hcl
#     resource "aws_cloudtrail" "organization" {
#       # ...
#       kms_key_id = aws_kms_key.cloudtrail.arn
#     }
#     ```
package archaudit.rules.trail_not_encrypted_with_kms

import rego.v1

deny contains finding if {
	some trail in input.cloudtrail.trails
	split(trail.arn, ":")[4] == input.account.id
	not trail.kms_key_id
	finding := {
		"resource": trail.arn,
		"region": trail.region,
		"message": sprintf(
			"CloudTrail trail %s delivers its log files to %s encrypted with S3-managed keys only, not a KMS key",
			[trail.name, object.get(trail, "s3_bucket", "its bucket")],
		),
	}
}
