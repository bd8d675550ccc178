# METADATA
# title: IRSA role trust does not pin the service account
# description: |
#   Flags IAM roles whose trust policy lets an EKS OIDC provider assume them
#   (`sts:AssumeRoleWithWebIdentity` from an `oidc-provider/...` federated principal)
#   without an exact `<issuer>:sub` condition: the condition is missing, or a
#   StringEquals/StringLike value contains `*`. Such a role is usable by every pod
#   whose service account matches (`system:serviceaccount:*` means every pod of the
#   cluster), so any workload, including a compromised one, gets the role's AWS
#   permissions. The reference has this weak spot for external-secrets, Kaniko and
#   `argocd:*`.
#
#   A subject counts as pinned when one StringEquals or StringLike block gives the
#   `sub` key only values without `*` (condition blocks are ANDed).
# custom:
#   id: IAM005
#   name: irsa-trust-wildcard-subject
#   severity: high
#   roles: [any]
#   services: [iam]
#   precision: high
#   references:
#     - "Well-Architected SEC03-BP02: Grant least privilege access"
#     - "EKS Best Practices Guide, Identity and Access Management: scope the IAM role trust policy for IRSA roles to the service account name, namespace, and cluster"
#     - "IAM User Guide: Creating a role for OIDC federation (sub and aud condition keys)"
#   remediation: |
#     Pin the trust to the exact service account(s) with StringEquals:
#
#     ```hcl
#     data "aws_iam_policy_document" "external_secrets_trust" {
#       statement {
#         actions = ["sts:AssumeRoleWithWebIdentity"]
#         principals {
#           type        = "Federated"
#           identifiers = [module.eks.oidc_provider_arn]
#         }
#         condition {
#           test     = "StringEquals"
#           variable = "${module.eks.oidc_provider}:sub"
#           values   = ["system:serviceaccount:external-secrets:external-secrets"]
#         }
#         condition {
#           test     = "StringEquals"
#           variable = "${module.eks.oidc_provider}:aud"
#           values   = ["sts.amazonaws.com"]
#         }
#       }
#     }
#     ```
package archaudit.rules.irsa_trust_wildcard_subject

import rego.v1

deny contains finding if {
	some role in input.iam.roles
	# A cheap superset first: no OIDC provider named anywhere in the trust policy.
	contains(json.marshal(role.trust_policy), ":oidc-provider/")
	problems := {problem |
		# Per statement and OIDC provider principal (its issuer,
		# `oidc.eks.<region>.amazonaws.com/id/<ID>`), cheapest test first: most roles
		# trust a service or an account, and most IRSA roles pin their subject.
		some statement in as_array(object.get(role.trust_policy, "Statement", []))
		federated := statement.Principal.Federated
		some principal in as_array(federated)
		contains(principal, ":oidc-provider/")
		issuer := split(principal, ":oidc-provider/")[1]
		# [operator, value] for each value a StringEquals or StringLike block gives
		# the `<issuer>:sub` key: the condition keys are read once.
		key := lower(sprintf("%s:sub", [issuer]))
		values := {[operator, value] |
			some operator in string_operators
			some name, sub in statement.Condition[operator]
			lower(name) == key
			some value in as_array(sub)
		}
		# Not pinned: no operator gives the key only values without `*`.
		operators := {pair[0] | some pair in values}
		wildcard_operators := {pair[0] | some pair in values; contains(pair[1], "*")}
		count(operators - wildcard_operators) == 0
		web_identity_allow(statement)
		problem := describe(values, issuer)
	}
	count(problems) > 0
	finding := {
		"resource": role.arn,
		"region": "global",
		"message": sprintf(
			"IRSA role %s can be assumed by service accounts not pinned by name: %s",
			[role.name, concat("; ", sort(problems))],
		),
	}
}

web_identity_allow(statement) if {
	statement.Effect == "Allow"
	some action in as_array(statement.Action)
	lower(action) in {"sts:assumerolewithwebidentity", "sts:*", "*"}
}

string_operators := {"StringEquals", "StringLike"}

describe(values, issuer) := sprintf("no sub condition for %s (any service account of the cluster)", [issuer]) if {
	count(values) == 0
} else := sprintf("sub %s for %s", [concat(", ", wildcards), issuer]) if {
	wildcards := sort({value | some [_, value] in values; contains(value, "*")})
	count(wildcards) > 0
}

as_array(x) := x if is_array(x)
else := [x]
