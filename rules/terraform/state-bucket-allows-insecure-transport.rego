# METADATA
# title: Terraform state bucket accepts requests without TLS
# description: |
#   Checks that S3 buckets holding Terraform state have a bucket policy with a Deny
#   statement conditioned on `aws:SecureTransport` being false, as the reference's
#   `terraform-states-<account-id>` policy has. Without it, S3 also serves the bucket
#   over plain HTTP, so state (which holds secrets of the managed resources in plain
#   text) and credentials-bearing requests can be read or altered in transit by a
#   misconfigured client or proxy. A bucket with no policy at all is flagged too.
# custom:
#   id: TF004
#   name: state-bucket-allows-insecure-transport
#   severity: medium
#   roles: [any]
#   services: [s3]
#   precision: high
#   references:
#     - "Well-Architected SEC09-BP02: Enforce encryption in transit"
#     - "Security Hub S3.5 / AWS Config S3_BUCKET_SSL_REQUESTS_ONLY"
#     - "Prowler s3_bucket_secure_transport_policy; Steampipe s3_bucket_enforces_ssl"
#     - "KubeRocketCI reference architecture: state bucket policy denies requests without aws:SecureTransport"
#   remediation: |
#     Attach a policy that denies every request made without TLS:
#
#     ```hcl
#     data "aws_iam_policy_document" "terraform_states" {
#       statement {
#         sid     = "DenyInsecureTransport"
#         effect  = "Deny"
#         actions = ["s3:*"]
#         resources = [
#           aws_s3_bucket.terraform_states.arn,
#           "${aws_s3_bucket.terraform_states.arn}/*",
#         ]
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
#
#     resource "aws_s3_bucket_policy" "terraform_states" {
#       bucket = aws_s3_bucket.terraform_states.id
#       policy = data.aws_iam_policy_document.terraform_states.json
#     }
#     ```
package archaudit.rules.state_bucket_allows_insecure_transport

import rego.v1

deny contains finding if {
	some bucket in state_buckets
	not bucket.policy
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"Terraform state bucket %s has no bucket policy, so it accepts requests without TLS (no Deny on aws:SecureTransport false)",
			[bucket.name],
		),
	}
}

deny contains finding if {
	some bucket in state_buckets
	bucket.policy
	not denies_insecure_transport(bucket.policy)
	finding := {
		"resource": bucket.arn,
		"region": bucket.region,
		"message": sprintf(
			"Terraform state bucket %s has a bucket policy without a Deny statement on aws:SecureTransport false, so it accepts requests without TLS",
			[bucket.name],
		),
	}
}

denies_insecure_transport(policy) if {
	some statement in statements(policy)
	statement.Effect == "Deny"
	some operator, conditions in statement.Condition
	operator in {"Bool", "BoolIfExists"}
	some key, value in conditions
	lower(key) == "aws:securetransport"
	is_false(value)
}

# The policy document, whether stored parsed or as JSON text.
document(policy) := policy if is_object(policy)

document(policy) := json.unmarshal(policy) if is_string(policy)

# Statement may be a single object or an array.
statements(policy) := document(policy).Statement if is_array(document(policy).Statement)

statements(policy) := [document(policy).Statement] if is_object(document(policy).Statement)

is_false(value) if lower(sprintf("%v", [value])) == "false"

is_false(value) if {
	is_array(value)
	some v in value
	lower(sprintf("%v", [v])) == "false"
}

# The state buckets, picked once for both deny bodies.
state_buckets := [bucket |
	some bucket in input.s3.buckets
	state_bucket(bucket.name)
]

# A bucket that holds Terraform state, by the reference's and common naming: the
# reference's `terraform-states-<account id>` and any `terraform-states*` name both
# contain `terraform-state`, so two substring tests cover every naming.
state_bucket(name) if contains(name, "terraform-state")

else if contains(name, "tfstate")
