# METADATA
# title: RDS security group admits addresses outside the VPC
# description: |
#   Checks the VPC security groups of every RDS DB instance and DB cluster for ingress
#   from an address block outside the VPC (its primary and secondary CIDRs), on any
#   port. The reference RDS template admits PostgreSQL from the EKS nodes only; a wider
#   group is one `publicly_accessible` flag or one route away from exposing the
#   database, and is the first thing an attacker inside a neighbouring network tries.
#
#   Sources that are security groups or managed prefix lists are not judged (their
#   members are not in the snapshot). Precision is high, not very-high: clients in a
#   peered VPC or behind a transit gateway are flagged until suppressed; Client VPN
#   users do not need a rule of their own (the VPN translates their addresses to its
#   interfaces in the VPC).
# custom:
#   id: NET013
#   name: rds-security-group-open-beyond-vpc
#   severity: high
#   roles: [any]
#   services: [ec2, rds]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "Security Hub RDS.2 (public access) and EC2.18"
#     - "Prowler rds_instance_no_public_access (which also reads the instance's security groups)"
#   remediation: |
#     Admit the database port from the EKS node security group only:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "postgres_from_nodes" {
#       security_group_id            = aws_security_group.rds.id
#       ip_protocol                  = "tcp"
#       from_port                    = 5432
#       to_port                      = 5432
#       referenced_security_group_id = module.eks.node_security_group_id
#     }
#     ```
package archaudit.rules.rds_security_group_open_beyond_vpc

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
			"security group %s (%s) of RDS database %s admits addresses outside its VPC: %s",
			[group.name, group.id, owner, concat(", ", sort(wide))],
		),
	}
}

# The databases using each security group, by group id: built once per evaluation
# rather than scanning every database for each group (linear in the resources read).
# Grouped from sorted (group, owner) pairs, not written `owners[id] contains owner`,
# so that the rule runs on regorus's RVM, which cannot evaluate that form.
owners := lib.grouped({[id, owner] |
	some db in array.concat(input.rds.instances, input.rds.clusters)
	some id in object.get(db, "security_group_ids", [])
	owner := sprintf("%s (%s)", [db.id, db.engine])
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
