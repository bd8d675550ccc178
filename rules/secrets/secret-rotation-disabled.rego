# METADATA
# title: Secrets Manager secret without automatic rotation
# description: |
#   Checks every Secrets Manager secret for automatic rotation. A secret that never
#   rotates stays valid for as long as it exists, so a copy leaked through a log, a
#   laptop or a former team member keeps working indefinitely. External Secrets Operator
#   syncs these secrets into the clusters of the reference deployment, which makes
#   rotation transparent to workloads.
#
#   Secrets managed by another service (owning_service set, e.g. RDS-managed master user
#   passwords) rotate on that service's terms and are not flagged.
# custom:
#   id: SEC002
#   name: secret-rotation-disabled
#   severity: medium
#   roles: [any]
#   services: [secretsmanager]
#   precision: high
#   references:
#     - "Well-Architected SEC02-BP03: Store and use secrets securely"
#     - "Security Hub SecretsManager.1 / AWS Config SECRETSMANAGER_ROTATION_ENABLED_CHECK"
#     - "Prowler secretsmanager_automatic_rotation_enabled; Steampipe secretsmanager_secret_automatic_rotation_enabled"
#   remediation: |
#     Attach a rotation Lambda (AWS provides templates for databases) and a schedule:
#
#     ```hcl
#     resource "aws_secretsmanager_secret_rotation" "this" {
#       secret_id           = aws_secretsmanager_secret.this.id
#       rotation_lambda_arn = aws_lambda_function.rotate.arn
#
#       rotation_rules {
#         automatically_after_days = 30
#       }
#     }
#     ```
#
#     For RDS master passwords prefer `manage_master_user_password = true`, which rotates
#     through RDS.
package archaudit.rules.secret_rotation_disabled

import rego.v1

deny contains finding if {
	some secret in input.secretsmanager.secrets
	not secret.rotation_enabled
	not secret.owning_service
	finding := {
		"resource": secret.arn,
		"region": secret.region,
		"message": sprintf("Secrets Manager secret %s has automatic rotation disabled%s", [secret.name, last_changed(secret)]),
	}
}

last_changed(secret) := sprintf(" (last changed %s)", [secret.last_changed]) if secret.last_changed

last_changed(secret) := "" if not secret.last_changed
