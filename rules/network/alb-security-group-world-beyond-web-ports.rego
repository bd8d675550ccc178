# METADATA
# title: Internet-facing ALB security group admits the internet beyond TCP 80 and 443
# description: |
#   Checks the security groups of every internet-facing application load balancer for
#   ingress from 0.0.0.0/0 or ::/0 other than TCP 80 and TCP 443 exactly. In the
#   reference the ingress ALB is the one component the internet may reach, on 443 (and
#   80, which redirects to HTTPS); any other world-open rule on its group (a port range
#   around 443, a test listener's 8443, all traffic) lets the internet reach whatever
#   listener or member shares that group. A generic check accepts any "authorized"
#   port; this one knows the only two the design uses.
#
#   Internal ALBs and network load balancers are not checked here (the generic rules
#   NET004-NET009 still see their groups).
# custom:
#   id: NET016
#   name: alb-security-group-world-beyond-web-ports
#   severity: high
#   roles: [any]
#   services: [ec2, elbv2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "Security Hub EC2.18 (authorized ports: 80, 443) / AWS Config VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_any_port"
#   remediation: |
#     Keep exactly the two web rules on the ALB's group:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "alb" {
#       for_each          = toset(["80", "443"])
#       security_group_id = aws_security_group.alb.id
#       ip_protocol       = "tcp"
#       from_port         = each.value
#       to_port           = each.value
#       cidr_ipv4         = "0.0.0.0/0"
#     }
#     ```
package archaudit.rules.alb_security_group_world_beyond_web_ports

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	group.id in internet_facing_alb_groups
	names := internet_facing_albs[group.id]
	wide := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		world(rule)
		not web_port(rule)
	}
	count(wide) > 0
	some name in names
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf(
			"security group %s (%s) of internet-facing ALB %s admits the internet beyond TCP 80 and 443: %s",
			[group.name, group.id, name, concat(", ", sort(wide))],
		),
	}
}

# The names of the internet-facing ALBs of each security group, by group id: built
# once per evaluation so that no group is matched against every load balancer and a
# group's rules are judged once, however many load balancers share it (linear in the
# resources read). Grouped from sorted (group, name) pairs, not written
# `internet_facing_albs[id] contains lb`, so that the rule runs on regorus's RVM,
# which cannot evaluate that form.
internet_facing_albs := lib.grouped({[id, name] |
	some lb in input.elbv2.load_balancers
	lb.type == "application"
	lb.scheme == "internet-facing"
	name := lb.name
	some id in object.get(lb, "security_group_ids", [])
})

# The ids of the groups of internet-facing ALBs, tested before the lookup: on
# regorus's RVM a lookup of a missing key does not end the rule body at once, and
# the ingress rules of every group would be judged.
internet_facing_alb_groups := {id | some id, _ in internet_facing_albs}

web_port(rule) if {
	rule.protocol in {"tcp", "6"}
	rule.from_port == rule.to_port
	rule.from_port in {80, 443}
}

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

ports(rule) := "all traffic" if rule.protocol == "-1"

ports(rule) := sprintf("%s %d", [rule.protocol, rule.from_port]) if {
	rule.protocol != "-1"
	rule.from_port == rule.to_port
}

ports(rule) := sprintf("%s %d-%d", [rule.protocol, rule.from_port, rule.to_port]) if {
	rule.protocol != "-1"
	rule.from_port != rule.to_port
}
