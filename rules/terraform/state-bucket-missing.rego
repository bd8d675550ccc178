# METADATA
# title: No S3 bucket for Terraform state
# description: |
#   Checks that each Production, Shared and Development account has an S3 bucket for
#   its Terraform state: `terraform-states-<account-id>` in the reference, or any
#   bucket whose name starts with `terraform-states` or contains `terraform-state` or
#   `tfstate`. The reference manages every account's infrastructure with Terraform
#   and keeps that account's state in the account itself; an account without a state
#   bucket is either managed by hand (drift nobody can review) or keeps its state on
#   a laptop or in another account, where it is neither versioned nor access-controlled
#   with the account's own infrastructure.
# custom:
#   id: TF001
#   name: state-bucket-missing
#   severity: high
#   roles: [production, shared, development]
#   services: [s3]
#   precision: medium
#   references:
#     - "Well-Architected OPS05-BP03: Use configuration management systems"
#     - "Well-Architected REL09-BP01: Identify and back up all data that needs to be backed up"
#     - "Terraform S3 backend documentation (https://developer.hashicorp.com/terraform/language/backend/s3)"
#     - "KubeRocketCI reference architecture: bucket terraform-states-<account-id> in every account"
#   remediation: |
#     Create the state bucket (versioned, encrypted, TLS-only, public access blocked)
#     and configure the backend to use it:
#
#     ```hcl
#     resource "aws_s3_bucket" "terraform_states" {
#       bucket = "terraform-states-${data.aws_caller_identity.current.account_id}"
#     }
#
#     resource "aws_s3_bucket_versioning" "terraform_states" {
#       bucket = aws_s3_bucket.terraform_states.id
#       versioning_configuration {
#         status = "Enabled"
#       }
#     }
#
#     resource "aws_s3_bucket_public_access_block" "terraform_states" {
#       bucket                  = aws_s3_bucket.terraform_states.id
#       block_public_acls       = true
#       ignore_public_acls      = true
#       block_public_policy     = true
#       restrict_public_buckets = true
#     }
#
#     # terraform { backend "s3" { bucket = "terraform-states-<account-id>" ... } }
#     ```
package archaudit.rules.state_bucket_missing

import rego.v1

deny contains finding if {
	not has_state_bucket
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"%s account %s (%s) has no Terraform state bucket (expected terraform-states-%s)",
			[input.account.role, input.account.name, input.account.id, input.account.id],
		),
	}
}

has_state_bucket if {
	some bucket in input.s3.buckets
	state_bucket(bucket)
}

# A bucket that holds Terraform state, by the reference's and common naming.
state_bucket(bucket) if bucket.name == sprintf("terraform-states-%s", [input.account.id])

state_bucket(bucket) if startswith(bucket.name, "terraform-states")

state_bucket(bucket) if contains(bucket.name, "tfstate")

state_bucket(bucket) if contains(bucket.name, "terraform-state")
