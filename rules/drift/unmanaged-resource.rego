# METADATA
# title: Resource in no Terraform state (unmanaged)
# description: |
#   Reports live resources of the types archaudit models (load balancers and
#   listeners, S3 buckets, DynamoDB tables, ECR repositories, EKS clusters and node
#   groups, RDS, EFS, IAM roles, users and OIDC providers, VPCs and subnets, log
#   groups, secrets, SSM parameters, WAF web ACLs, ACM certificates, ...) that no
#   given Terraform state manages: they were created by hand in the console or by a
#   script, so no review saw them, `terraform plan` does not show their drift, and
#   rebuilding the account from code loses them.
#
#   Runs only with `--tfstate`, and only in accounts some given state manages
#   resources in. Resources AWS or a controller creates are left out (the default
#   VPC and its subnets, service-linked and IAM Identity Center roles,
#   OrganizationAccountAccessRole, secrets owned by another service, and resources
#   tagged by the AWS Load Balancer Controller, Karpenter, EKS or CloudFormation);
#   `[[drift.ignore]]` in archaudit.toml leaves out more. While any given state
#   cannot be read, this rule is not evaluated: the resource may be in that state.
# custom:
#   id: TFD001
#   name: unmanaged-resource
#   severity: low
#   roles: [any]
#   services: [terraform]
#   precision: medium
#   references:
#     - "Well-Architected OPS05-BP01: Use version control; REL08-BP05: Deploy changes with automation"
#     - "driftctl (unmanaged resources), Terraform `import` blocks"
#   remediation: |
#     Bring the resource under Terraform with an `import` block (Terraform 1.5+),
#     then `terraform plan` until it shows no change:
#
#     ```hcl
#     import {
#       to = aws_s3_bucket.alb_access_logs
#       id = "shared-alb-access-logs-318465720941"
#     }
#
#     resource "aws_s3_bucket" "alb_access_logs" {
#       bucket = "shared-alb-access-logs-318465720941"
#     }
#     ```
#
#     Or delete it if nobody needs it, or, when something else owns it on purpose,
#     list it under `[[drift.ignore]]` (resource glob, tag or type) with a reason.
package archaudit.rules.unmanaged_resource

import rego.v1

deny contains finding if {
	some r in input.terraform.unmanaged
	finding := {
		"resource": r.resource,
		"region": r.region,
		"message": sprintf(
			"%s %s is in no given Terraform state: created outside Terraform (or by a state not given)",
			[r.type, r.name],
		),
	}
}
