# METADATA
# title: Customer-managed KMS key without automatic rotation
# description: |
#   Checks every enabled customer-managed key that can rotate (symmetric encryption
#   keys whose key material KMS generated) for automatic rotation. Rotation makes KMS
#   create new key material every year (or the period set) while old ciphertext stays
#   readable, which limits how much data one compromised version of the material
#   protects; the reference turns it on for the EKS secrets key (`alias/eks/<name>`).
#   Asymmetric, HMAC and imported keys cannot rotate automatically and are not checked;
#   a key pending deletion is KMS003's finding.
# custom:
#   id: KMS001
#   name: kms-key-rotation-disabled
#   severity: medium
#   roles: [any]
#   services: [kms]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP01: Implement secure key management"
#     - "CIS AWS Foundations 3.6 (v3.0): Ensure rotation for customer-created symmetric CMKs is enabled"
#     - "Security Hub KMS.4 / AWS Config CMK_BACKING_KEY_ROTATION_ENABLED"
#     - "Prowler kms_cmk_rotation_enabled; Steampipe kms_cmk_rotation_enabled; Trivy AWS-0065"
#     - "KubeRocketCI reference architecture: EKS secrets key alias/eks/<name> with rotation on"
#   remediation: |
#     ```hcl
#     resource "aws_kms_key" "this" {
#       # ...
#       enable_key_rotation     = true
#       rotation_period_in_days = 365
#     }
#     ```
package archaudit.rules.kms_key_rotation_disabled

import rego.v1

deny contains finding if {
	some key in input.kms.keys
	key.state == "Enabled"
	key.rotation_enabled == false
	finding := {
		"resource": key.arn,
		"region": key.region,
		"message": sprintf("KMS key %s does not rotate its key material automatically", [display_name(key)]),
	}
}

display_name(key) := sprintf("%s (%s)", [key.id, concat(", ", key.aliases)]) if count(key.aliases) > 0

display_name(key) := key.id if count(key.aliases) == 0
