# METADATA
# title: S3 bucket policy makes the bucket public
# description: |
#   Checks every S3 bucket whose policy S3 itself judges public (GetBucketPolicyStatus:
#   the policy grants access to `*` without a condition that pins it to accounts, VPCs,
#   networks or the organization) and whose public policies are not neutralised by a
#   public access block (`restrict_public_buckets` on the bucket or the account). Such a
#   bucket serves its objects, and sometimes uploads, to anyone on the internet. No
#   bucket of the reference is meant to be public: state, logs and artifacts are all
#   private.
#
#   S3's own judgement is used, not a re-implementation of policy evaluation, so
#   conditions such as `aws:SourceVpce` or `aws:PrincipalOrgID` are recognised.
# custom:
#   id: BKT003
#   name: bucket-policy-public
#   severity: critical
#   roles: [any]
#   services: [s3, s3control]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP04: Enforce access control"
#     - "Security Hub S3.2 (public read) and S3.3 (public write) / AWS Config S3_BUCKET_PUBLIC_READ_PROHIBITED"
#     - "Prowler s3_bucket_public_access, s3_bucket_policy_public_write_access; Trivy AWS-0093"
#   remediation: |
#     Pin the policy's principals (or add a condition such as `aws:PrincipalOrgID`), and
#     turn on the public access block so S3 refuses public policies:
#
#     ```hcl
#     resource "aws_s3_bucket_public_access_block" "this" {
#       bucket                  = aws_s3_bucket.this.id
#       block_public_acls       = true
#       ignore_public_acls      = true
#       block_public_policy     = true
#       restrict_public_buckets = true
#     }
#     ```
package archaudit.rules.bucket_policy_public

import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	bucket.policy_is_public == true
	not restricted(bucket)
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("S3 bucket %s has a public bucket policy (S3's policy status) and no public access block restricts it", [bucket.name]),
	}
}

restricted(bucket) if bucket.public_access_block.restrict_public_buckets == true

restricted(_) if account_restrict_public_buckets

# The account-level setting, read once per evaluation rather than once per bucket.
account_restrict_public_buckets if {
	some block in input.s3control.public_access_blocks
	block.restrict_public_buckets == true
}
