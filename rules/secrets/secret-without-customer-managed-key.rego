# METADATA
# title: Secrets Manager secret encrypted with the AWS-managed key
# description: |
#   Checks that every Secrets Manager secret is encrypted with a customer-managed KMS key
#   rather than the AWS-managed `aws/secretsmanager` key. With the AWS-managed key, any
#   principal in the account allowed secretsmanager:GetSecretValue can decrypt the
#   secret: the key policy cannot be narrowed, decryption cannot be separated from
#   access to the secret, and the secret cannot be shared with another account (such as
#   the Shared account's Argo CD or External Secrets reading a Production secret).
#
#   Secrets managed by another service are checked too. A key given as an ARN is taken to
#   be customer-managed unless it is the `alias/aws/secretsmanager` alias.
# custom:
#   id: SEC003
#   name: secret-without-customer-managed-key
#   severity: low
#   roles: [any]
#   services: [secretsmanager]
#   precision: high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "Well-Architected SEC02-BP03: Store and use secrets securely"
#     - "Trivy AWS-0098 (Secrets Manager should use customer managed keys)"
#   remediation: |
#     Create a customer-managed key with a key policy limited to the readers of the
#     secret, and set it on the secret (new versions are encrypted with it; rotate or
#     re-put the value to re-encrypt the current one):
#
#     ```hcl
#     resource "aws_kms_key" "secrets" {
#       description         = "Secrets Manager secrets"
#       enable_key_rotation = true
#     }
#
#     resource "aws_secretsmanager_secret" "this" {
#       name       = "/edp/keycloak/admin"
#       kms_key_id = aws_kms_key.secrets.arn
#     }
#     ```
package archaudit.rules.secret_without_customer_managed_key

import rego.v1

deny contains finding if {
	some secret in input.secretsmanager.secrets
	uses_aws_managed_key(secret)
	finding := {
		"resource": secret.arn,
		"region": secret.region,
		"message": sprintf("Secrets Manager secret %s is encrypted with the AWS-managed key aws/secretsmanager, not a customer-managed KMS key", [secret.name]),
	}
}

# Absent: Secrets Manager uses the AWS-managed key.
uses_aws_managed_key(secret) if not secret.kms_key_id

uses_aws_managed_key(secret) if endswith(secret.kms_key_id, "alias/aws/secretsmanager")
