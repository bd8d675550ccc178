# METADATA
# title: EFS file system not encrypted at rest
# description: |
#   Checks every EFS file system for encryption at rest. In the reference, EFS backs
#   persistent volumes of the shared tools through the EFS CSI driver (Nexus artifacts,
#   SonarQube data and similar), and its backups inherit the setting. Encryption can
#   only be chosen when the file system is created, so fixing it means a new file system
#   and a data migration (for example with AWS DataSync).
# custom:
#   id: EFS001
#   name: efs-not-encrypted
#   severity: high
#   roles: [any]
#   services: [efs]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "CIS AWS Foundations 2.4.1: Ensure that encryption is enabled for EFS file systems"
#     - "Security Hub EFS.1 / AWS Config EFS_ENCRYPTED_CHECK"
#     - "Prowler efs_encryption_at_rest_enabled; Steampipe efs_file_system_encrypt_data_at_rest; Trivy AWS-0037"
#   remediation: |
#     Create an encrypted file system, copy the data (AWS DataSync), and point the
#     StorageClass / PersistentVolumes at it:
#
#     ```hcl
#     resource "aws_efs_file_system" "this" {
#       creation_token = "shared-efs"
#       encrypted      = true
#       kms_key_id     = aws_kms_key.efs.arn
#     }
#     ```
package archaudit.rules.efs_not_encrypted

import rego.v1

deny contains finding if {
	some fs in input.efs.file_systems
	not fs.encrypted
	finding := {
		"resource": fs.arn,
		"region": fs.region,
		"message": sprintf("EFS file system %s is not encrypted at rest", [display_name(fs)]),
	}
}

display_name(fs) := sprintf("%s (%s)", [fs.name, fs.id]) if fs.name

display_name(fs) := fs.id if not fs.name
