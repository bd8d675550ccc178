# METADATA
# title: EBS encryption by default is off in a region
# description: |
#   Checks the EBS encryption-by-default setting of every region read. With it off, a
#   volume (or a snapshot copy) is encrypted only when whoever creates it asks: a node
#   launch template, a Karpenter EC2NodeClass or a CSI StorageClass without
#   `encrypted` writes plain volumes. The reference's node launch templates leave root
#   volumes unencrypted (EKS006), so this account setting is the guard rail that
#   catches them and every volume to come. The setting is per region; regions not read
#   are not judged.
# custom:
#   id: CMP001
#   name: ebs-encryption-by-default-disabled
#   severity: medium
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "CIS AWS Foundations 2.2.1: Ensure EBS volume encryption is enabled in all regions"
#     - "Security Hub EC2.7 / AWS Config EC2_EBS_ENCRYPTION_BY_DEFAULT"
#     - "Prowler ec2_ebs_default_encryption; Steampipe ebs_encryption_by_default_enabled"
#   remediation: |
#     Turn it on in every region used (optionally with a customer-managed key):
#
#     ```hcl
#     resource "aws_ebs_encryption_by_default" "this" {
#       enabled = true
#     }
#     ```
package archaudit.rules.ebs_encryption_by_default_disabled

import rego.v1

deny contains finding if {
	some setting in input.ec2.ebs_encryption_by_default
	not setting.enabled
	finding := {
		"resource": setting.arn,
		"region": setting.region,
		"message": sprintf("EBS encryption by default is off in %s of account %s: new volumes are encrypted only when asked", [setting.region, input.account.id]),
	}
}
