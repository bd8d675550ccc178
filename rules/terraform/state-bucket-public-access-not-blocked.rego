# METADATA
# title: Terraform state bucket without a full public access block
# description: |
#   Checks that S3 buckets holding Terraform state have a bucket-level public access
#   block with all four settings on (block and ignore public ACLs, block public
#   policies, restrict public buckets). State holds the secrets of every managed
#   resource in plain text; the block is the guard rail that keeps a mistaken ACL or
#   policy from exposing it. The reference sets no public access block on its state
#   bucket. An account-level S3 public access block (not in the snapshot) gives the
#   same protection, so an account that has one may see this as noise.
# custom:
#   id: TF005
#   name: state-bucket-public-access-not-blocked
#   severity: medium
#   roles: [any]
#   services: [s3]
#   precision: medium
#   references:
#     - "Well-Architected SEC03-BP07: Analyze public and cross-account access"
#     - "CIS AWS Foundations Benchmark 2.1.4: Ensure that S3 is configured with Block Public Access enabled"
#     - "Security Hub S3.8 / AWS Config S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"
#     - "Prowler s3_bucket_level_public_access_block; Trivy AWS-0086, AWS-0087, AWS-0091, AWS-0093, AWS-0094"
#   remediation: |
#     Block all public access on the state bucket:
#
#     ```hcl
#     resource "aws_s3_bucket_public_access_block" "terraform_states" {
#       bucket                  = aws_s3_bucket.terraform_states.id
#       block_public_acls       = true
#       ignore_public_acls      = true
#       block_public_policy     = true
#       restrict_public_buckets = true
#     }
#     ```
package archaudit.rules.state_bucket_public_access_not_blocked

import rego.v1

block_settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

deny contains finding if {
	some bucket in input.s3.buckets
	state_bucket(bucket)
	not bucket.public_access_block
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("Terraform state bucket %s has no public access block", [bucket.name]),
	}
}

deny contains finding if {
	some bucket in input.s3.buckets
	state_bucket(bucket)
	bucket.public_access_block
	off := settings_off(bucket.public_access_block)
	count(off) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"Terraform state bucket %s has a public access block with %s turned off",
			[bucket.name, concat(", ", off)],
		),
	}
}

settings_off(block) := [setting |
	some setting in block_settings
	not block[setting] == true
]

# A bucket that holds Terraform state, by the reference's and common naming.
state_bucket(bucket) if bucket.name == sprintf("terraform-states-%s", [input.account.id])

state_bucket(bucket) if startswith(bucket.name, "terraform-states")

state_bucket(bucket) if contains(bucket.name, "tfstate")

state_bucket(bucket) if contains(bucket.name, "terraform-state")
