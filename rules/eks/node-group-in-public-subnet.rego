# METADATA
# title: EKS nodes launched in public subnets
# description: |
#   Checks every EKS managed node group's subnets, and the subnet of every running
#   instance tagged as an EKS node (`eks:cluster-name`, `aws:eks:cluster-name`,
#   `kubernetes.io/cluster/<name>`: self-managed nodes and Karpenter's), for public
#   subnets: a route table (the subnet's own, or the VPC's main one) that sends
#   0.0.0.0/0 or ::/0 to an internet gateway, or automatic public IPv4 addresses on
#   launch. A subnet that a snapshot shows in several route tables (AWS allows one
#   association) is public when any of them is. The reference puts nodes in the private subnets behind a NAT gateway;
#   nodes in a public subnet are one security group rule away from the internet, and
#   with public addresses the kubelet and NodePorts are reachable directly.
#
#   Precision is high: a subnet routed through a firewall appliance to the internet
#   gateway looks private here.
# custom:
#   id: EKS007
#   name: node-group-in-public-subnet
#   severity: high
#   roles: [any]
#   services: [ec2, eks]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "EKS Best Practices Guide, Network Security: Deploy nodes to private subnets"
#     - "Security Hub EC2.15 (subnets should not automatically assign public IPs)"
#     - "Prowler eks_cluster_private_nodes_enabled (endpoint side); ec2_instance_public_ip"
#   remediation: |
#     Give node groups (and Karpenter's EC2NodeClass subnet selector) the private
#     subnets only:
#
#     ```hcl
#     resource "aws_eks_node_group" "default" {
#       # ...
#       subnet_ids = module.vpc.private_subnets
#     }
#     ```
package archaudit.rules.node_group_in_public_subnet

import rego.v1

# A subnet is public when a route table that applies to it (those associated with
# it, else its VPC's main one) sends 0.0.0.0/0 or ::/0 to an internet gateway, or when
# it gives instances public addresses on launch. AWS allows one association per
# subnet, but a snapshot may hold several (or two main tables): any public one makes
# the subnet public. Sets built once per evaluation, so the rule is linear in the
# route tables, subnets, node groups and instances it reads. One set per case, not a
# function per subnet (a function call is the RVM's costliest step).
public_subnet_ids := ({subnet.id |
	some subnet in input.ec2.subnets
	subnet.id in associated_with_public_table
} | {subnet.id |
	some subnet in input.ec2.subnets
	not subnet.id in associated
	subnet.vpc_id in vpcs_with_public_main_table
}) | {subnet.id |
	some subnet in input.ec2.subnets
	subnet.map_public_ip_on_launch
}

# Route tables with an active default route to an internet gateway (a table with
# several such routes is listed once per route).
public_tables := [table |
	some table in input.ec2.route_tables
	some route in table.routes
	route.destination in {"0.0.0.0/0", "::/0"}
	startswith(route.target, "igw-")
	route.state == "active"
]

associated := {id | some table in input.ec2.route_tables; some id in table.subnet_ids}

associated_with_public_table := {id | some table in public_tables; some id in table.subnet_ids}

vpcs_with_public_main_table := {vpc_id |
	some table in public_tables
	table.main
	vpc_id := table.vpc_id
}

deny contains finding if {
	some cluster in input.eks.clusters
	some node_group in cluster.node_groups
	public_ids := {id |
		some id in object.get(node_group, "subnet_ids", [])
		id in public_subnet_ids
	}
	count(public_ids) > 0
	finding := {
		"resource": node_group.arn,
		"region": cluster.region,
		"message": sprintf(
			"node group %s of EKS cluster %s launches nodes in public subnets: %s",
			[node_group.name, cluster.name, concat(", ", sort(public_ids))],
		),
	}
}

deny contains finding if {
	some instance in input.ec2.instances
	instance.subnet_id in public_subnet_ids
	instance.state == "running"
	cluster := node_cluster(instance)
	finding := {
		"resource": instance.arn,
		"region": instance.region,
		"message": sprintf(
			"EKS node %s of cluster %s runs in public subnet %s",
			[instance.id, cluster, instance.subnet_id],
		),
	}
}

node_cluster(instance) := instance.tags["eks:cluster-name"]

node_cluster(instance) := instance.tags["aws:eks:cluster-name"] if not instance.tags["eks:cluster-name"]

# One value even when a node carries several `kubernetes.io/cluster/*` tags.
node_cluster(instance) := concat(", ", sort(names)) if {
	not instance.tags["eks:cluster-name"]
	not instance.tags["aws:eks:cluster-name"]
	names := {name |
		some key, _ in instance.tags
		startswith(key, "kubernetes.io/cluster/")
		name := substring(key, count("kubernetes.io/cluster/"), -1)
	}
	count(names) > 0
}
