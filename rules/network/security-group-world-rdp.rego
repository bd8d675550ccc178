# METADATA
# title: Security group admits the internet to RDP (port 3389)
# description: |
#   Checks every security group for an ingress rule from 0.0.0.0/0 or ::/0 whose TCP
#   port range includes 3389. Remote Desktop open to the internet is a favourite
#   ransomware entry point (password spraying, BlueKeep-class vulnerabilities). Nothing
#   in the reference runs Windows; an open 3389 is a leftover or a mistake.
#
#   Rules of every protocol or every port are NET008's finding and are not repeated
#   here.
# custom:
#   id: NET005
#   name: security-group-world-rdp
#   severity: high
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "CIS AWS Foundations 5.2 / 5.3: no security group allows ingress from 0.0.0.0/0 or ::/0 to remote server administration ports"
#     - "Security Hub EC2.14 (and EC2.53 / EC2.54)"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389; Trivy AWS-0107"
#   remediation: |
#     Replace the world-open rule with the sources that need the port: another security
#     group, a VPC CIDR, or a managed prefix list of office / VPN egress ranges. For
#     administration, prefer SSM Session Manager (no inbound port at all):
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "ssh_from_vpn" {
#       security_group_id = aws_security_group.this.id
#       ip_protocol       = "tcp"
#       from_port         = 22
#       to_port           = 22
#       cidr_ipv4         = var.vpn_cidr # not 0.0.0.0/0
#     }
#     ```
package archaudit.rules.security_group_world_rdp

import rego.v1

watched := {3389}

deny contains finding if {
	some group in input.ec2.security_groups
	exposed := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		rule.protocol in {"tcp", "6"}
		rule.from_port <= highest
		lowest <= rule.to_port
		world(rule)
		exposes(rule)
		not all_ports(rule)
	}
	count(exposed) > 0
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf("security group %s (%s) admits the internet to RDP (port 3389): %s", [group.name, group.id, concat(", ", sort(exposed))]),
	}
}

# A rule whose range includes a watched port (a TCP rule: the protocol is tested
# before): one lookup for a single port, a scan of the watched ports for a range.
exposes(rule) if {
	rule.from_port == rule.to_port
	rule.from_port in watched
}

exposes(rule) if {
	rule.from_port != rule.to_port
	some port in watched
	rule.from_port <= port
	port <= rule.to_port
}

# The watched ports' bounds: a range outside them is left out before anything else.
lowest := min(watched)

highest := max(watched)

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

# Every protocol, or every TCP port: NET008's finding, not repeated here.
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
