# METADATA
# title: S3 account-level public access block missing or incomplete
# description: |
#   Checks the account's S3 public access block (S3 Control) for all four settings:
#   block and ignore public ACLs, block public policies, restrict public buckets. The
#   account-level block applies to every bucket there is and every bucket to come, so
#   one mistaken ACL or policy cannot make data public. The reference sets no public
#   access block at all (not even on its state bucket); none of its buckets needs to
#   be public.
# custom:
#   id: BKT001
#   name: account-public-access-not-blocked
#   severity: high
#   roles: [any]
#   services: [s3control]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP04: Enforce access control"
#     - "CIS AWS Foundations 2.1.4: Ensure that S3 is configured with Block Public Access enabled"
#     - "Security Hub S3.1 / AWS Config S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"
#     - "Prowler s3_account_level_public_access_blocks; Steampipe s3_public_access_block_account"
#   remediation: |
#     Block public access for the whole account:
#
#     ```hcl
#     resource "aws_s3_account_public_access_block" "this" {
#       block_public_acls       = true
#       ignore_public_acls      = true
#       block_public_policy     = true
#       restrict_public_buckets = true
#     }
#     ```
package archaudit.rules.account_public_access_not_blocked

import rego.v1

block_settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

settings_off(block) := [setting |
	some setting in block_settings
	not block[setting] == true
]

deny contains finding if {
	count(input.s3control.public_access_blocks) == 0
	finding := {
		"resource": sprintf("arn:aws:s3::%s:account-public-access-block", [input.account.id]),
		"region": "global",
		"message": sprintf("account %s (%s) has no S3 account-level public access block", [input.account.name, input.account.id]),
	}
}

deny contains finding if {
	some block in input.s3control.public_access_blocks
	off := settings_off(block)
	count(off) > 0
	finding := {
		"resource": block.arn,
		"region": "global",
		"message": sprintf(
			"account %s (%s) has an S3 account-level public access block with %s turned off",
			[input.account.name, input.account.id, concat(", ", off)],
		),
	}
}
