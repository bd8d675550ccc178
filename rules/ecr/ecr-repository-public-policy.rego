# METADATA
# title: ECR repository policy allows anyone
# description: |
#   Checks ECR repository policies for an Allow statement whose principal is everyone
#   (`"*"`, `{"AWS": "*"}` or a list containing `"*"`) with no condition narrowing it
#   (for example `aws:PrincipalOrgID`). Such a policy lets any AWS account in the
#   world pull (or, depending on the actions, push or delete) the repository's images,
#   which leaks proprietary code and baked-in configuration and, with write actions,
#   lets anyone replace what production runs.
# custom:
#   id: ECR005
#   name: ecr-repository-public-policy
#   severity: critical
#   roles: [any]
#   services: [ecr]
#   precision: very-high
#   references:
#     - "Well-Architected SEC03-BP07: Analyze public and cross-account access"
#     - "Prowler ecr_repositories_not_publicly_accessible; Steampipe ecr_repository_prohibit_public_access; Trivy AWS-0032"
#   remediation: |
#     Grant pulls to named accounts or to the organization only:
#
#     ```hcl
#     data "aws_iam_policy_document" "pull" {
#       statement {
#         sid     = "OrgPull"
#         effect  = "Allow"
#         actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
#         principals {
#           type        = "AWS"
#           identifiers = ["*"]
#         }
#         condition {
#           test     = "StringEquals"
#           variable = "aws:PrincipalOrgID"
#           values   = ["o-7k2p9x4m1q"]
#         }
#       }
#     }
#
#     resource "aws_ecr_repository_policy" "app" {
#       repository = aws_ecr_repository.app.name
#       policy     = data.aws_iam_policy_document.pull.json
#     }
#     ```
package archaudit.rules.ecr_repository_public_policy

import rego.v1

deny contains finding if {
	some repo in input.ecr.repositories
	sids := public_statements(repo.policy)
	count(sids) > 0
	finding := {
		"resource": repo.arn,
		"region": repo.region,
		"message": sprintf(
			"ECR repository %s has a policy allowing any principal without a condition (%s %s)",
			[repo.name, plural("statement", count(sids)), concat(", ", sort(sids))],
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

plural(word, 1) := word

plural(word, n) := sprintf("%ss", [word]) if n != 1

has_condition(statement) if count(statement.Condition) > 0

statement_label(statement, _) := statement.Sid if has_sid(statement)

statement_label(statement, i) := sprintf("#%d", [i + 1]) if not has_sid(statement)

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

everyone(principal) if {
	is_array(principal)
	"*" in principal
}

# The policy document, whether stored parsed or as JSON text.
document(policy) := policy if is_object(policy)

document(policy) := json.unmarshal(policy) if is_string(policy)

# Statement may be a single object or an array.
statements(policy) := document(policy).Statement if is_array(document(policy).Statement)

statements(policy) := [document(policy).Statement] if is_object(document(policy).Statement)
