# METADATA
# title: Security group admits the internet on every port
# description: |
#   Checks every security group for an ingress rule from 0.0.0.0/0 or ::/0 of every
#   protocol (`-1`) or of TCP ports 0-65535. Everything listening on a member of the
#   group is then on the internet: debug endpoints, metrics, databases, the kubelet.
#   Such a rule is usually a troubleshooting shortcut that stayed. The reference never
#   opens a group this way (its ALB takes 80 and 443 only).
# custom:
#   id: NET008
#   name: security-group-world-all-ports
#   severity: critical
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "Security Hub EC2.18 / AWS Config VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_all_ports, ec2_securitygroup_allow_ingress_from_internet_to_any_port; Trivy AWS-0107"
#   remediation: |
#     Replace the rule with the ports the members serve and the sources that need them:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "https" {
#       security_group_id = aws_security_group.this.id
#       ip_protocol       = "tcp"
#       from_port         = 443
#       to_port           = 443
#       cidr_ipv4         = "10.0.0.0/16"
#     }
#     ```
package archaudit.rules.security_group_world_all_ports

import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	open := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		world(rule)
		all_ports(rule)
	}
	count(open) > 0
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf("security group %s (%s) admits the internet on every port: %s", [group.name, group.id, concat(", ", sort(open))]),
	}
}

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

all_ports(rule) if rule.protocol == "-1"

all_ports(rule) if {
	rule.protocol in {"tcp", "6"}
	rule.from_port <= 0
	rule.to_port >= 65535
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
