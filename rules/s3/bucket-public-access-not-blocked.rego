# METADATA
# title: S3 bucket without a full public access block at bucket or account level
# description: |
#   Checks every S3 bucket for the four public access block settings (block and ignore
#   public ACLs, block public policies, restrict public buckets), each on either the
#   bucket's own block or the account's. A setting on at neither level leaves the
#   bucket one ACL or policy edit away from being public. An account with a full
#   account-level block passes for all its buckets (that account is then not BKT001's
#   either). Terraform state buckets are TF005's and are not repeated here.
# custom:
#   id: BKT005
#   name: bucket-public-access-not-blocked
#   severity: medium
#   roles: [any]
#   services: [s3, s3control]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP04: Enforce access control"
#     - "Security Hub S3.8 / AWS Config S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"
#     - "Prowler s3_bucket_level_public_access_block; Trivy AWS-0086, AWS-0087, AWS-0091, AWS-0093"
#   remediation: |
#     Block public access on the account (preferred) or on the bucket:
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
package archaudit.rules.bucket_public_access_not_blocked

import rego.v1

block_settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

deny contains finding if {
	some bucket in input.s3.buckets
	not state_bucket(bucket)
	off := [setting |
		some setting in block_settings
		not on_for(bucket, setting)
	]
	count(off) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("S3 bucket %s has %s off at both bucket and account level", [bucket.name, concat(", ", off)]),
	}
}

on_for(bucket, setting) if bucket.public_access_block[setting] == true

on_for(_, setting) if setting in account_on

# The settings on at account level, read once per evaluation rather than once per
# bucket and setting.
account_on contains setting if {
	some block in input.s3control.public_access_blocks
	some setting in block_settings
	block[setting] == true
}

# TF005 judges state buckets (same naming as the terraform rules).
state_bucket(bucket) if startswith(bucket.name, "terraform-states")

state_bucket(bucket) if contains(bucket.name, "tfstate")

state_bucket(bucket) if contains(bucket.name, "terraform-state")
