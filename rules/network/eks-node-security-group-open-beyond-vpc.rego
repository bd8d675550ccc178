# METADATA
# title: EKS node security group admits addresses outside the VPC
# description: |
#   Checks the security groups of EKS worker nodes (running instances tagged
#   `eks:cluster-name`, `aws:eks:cluster-name` or `kubernetes.io/cluster/<name>`, and the
#   SSH group of a managed node group's remote access) for ingress from an address
#   block outside the node's VPC (its primary and secondary CIDRs). In the reference
#   nodes sit in private subnets and take traffic from the load balancers, the control
#   plane and each other; a wider group exposes the kubelet, NodePorts and anything a
#   pod binds on the host network.
#
#   The cluster security group is NET011's (it also knows the VPN). A TCP rule within
#   the NodePort range (30000-32767) is not flagged: an NLB with instance targets and
#   client IP preservation needs its clients' ranges there. Sources that are security
#   groups or prefix lists are not judged. Precision is medium: a node's groups are
#   read from running instances, so a group for nodes not running at the time of the
#   snapshot is not checked, and peered networks are flagged until suppressed.
# custom:
#   id: NET012
#   name: eks-node-security-group-open-beyond-vpc
#   severity: high
#   roles: [any]
#   services: [ec2, eks]
#   precision: medium
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "EKS Best Practices Guide, Network Security: Security groups"
#     - "Security Hub EC2.18"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_any_port, ec2_instance_port_ssh_exposed_to_internet"
#   remediation: |
#     Let nodes take traffic from the VPC's load balancers and the cluster only:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "from_alb" {
#       security_group_id            = module.eks.node_security_group_id
#       ip_protocol                  = "tcp"
#       from_port                    = 0
#       to_port                      = 65535
#       referenced_security_group_id = aws_security_group.alb.id
#     }
#     ```
package archaudit.rules.eks_node_security_group_open_beyond_vpc

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	group.id in node_groups_ids
	not group.id in cluster_groups
	wide := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		outside_vpc(group, rule)
		not node_ports(rule)
	}
	count(wide) > 0
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf(
			"node security group %s (%s) of EKS cluster %s admits addresses outside its VPC: %s",
			[group.name, group.id, concat(", ", sort(clusters_of[group.id])), concat(", ", sort(wide))],
		),
	}
}

# Security groups of running EKS nodes, with the cluster they serve.
node_group_clusters contains [id, cluster] if {
	some instance in input.ec2.instances
	instance.state == "running"
	cluster := node_cluster(instance)
	some id in instance.security_group_ids
}

node_group_clusters contains [id, cluster.name] if {
	some cluster in input.eks.clusters
	some node_group in cluster.node_groups
	id := node_group.remote_access_security_group_id
}

node_groups_ids := {id | some [id, _] in node_group_clusters}

# The clusters each node security group serves, by group id (the pairs sorted once,
# not scanned per group: linear in the resources read, up to the sort). Grouped
# rather than written `clusters_of[id] contains cluster`, so that the rule runs on
# regorus's RVM, which cannot evaluate that form.
clusters_of := lib.grouped(node_group_clusters)

cluster_groups := {id |
	some cluster in input.eks.clusters
	some id in array.concat([object.get(cluster, "cluster_security_group_id", "")], object.get(cluster, "security_group_ids", []))
}

node_cluster(instance) := instance.tags["eks:cluster-name"]

node_cluster(instance) := instance.tags["aws:eks:cluster-name"] if not instance.tags["eks:cluster-name"]

node_cluster(instance) := name if {
	not instance.tags["eks:cluster-name"]
	not instance.tags["aws:eks:cluster-name"]
	some key, _ in instance.tags
	startswith(key, "kubernetes.io/cluster/")
	name := substring(key, count("kubernetes.io/cluster/"), -1)
}

node_ports(rule) if {
	rule.protocol in {"tcp", "6"}
	rule.from_port >= 30000
	rule.to_port <= 32767
}

# Every address: 0.0.0.0/0 or ::/0.
world(rule) if rule.cidr_ipv4 == "0.0.0.0/0"

world(rule) if rule.cidr_ipv6 == "::/0"

source(rule) := rule.cidr_ipv4 if rule.cidr_ipv4

source(rule) := rule.cidr_ipv6 if rule.cidr_ipv6

# Each VPC's IPv4 blocks (primary and secondary) by VPC id, built once per evaluation
# rather than scanning every VPC for each ingress rule (linear in the resources read).
# Grouped from (VPC id, block) pairs, as the clusters above.
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
