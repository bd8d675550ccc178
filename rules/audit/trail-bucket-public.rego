# METADATA
# title: CloudTrail log bucket public or not protected from becoming public
# description: |
#   Checks the S3 bucket each of the account's trails delivers to, when the bucket is in
#   the same account: its policy must not allow any principal (`*`) without a condition,
#   and its public access block must have all four settings on. A public log bucket
#   hands the account's whole API history (role names, IP addresses, resource ids) to
#   anyone; a bucket without the block is one policy edit away from that. A bucket in
#   another account (a log archive account) is judged in that account's audit, and a
#   bucket's ACL is not read (AWS disables ACLs on new buckets), which is why precision
#   is high rather than very high.
# custom:
#   id: CT005
#   name: trail-bucket-public
#   severity: critical
#   roles: [any]
#   services: [cloudtrail, s3]
#   precision: high
#   references:
#     - "Well-Architected SEC03-BP07: Analyze public and cross-account access"
#     - "CIS AWS Foundations 1.2 2.3: Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible"
#     - "Security Hub CloudTrail.6 / AWS Config S3_BUCKET_PUBLIC_READ_PROHIBITED"
#     - "Prowler cloudtrail_logs_s3_bucket_is_not_publicly_accessible; Steampipe cloudtrail_s3_logging_bucket_not_public"
#   remediation: |
#     Remove the public statement from the bucket policy and block public access:
#
#     ```hcl
#     resource "aws_s3_bucket_public_access_block" "cloudtrail" {
#       bucket                  = aws_s3_bucket.cloudtrail.id
#       block_public_acls       = true
#       ignore_public_acls      = true
#       block_public_policy     = true
#       restrict_public_buckets = true
#     }
#     ```
package archaudit.rules.trail_bucket_public

import data.archaudit.lib
import rego.v1

block_settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

deny contains finding if {
	some trail in input.cloudtrail.trails
	some i in bucket_positions[trail.s3_bucket]
	bucket := input.s3.buckets[i]
	sids := public_labels[i]
	count(sids) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"S3 bucket %s, which receives the log files of CloudTrail trail %s, has a policy allowing any principal without a condition (%s)",
			[bucket.name, trail.name, concat(", ", sort(sids))],
		),
	}
}

deny contains finding if {
	some trail in input.cloudtrail.trails
	some i in bucket_positions[trail.s3_bucket]
	bucket := input.s3.buckets[i]
	count(public_labels[i]) == 0
	off := settings_off(bucket)
	count(off) > 0
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"S3 bucket %s, which receives the log files of CloudTrail trail %s, is not protected from becoming public (%s)",
			[bucket.name, trail.name, off_text(off)],
		),
	}
}

# The positions of the trails' buckets in input.s3.buckets by name, built once per
# evaluation so that each trail looks its bucket up instead of scanning them all
# (linear in the resources read). A set per name, as a snapshot may hold two buckets
# with one name. Grouped from sorted (name, position) pairs (positions compare
# cheaply, whole buckets would not), not as `buckets_by_name[name] contains bucket`,
# so that the rule runs on regorus's RVM, which cannot evaluate that form.
bucket_positions := lib.grouped({[name, i] |
	some i, bucket in input.s3.buckets
	name := bucket.name
	name in trail_bucket_names
})

# The names the trails deliver to: only their buckets are indexed and judged.
trail_bucket_names := {name | some trail in input.cloudtrail.trails; name := trail.s3_bucket}

# The labels of each trail bucket's public statements, by position: judged once
# however many trails share the bucket (a bucket without a policy has none).
public_labels := {i: labels |
	some positions in bucket_positions
	some i in positions
	labels := public_statements(object.get(input.s3.buckets[i], "policy", {}))
}

settings_off(bucket) := block_settings if not bucket.public_access_block

settings_off(bucket) := [setting |
	some setting in block_settings
	not bucket.public_access_block[setting] == true
] if bucket.public_access_block

off_text(off) := "no public access block" if off == block_settings

off_text(off) := sprintf("public access block with %s off", [concat(", ", off)]) if off != block_settings

# Sids (or positions) of unconditioned Allow statements for everyone.
public_statements(policy) := {label |
	some i, statement in statements(policy)
	statement.Effect == "Allow"
	everyone(statement.Principal)
	not has_condition(statement)
	label := statement_label(statement, i)
}

has_condition(statement) if count(statement.Condition) > 0

statement_label(statement, _) := statement.Sid if {
	is_string(statement.Sid)
	statement.Sid != ""
}

statement_label(statement, i) := sprintf("#%d", [i + 1]) if {
	not is_string(statement.Sid)
}

statement_label(statement, i) := sprintf("#%d", [i + 1]) if statement.Sid == ""

everyone(principal) if principal == "*"

everyone(principal) if principal.AWS == "*"

everyone(principal) if {
	is_array(principal.AWS)
	"*" in principal.AWS
}

document(policy) := policy if is_object(policy)

document(policy) := json.unmarshal(policy) if is_string(policy)

statements(policy) := document(policy).Statement if is_array(document(policy).Statement)

statements(policy) := [document(policy).Statement] if is_object(document(policy).Statement)
