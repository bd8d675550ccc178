# METADATA
# title: Secret-looking SSM parameter not stored as SecureString
# description: |
#   Checks SSM Parameter Store parameters whose name looks like a secret (password,
#   passwd, secret, token, api key, private key, credential) but whose type is String or
#   StringList instead of SecureString. Plain parameters are not KMS-encrypted, are shown
#   in clear in the console, and can be read by anyone with ssm:GetParameter(s) without
#   kms:Decrypt. External Secrets Operator reads paths such as /edp/... and
#   /infra/core/addons/<addon> in the reference, so secrets there must be SecureString.
#
#   AWS-managed public parameters under /aws/ are skipped. Only names are matched (values
#   are never read), so a name containing e.g. "token" that holds no secret is a false positive.
# custom:
#   id: SEC001
#   name: ssm-secret-parameter-plaintext
#   severity: high
#   roles: [any]
#   services: [ssm]
#   precision: medium
#   references:
#     - "Well-Architected SEC02-BP03: Store and use secrets securely"
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "Steampipe's SSM SecureString control flags AWS-managed /aws/ parameters (steampipe-mod-aws-compliance #975); this rule skips them"
#   remediation: |
#     Recreate the parameter as a SecureString (the type of an existing parameter cannot
#     be changed in place; rotate the value, since it was readable in clear):
#
#     ```hcl
#     resource "aws_ssm_parameter" "admin_password" {
#       name   = "/edp/keycloak/admin-password"
#       type   = "SecureString"
#       key_id = aws_kms_key.secrets.arn
#       value  = random_password.admin.result
#     }
#     ```
package archaudit.rules.ssm_secret_parameter_plaintext

import rego.v1

# A name suggests a secret value when it holds one of `secret_name_fragments`
# (below), case-insensitively.

deny contains finding if {
	some param in input.ssm.parameters
	# The cheap tests first.
	param.type != "SecureString"
	not aws_managed(param)
	looks_secret(param)
	finding := {
		"resource": param.arn,
		"region": param.region,
		"message": sprintf("SSM parameter %s looks like a secret but is stored as %s, not SecureString", [param.name, param.type]),
	}
}

aws_managed(param) if startswith(param.name, "/aws/")

# A name holding a fragment that suggests a secret value, case-insensitively (the
# fragments of `password|passwd|secret|token|api[_-]?key|private[_-]?key|credential`
# spelled out: substring tests, not a regular expression compiled on each call).
looks_secret(param) if {
	name := lower(param.name)
	some fragment in secret_name_fragments
	contains(name, fragment)
}

secret_name_fragments := [
	"password", "passwd", "secret", "token", "credential",
	"apikey", "api_key", "api-key", "privatekey", "private_key", "private-key",
]
