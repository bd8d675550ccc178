# METADATA
# title: KMS key policy open to any principal without a condition
# description: |
#   Checks every customer-managed key's policy for an `Allow` statement whose principal
#   is `*` (or `{"AWS": "*"}`) with no `Condition`. Such a statement lets any AWS account
#   use or manage the key as far as its actions go: decrypt the EBS snapshots, Secrets
#   Manager secrets or Terraform state the key protects, or schedule its deletion. A
#   statement for `*` limited by a condition (`kms:CallerAccount`, `kms:ViaService`,
#   `aws:PrincipalOrgID`) is the documented way to share a key and is not reported.
# custom:
#   id: KMS002
#   name: kms-key-policy-public
#   severity: critical
#   roles: [any]
#   services: [kms]
#   precision: very-high
#   references:
#     - "Well-Architected SEC03-BP07: Analyze public and cross-account access"
#     - "Security Hub KMS.5 / AWS Config KMS_KEY_POLICY_NO_PUBLIC_ACCESS"
#     - "Prowler kms_key_not_publicly_accessible; Steampipe kms_key_not_publicly_accessible; Trivy -"
#   remediation: |
#     Name the principals, or keep `*` only with a condition that limits it:
#
#     ```json
#     {
#       "Sid": "AllowUseThroughEBSInThisAccount",
#       "Effect": "Allow",
#       "Principal": {"AWS": "*"},
#       "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"],
#       "Resource": "*",
#       "Condition": {
#         "StringEquals": {"kms:CallerAccount": "<account-id>", "kms:ViaService": "ec2.eu-central-1.amazonaws.com"}
#       }
#     }
#     ```
package archaudit.rules.kms_key_policy_public

import rego.v1

deny contains finding if {
	some key in input.kms.keys
	sids := public_statements(key.policy)
	count(sids) > 0
	finding := {
		"resource": key.arn,
		"region": key.region,
		"message": sprintf(
			"KMS key %s has a key policy allowing any principal without a condition (%s)",
			[display_name(key), concat(", ", sort(sids))],
		),
	}
}

# Sids (or positions) of unconditioned Allow statements for everyone.
public_statements(policy) := {label |
	some i, statement in statements(policy)
	statement.Effect == "Allow"
	everyone(statement.Principal)
	not has_condition(statement)
	label := statement_label(statement, i)
}

has_condition(statement) if count(statement.Condition) > 0

statement_label(statement, _) := statement.Sid if has_sid(statement)

statement_label(statement, i) := sprintf("statement #%d", [i + 1]) if not has_sid(statement)

has_sid(statement) if {
	is_string(statement.Sid)
	statement.Sid != ""
}

everyone(principal) if principal == "*"

everyone(principal) if principal.AWS == "*"

everyone(principal) if {
	is_array(principal.AWS)
	"*" in principal.AWS
}

statements(policy) := policy.Statement if is_array(policy.Statement)

statements(policy) := [policy.Statement] if is_object(policy.Statement)

display_name(key) := sprintf("%s (%s)", [key.id, concat(", ", key.aliases)]) if count(key.aliases) > 0

display_name(key) := key.id if count(key.aliases) == 0
