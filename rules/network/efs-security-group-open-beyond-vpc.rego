# METADATA
# title: EFS mount target security group admits addresses outside the VPC
# description: |
#   Checks the security groups of every EFS mount target for ingress from an address
#   block outside the VPC (its primary and secondary CIDRs), on any port. NFS has no
#   authentication of its own beyond the security group and the file system policy; the
#   reference mounts EFS from the EKS nodes (EFS CSI driver) only.
#
#   Sources that are security groups or managed prefix lists are not judged (their
#   members are not in the snapshot). Precision is high, not very-high: clients in a
#   peered VPC or behind a transit gateway are flagged until suppressed; Client VPN
#   users do not need a rule of their own (the VPN translates their addresses to its
#   interfaces in the VPC).
# custom:
#   id: NET014
#   name: efs-security-group-open-beyond-vpc
#   severity: high
#   roles: [any]
#   services: [ec2, efs]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "Security Hub EFS.6 (mount targets in public subnets) and EC2.18"
#     - "Prowler efs_mount_target_not_publicly_accessible"
#   remediation: |
#     Admit NFS (2049) from the EKS node security group only:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "nfs_from_nodes" {
#       security_group_id            = aws_security_group.efs.id
#       ip_protocol                  = "tcp"
#       from_port                    = 2049
#       to_port                      = 2049
#       referenced_security_group_id = module.eks.node_security_group_id
#     }
#     ```
package archaudit.rules.efs_security_group_open_beyond_vpc

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	group.id in owned_groups
	group_owners := owners[group.id]
	wide := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		outside_vpc(group, rule)
	}
	count(wide) > 0
	some owner in group_owners
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf(
			"security group %s (%s) of EFS file system %s admits addresses outside its VPC: %s",
			[group.name, group.id, owner, concat(", ", sort(wide))],
		),
	}
}

# The file systems using each security group, by group id: built once per evaluation
# rather than scanning every mount target for each group (linear in the resources read).
# Grouped from sorted (group, owner) pairs, not written `owners[id] contains owner`,
# so that the rule runs on regorus's RVM, which cannot evaluate that form.
owners := lib.grouped({[id, fs_id] |
	some fs in input.efs.file_systems
	some target in fs.mount_targets
	some id in object.get(target, "security_group_ids", [])
	fs_id := fs.id
})

# The ids of the groups with an owner, tested before the lookup in `owners`: on
# regorus's RVM a lookup of a missing key does not end the rule body at once, and
# the ingress rules of every group would be judged.
owned_groups := {id | some id, _ in owners}

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

# Each VPC's IPv4 blocks (primary and secondary) by VPC id, built once per evaluation
# rather than scanning every VPC for each ingress rule (linear in the resources read).
vpc_blocks := lib.grouped({[id, block] |
	some vpc in input.ec2.vpcs
	some block in array.concat([vpc.cidr_block], object.get(vpc, "secondary_cidr_blocks", []))
	id := vpc.id
})

# A CIDR source inside one of the VPC's blocks.
inside(vpc_id, cidr) if {
	some block in vpc_blocks[vpc_id]
	net.cidr_contains(block, cidr)
}

# An ingress rule whose source is an address block outside the VPC (a group
# reference or a prefix list is not an address block and is not judged).
outside_vpc(group, rule) if {
	cidr := source(rule)
	not inside(group.vpc_id, cidr)
}

ports(rule) := "all traffic" if rule.protocol == "-1"

ports(rule) := sprintf("%s %d", [rule.protocol, rule.from_port]) if {
	rule.protocol != "-1"
	rule.from_port == rule.to_port
}

ports(rule) := sprintf("%s %d-%d", [rule.protocol, rule.from_port, rule.to_port]) if {
	rule.protocol != "-1"
	rule.from_port != rule.to_port
}
