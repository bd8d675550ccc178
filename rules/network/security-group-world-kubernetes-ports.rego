# METADATA
# title: Security group admits the internet to a Kubernetes control or node port
# description: |
#   Checks every security group for an ingress rule from 0.0.0.0/0 or ::/0 whose TCP
#   port range includes a Kubernetes component port: the API server on 6443, the
#   kubelet on 10250 (and the read-only 10255), kube-proxy's 10256, the controller
#   manager's 10257, the scheduler's 10259, and etcd's 2379-2380. The kubelet API
#   executes commands in pods; etcd holds every secret. On EKS these ports are only
#   needed between the control plane and the nodes (the cluster security group), never
#   from the internet. The EKS API itself (443 on the cluster security group) is
#   NET011's, which also knows the VPN.
#
#   Rules of every protocol or every port are NET008's finding and are not repeated
#   here. NodePorts (30000-32767) are not flagged: an internet-facing NLB with instance
#   targets needs them open to its clients.
# custom:
#   id: NET007
#   name: security-group-world-kubernetes-ports
#   severity: high
#   roles: [any]
#   services: [ec2]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "EKS Best Practices Guide, Network Security: Security groups (restrict node and control plane ports)"
#     - "Security Hub EC2.18 (unrestricted incoming traffic only to authorized ports)"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_any_port"
#   remediation: |
#     Remove the world-open rule; the control plane reaches the kubelet through the
#     cluster security group, which EKS manages:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "kubelet_from_cluster" {
#       security_group_id            = module.eks.node_security_group_id
#       ip_protocol                  = "tcp"
#       from_port                    = 10250
#       to_port                      = 10250
#       referenced_security_group_id = module.eks.cluster_security_group_id
#     }
#     ```
package archaudit.rules.security_group_world_kubernetes_ports

import rego.v1

watched := {2379, 2380, 6443, 10250, 10255, 10256, 10257, 10259}

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
		"message": sprintf("security group %s (%s) admits the internet to a Kubernetes component port: %s", [group.name, group.id, concat(", ", sort(exposed))]),
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
