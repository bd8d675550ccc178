# METADATA
# title: VPC default security group has rules
# description: |
#   Checks every VPC's default security group (named `default`) for ingress or egress
#   rules. Anything launched without an explicit group (an ENI, an instance, a
#   Lambda) lands in the default group; AWS creates it allowing all traffic between its
#   members and all egress, so a forgotten resource silently talks to everything else
#   that was forgotten and to the internet. Keeping the default group empty makes every
#   network path a deliberate choice. The reference's Terraform VPC module manages the
#   default group; with `manage_default_security_group = true` and no rules it is
#   empty.
#
#   The default group cannot be deleted; only its rules matter.
# custom:
#   id: NET010
#   name: default-security-group-allows-traffic
#   severity: medium
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "CIS AWS Foundations 5.4: Ensure the default security group of every VPC restricts all traffic"
#     - "Security Hub EC2.2 / AWS Config VPC_DEFAULT_SECURITY_GROUP_CLOSED"
#     - "Prowler ec2_securitygroup_default_restrict_traffic; Steampipe vpc_default_security_group_restricts_all_traffic"
#   remediation: |
#     Take the rules out of the default group (and give resources groups of their own):
#
#     ```hcl
#     module "vpc" {
#       source = "terraform-aws-modules/vpc/aws"
#       # ...
#       manage_default_security_group  = true
#       default_security_group_ingress = []
#       default_security_group_egress  = []
#     }
#     ```
package archaudit.rules.default_security_group_allows_traffic

import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	group.name == "default"
	count(group.ingress) + count(group.egress) > 0
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf(
			"default security group %s of %s has %d ingress and %d egress rules",
			[group.id, group.vpc_id, count(group.ingress), count(group.egress)],
		),
	}
}
