# METADATA
# title: IRSA role trust does not check the token audience
# description: |
#   Flags IAM roles whose trust policy lets an EKS OIDC provider assume them
#   (`sts:AssumeRoleWithWebIdentity` from an `oidc-provider/...` federated principal)
#   without an `<issuer>:aud` condition equal to `sts.amazonaws.com`. The audience
#   check makes sure only tokens minted for AWS STS (the projected token the EKS pod
#   identity webhook mounts) are accepted, not any token the cluster's issuer signs
#   for another audience, such as Vault or an external service. The reference's
#   Velero role lacks it.
# custom:
#   id: IAM006
#   name: irsa-trust-without-audience
#   severity: medium
#   roles: [any]
#   services: [iam]
#   precision: high
#   references:
#     - "Well-Architected SEC03-BP02: Grant least privilege access"
#     - "EKS Best Practices Guide, Identity and Access Management: scope the IAM role trust policy for IRSA roles"
#     - "EKS User Guide: Assign IAM roles to Kubernetes service accounts (aud condition sts.amazonaws.com)"
#   remediation: |
#     Add the audience condition next to the subject condition:
#
#     ```hcl
#     data "aws_iam_policy_document" "velero_trust" {
#       statement {
#         actions = ["sts:AssumeRoleWithWebIdentity"]
#         principals {
#           type        = "Federated"
#           identifiers = [module.eks.oidc_provider_arn]
#         }
#         condition {
#           test     = "StringEquals"
#           variable = "${module.eks.oidc_provider}:sub"
#           values   = ["system:serviceaccount:velero:velero-server"]
#         }
#         condition {
#           test     = "StringEquals"
#           variable = "${module.eks.oidc_provider}:aud"
#           values   = ["sts.amazonaws.com"]
#         }
#       }
#     }
#     ```
package archaudit.rules.irsa_trust_without_audience

import rego.v1

sts_audience := "sts.amazonaws.com"

deny contains finding if {
	some role in input.iam.roles
	# A cheap superset first: no OIDC provider named anywhere in the trust policy.
	contains(json.marshal(role.trust_policy), ":oidc-provider/")
	problems := {problem |
		# Per statement and OIDC provider principal (its issuer,
		# `oidc.eks.<region>.amazonaws.com/id/<ID>`), cheapest test first: most roles
		# trust a service or an account, and most IRSA roles check the audience.
		some statement in as_array(object.get(role.trust_policy, "Statement", []))
		federated := statement.Principal.Federated
		some principal in as_array(federated)
		contains(principal, ":oidc-provider/")
		issuer := split(principal, ":oidc-provider/")[1]
		# [operator, value] for each value a StringEquals or StringLike block gives
		# the `<issuer>:aud` key: the condition keys are read once.
		key := lower(sprintf("%s:aud", [issuer]))
		values := {[operator, value] |
			some operator in string_operators
			some name, aud in statement.Condition[operator]
			lower(name) == key
			some value in as_array(aud)
		}
		# Not checked: no operator gives the key exactly one value, sts.amazonaws.com.
		sts_operators := {pair[0] | some pair in values; pair[1] == sts_audience}
		other_operators := {pair[0] | some pair in values; pair[1] != sts_audience}
		count(sts_operators - other_operators) == 0
		web_identity_allow(statement)
		problem := describe(values, issuer)
	}
	count(problems) > 0
	finding := {
		"resource": role.arn,
		"region": "global",
		"message": sprintf(
			"IRSA role %s does not restrict the token audience to %s: %s",
			[role.name, sts_audience, concat("; ", sort(problems))],
		),
	}
}

web_identity_allow(statement) if {
	statement.Effect == "Allow"
	some action in as_array(statement.Action)
	lower(action) in {"sts:assumerolewithwebidentity", "sts:*", "*"}
}

string_operators := {"StringEquals", "StringLike"}

describe(values, issuer) := sprintf("no aud condition for %s", [issuer]) if {
	count(values) == 0
} else := sprintf("aud allows %s for %s", [concat(", ", sort(audiences)), issuer]) if {
	audiences := {value | some [_, value] in values}
	count(audiences) > 0
}

as_array(x) := x if is_array(x)
else := [x]
