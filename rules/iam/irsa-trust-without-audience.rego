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
	problems := unchecked_audiences(role)
	count(problems) > 0
	finding := {
		"resource": role.arn,
		"region": "global",
		"message": sprintf(
			"IRSA role %s does not restrict the token audience to %s: %s",
			[role.name, sts_audience, concat("; ", problems)],
		),
	}
}

unchecked_audiences(role) := sort({problem |
	some statement in statements(role)
	web_identity_allow(statement)
	some issuer in oidc_issuers(statement)
	not audience_checked(statement, issuer)
	problem := describe(statement, issuer)
})

statements(role) := as_array(object.get(role.trust_policy, "Statement", []))

web_identity_allow(statement) if {
	statement.Effect == "Allow"
	some action in as_array(statement.Action)
	lower(action) in {"sts:assumerolewithwebidentity", "sts:*", "*"}
}

oidc_issuers(statement) := {issuer |
	some principal in as_array(object.get(statement, ["Principal", "Federated"], []))
	contains(principal, ":oidc-provider/")
	issuer := split(principal, ":oidc-provider/")[1]
}

string_operators := {"StringEquals", "StringLike"}

aud_values(statement, issuer, operator) := {value |
	some key, values in object.get(statement, ["Condition", operator], {})
	lower(key) == lower(sprintf("%s:aud", [issuer]))
	some value in as_array(values)
}

audience_checked(statement, issuer) if {
	some operator in string_operators
	aud_values(statement, issuer, operator) == {sts_audience}
}

all_aud_values(statement, issuer) := {value |
	some operator in string_operators
	some value in aud_values(statement, issuer, operator)
}

describe(statement, issuer) := sprintf("no aud condition for %s", [issuer]) if {
	count(all_aud_values(statement, issuer)) == 0
}

describe(statement, issuer) := sprintf("aud allows %s for %s", [concat(", ", sort(values)), issuer]) if {
	values := all_aud_values(statement, issuer)
	count(values) > 0
}

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)
