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
	problems := unpinned_trusts(role)
	count(problems) > 0
	finding := {
		"resource": role.arn,
		"region": "global",
		"message": sprintf(
			"IRSA role %s can be assumed by service accounts not pinned by name: %s",
			[role.name, concat("; ", problems)],
		),
	}
}

unpinned_trusts(role) := sort({problem |
	some statement in statements(role)
	web_identity_allow(statement)
	some issuer in oidc_issuers(statement)
	not subject_pinned(statement, issuer)
	problem := describe(statement, issuer)
})

statements(role) := as_array(object.get(role.trust_policy, "Statement", []))

web_identity_allow(statement) if {
	statement.Effect == "Allow"
	some action in as_array(statement.Action)
	lower(action) in {"sts:assumerolewithwebidentity", "sts:*", "*"}
}

# The issuer (`oidc.eks.<region>.amazonaws.com/id/<ID>`) of each OIDC provider principal.
oidc_issuers(statement) := {issuer |
	some principal in as_array(object.get(statement, ["Principal", "Federated"], []))
	contains(principal, ":oidc-provider/")
	issuer := split(principal, ":oidc-provider/")[1]
}

string_operators := {"StringEquals", "StringLike"}

# Values of the `<issuer>:sub` key in one condition operator block.
sub_values(statement, issuer, operator) := {value |
	some key, values in object.get(statement, ["Condition", operator], {})
	lower(key) == lower(sprintf("%s:sub", [issuer]))
	some value in as_array(values)
}

subject_pinned(statement, issuer) if {
	some operator in string_operators
	values := sub_values(statement, issuer, operator)
	count(values) > 0
	every value in values {
		not contains(value, "*")
	}
}

all_sub_values(statement, issuer) := {value |
	some operator in string_operators
	some value in sub_values(statement, issuer, operator)
}

describe(statement, issuer) := sprintf("no sub condition for %s (any service account of the cluster)", [issuer]) if {
	count(all_sub_values(statement, issuer)) == 0
}

describe(statement, issuer) := sprintf("sub %s for %s", [concat(", ", wildcards), issuer]) if {
	wildcards := sort([value | some value in all_sub_values(statement, issuer); contains(value, "*")])
	count(wildcards) > 0
}

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)
