# METADATA
# title: Launch template with unencrypted EBS volumes
# description: |
#   Checks the block device mappings of the default version of every EC2 launch template
#   (the reference builds its EKS nodes from launch templates) for volumes that are not
#   explicitly encrypted. Node root volumes hold container images, emptyDir volumes,
#   pod logs and kubelet credentials; unencrypted, they leak through snapshots and
#   shared or copied volumes. The reference leaves node root volumes unencrypted.
#
#   A volume with `encrypted` unset follows the account's EBS encryption-by-default
#   setting, which the snapshot does not record, so it is flagged and the message says so.
#   Templates without block device mappings (AMI defaults) are not flagged.
# custom:
#   id: EKS006
#   name: node-root-volume-unencrypted
#   severity: medium
#   roles: [any]
#   services: [ec2]
#   precision: medium
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "EKS Best Practices Guide, Data Encryption and Secrets Management: Encryption at rest"
#     - "CIS AWS Foundations 2.2.1: Ensure EBS volume encryption is enabled in all regions"
#     - "Security Hub EC2.3 and EC2.7 / AWS Config ENCRYPTED_VOLUMES, EC2_EBS_ENCRYPTION_BY_DEFAULT"
#     - "Prowler ec2_ebs_volume_encryption, ec2_ebs_default_encryption"
#   remediation: |
#     Encrypt the volumes in the launch template (and turn on EBS encryption by default
#     in every region), then roll the nodes:
#
#     ```hcl
#     resource "aws_launch_template" "nodes" {
#       # ...
#       block_device_mappings {
#         device_name = "/dev/xvda"
#         ebs {
#           volume_size = 50
#           volume_type = "gp3"
#           encrypted   = true
#           kms_key_id  = aws_kms_key.ebs.arn
#         }
#       }
#     }
#
#     resource "aws_ebs_encryption_by_default" "this" {
#       enabled = true
#     }
#     ```
package archaudit.rules.node_root_volume_unencrypted

import rego.v1

deny contains finding if {
	some template in input.ec2.launch_templates
	volumes := unencrypted_volumes(template)
	count(volumes) > 0
	finding := {
		"resource": template.arn,
		"region": template.region,
		"message": sprintf("launch template %s (default version %d) does not encrypt these volumes: %s", [template.name, template.default_version, concat(", ", sort(volumes))]),
	}
}

unencrypted_volumes(template) := {describe(device) |
	some device in template.block_devices
	not device.encrypted
}

describe(device) := sprintf("%s (encrypted: false)", [device.device_name]) if device.encrypted == false

describe(device) := sprintf("%s (encrypted not set: account default applies)", [device.device_name]) if {
	not has_encrypted(device)
}

has_encrypted(device) if device.encrypted != null
