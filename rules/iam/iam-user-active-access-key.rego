# METADATA
# title: IAM user with an active long-lived access key
# description: |
#   Flags IAM users that hold at least one Active access key. Access keys are
#   long-lived credentials: they do not expire, they end up in CI variables,
#   kubeconfigs and laptops, and a leaked key works from anywhere until someone
#   notices. The reference architecture needs none: pipelines and add-ons reach AWS
#   through IRSA or EKS Pod Identity roles, people through IAM Identity Center (SSO),
#   and cross-account deployment through the assumed `KRCIDeployerRole`.
#
#   Inactive keys are not flagged; the finding lists the active key ids (identifiers,
#   never secrets) so the owner can find where they are used.
# custom:
#   id: IAM001
#   name: iam-user-active-access-key
#   severity: medium
#   roles: [any]
#   services: [iam]
#   precision: high
#   references:
#     - "Well-Architected SEC02-BP02: Use temporary credentials"
#     - "EKS Best Practices Guide, Identity and Access Management: use IAM Roles for Service Accounts (IRSA) or EKS Pod Identity instead of static credentials"
#     - "CIS AWS Foundations Benchmark 1.13: Ensure there is only one active access key for any single IAM user (related)"
#     - "Prowler iam_user_two_active_access_key; Steampipe iam_user_one_active_key; Trivy AWS-0167 (related: they limit keys to one, this rule wants none)"
#   remediation: |
#     Replace the user's key with a role: IRSA or Pod Identity for workloads in EKS,
#     IAM Identity Center for people, an assumable role for external CI. Then
#     deactivate and delete the key and stop managing it in Terraform:
#
#     ```hcl
#     # Remove the aws_iam_access_key resource; give the workload a role instead.
#     module "irsa_kaniko" {
#       source    = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
#       role_name = "AWSIRSA_Development_KanikoAccess"
#       oidc_providers = {
#         main = {
#           provider_arn               = module.eks.oidc_provider_arn
#           namespace_service_accounts = ["krci:kaniko"]
#         }
#       }
#     }
#     ```
package archaudit.rules.iam_user_active_access_key

import rego.v1

deny contains finding if {
	some user in input.iam.users
	keys := active_key_ids(user)
	count(keys) > 0
	finding := {
		"resource": user.arn,
		"region": "global",
		"message": sprintf(
			"IAM user %s has %d active access key(s): %s; use a role (IRSA, Pod Identity or SSO) instead of long-lived keys",
			[user.name, count(keys), concat(", ", keys)],
		),
	}
}

active_key_ids(user) := sort([key.id | some key in user.access_keys; key.status == "Active"])
