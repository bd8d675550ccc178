# METADATA
# title: S3 bucket ACL grants access to everyone or to any AWS user
# description: |
#   Checks every S3 bucket's ACL for a grant to the `AllUsers` group (anyone) or the
#   `AuthenticatedUsers` group (anyone with any AWS account), unless a public access
#   block ignores public ACLs (`ignore_public_acls` on the bucket or the account). READ
#   lists the bucket, WRITE lets anyone upload (and overwrite), READ_ACP / WRITE_ACP
#   expose or take over the ACL itself. ACLs are a legacy mechanism the reference does
#   not use (its buckets keep the owner-enforced default).
# custom:
#   id: BKT004
#   name: bucket-acl-public
#   severity: critical
#   roles: [any]
#   services: [s3, s3control]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP04: Enforce access control"
#     - "Security Hub S3.2, S3.3 and S3.12 (ACLs should not be used) / AWS Config S3_BUCKET_PUBLIC_WRITE_PROHIBITED"
#     - "Prowler s3_bucket_public_access, s3_bucket_public_list_acl, s3_bucket_public_write_acl, s3_bucket_acl_prohibited"
#   remediation: |
#     Disable ACLs (the owner owns every object) and block public access:
#
#     ```hcl
#     resource "aws_s3_bucket_ownership_controls" "this" {
#       bucket = aws_s3_bucket.this.id
#       rule {
#         object_ownership = "BucketOwnerEnforced"
#       }
#     }
#     ```
package archaudit.rules.bucket_acl_public

import rego.v1

public_groups := {
	"http://acs.amazonaws.com/groups/global/AllUsers": "everyone",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "any AWS user",
}

deny contains finding if {
	some bucket in input.s3.buckets
	not ignored(bucket)
	grants := {sprintf("%s to %s", [grant.permission, public_groups[grant.grantee]]) |
		some grant in bucket.acl_grants
		grant.grantee_type == "Group"
		public_groups[grant.grantee]
	}
	count(grants) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("S3 bucket %s has a public ACL: %s", [bucket.name, concat(", ", sort(grants))]),
	}
}

ignored(bucket) if bucket.public_access_block.ignore_public_acls == true

ignored(_) if account_ignore_public_acls

# The account-level setting, read once per evaluation rather than once per bucket.
account_ignore_public_acls if {
	some block in input.s3control.public_access_blocks
	block.ignore_public_acls == true
}
