# METADATA
# title: Resource in no Terraform state (unmanaged)
# description: |
#   Reports live resources of the types archaudit models (load balancers and
#   listeners, S3 buckets, DynamoDB tables, ECR repositories, EKS clusters and node
#   groups, RDS, EFS, IAM roles, users and OIDC providers, VPCs, subnets and security
#   groups, log groups, secrets, SSM parameters, WAF web ACLs, ACM certificates,
#   CloudTrail trails, KMS keys, GuardDuty detectors, ...) that no given Terraform
#   state manages: they were created by hand in the console or by a script, so no
#   review saw them, `terraform plan` does not show their drift, and rebuilding the
#   account from code loses them.
#
#   Security group rules follow how the states hold them. A group made by hand is
#   reported once, not rule by rule. The rules of a managed group whose rules are
#   resources of their own (`aws_vpc_security_group_ingress_rule` /
#   `_egress_rule`, in any given state) are resources too: a rule added by hand to
#   such a group, say SSH from 0.0.0.0/0, is reported here
#   (`aws_vpc_security_group_ingress_rule <group> <sgr-id>`). A group whose rules are
#   inline `ingress`/`egress` blocks has its rules compared by TFD003 instead, and a
#   group whose rules are the older `aws_security_group_rule` has them compared
#   neither way (that resource may stand for several of AWS's rules).
#
#   Runs only with `--tfstate`, and only in accounts some given state manages
#   resources in. Resources AWS or a controller creates are left out (the default
#   VPC and its subnets, the default security group of every VPC, the cluster
#   security group EKS creates (`eks-cluster-sg-*`, tagged `aws:eks:cluster-name`),
#   the `k8s-*` security groups Kubernetes creates for load balancers (tagged
#   `kubernetes.io/cluster/*`; a node group Terraform made carries that tag too but
#   is not named `k8s-`, so it is still reported when no state holds it),
#   service-linked and IAM Identity Center roles, OrganizationAccountAccessRole,
#   secrets owned by another service, and resources tagged by the AWS Load Balancer
#   Controller, Karpenter, EKS or CloudFormation); `[[drift.ignore]]` in
#   archaudit.toml leaves out more (an ignored security group's rules with it). While any given state cannot be read, this rule
#   is not evaluated: the resource may be in that state.
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
