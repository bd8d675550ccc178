# METADATA
# title: S3 bucket policy does not deny plain-HTTP requests
# description: |
#   Checks every S3 bucket (Terraform state buckets are TF002's) for a bucket policy
#   statement that denies every request made without TLS: Effect `Deny`, principal
#   `*`, all S3 actions (`s3:*` or `*`) and the condition `aws:SecureTransport` =
#   `false` (Bool). Without it a client or SDK configured for HTTP sends objects and
#   credentials-derived signatures in clear text. The reference's state bucket has
#   exactly this statement; every other bucket should too.
#
#   Precision is high: an equivalent deny written differently (a list of actions, a
#   NotPrincipal) is flagged.
# custom:
#   id: BKT006
#   name: bucket-allows-insecure-transport
#   severity: medium
#   roles: [any]
#   services: [s3]
#   precision: high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "CIS AWS Foundations 2.1.1 (v2): Ensure S3 Bucket Policy is set to deny HTTP requests"
#     - "Security Hub S3.5 / AWS Config S3_BUCKET_SSL_REQUESTS_ONLY"
#     - "Prowler s3_bucket_secure_transport_policy; Steampipe s3_bucket_enforces_ssl"
#   remediation: |
#     Add the deny statement to the bucket policy:
#
#     ```hcl
#     data "aws_iam_policy_document" "tls_only" {
#       statement {
#         effect    = "Deny"
#         actions   = ["s3:*"]
#         resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
#         principals {
#           type        = "*"
#           identifiers = ["*"]
#         }
#         condition {
#           test     = "Bool"
#           variable = "aws:SecureTransport"
#           values   = ["false"]
#         }
#       }
#     }
#     ```
package archaudit.rules.bucket_allows_insecure_transport

import rego.v1

deny contains finding if {
	some bucket in input.s3.buckets
	not state_bucket(bucket.name)
	not usual_deny_insecure_transport(bucket)
	not denies_insecure_transport(bucket)
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf("S3 bucket %s %s", [bucket.name, why(bucket)]),
	}
}

why(bucket) := "has no bucket policy, so plain-HTTP requests are allowed" if not bucket.policy

else := "has a bucket policy without a Deny on aws:SecureTransport = false for all S3 actions"

# The usual statement (a special case of the general test below), tested first so that
# the general test runs only for the buckets without it. A separate function, not an
# `else` branch: regorus 0.14.1's RVM does not try the `else` of a function whose first
# body iterates.
usual_deny_insecure_transport(bucket) if {
	statements := bucket.policy.Statement
	is_array(statements)
	some statement in statements
	statement.Condition.Bool["aws:SecureTransport"] == "false"
	statement.Effect == "Deny"
	statement.Principal == "*"
	statement.Action in {"s3:*", "*"}
}

denies_insecure_transport(bucket) if {
	some statement in as_array(bucket.policy.Statement)
	statement.Effect == "Deny"
	values := statement.Condition.Bool["aws:SecureTransport"]
	everyone(statement.Principal)
	some action in as_array(statement.Action)
	action in {"s3:*", "*"}
	some value in as_array(values)
	lower(sprintf("%v", [value])) == "false"
}

everyone(principal) if principal == "*"

else if "*" in as_array(principal.AWS)

as_array(x) := x if is_array(x)

else := [x]

# A bucket that holds Terraform state (`terraform-states*` names contain
# `terraform-state`), judged by the Terraform rule instead.
state_bucket(name) if contains(name, "terraform-state")

else if contains(name, "tfstate")
