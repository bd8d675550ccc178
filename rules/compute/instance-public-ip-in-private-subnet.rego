# METADATA
# title: Instance with a public IP in an EKS or data subnet
# description: |
#   Checks running EC2 instances for a public IPv4 address when they sit in a subnet
#   that the account's EKS clusters and node groups, RDS databases, EFS mount targets or
#   OpenSearch domains use. In the reference those subnets are private: nodes reach the
#   internet through the NAT gateway, and only the ALB lives in the public subnets. An
#   instance with a public address there is reachable from the internet as far as its
#   security groups allow, and is a sign that the subnet itself gives public addresses
#   on launch.
#
#   Instances in other subnets (bastions, VPN appliances in the public subnets) are not
#   flagged. Precision is high: a subnet is recognised through the resources that use
#   it, so an EKS subnet no cluster, node group or data service names is not checked.
# custom:
#   id: CMP002
#   name: instance-public-ip-in-private-subnet
#   severity: high
#   roles: [any]
#   services: [ec2, eks, rds, efs, opensearch]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "EKS Best Practices Guide, Network Security: Deploy nodes to private subnets"
#     - "Security Hub EC2.9 (instances without a public IPv4 address) and EC2.15 (subnets not assigning public IPs)"
#     - "Prowler ec2_instance_public_ip"
#   remediation: |
#     Stop assigning public addresses in the private subnets and replace the instance
#     (nodes: roll the node group or let Karpenter replace them):
#
#     ```hcl
#     resource "aws_subnet" "private" {
#       # ...
#       map_public_ip_on_launch = false
#     }
#
#     resource "aws_launch_template" "nodes" {
#       # ...
#       network_interfaces {
#         associate_public_ip_address = false
#       }
#     }
#     ```
package archaudit.rules.instance_public_ip_in_private_subnet

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some instance in input.ec2.instances
	instance.state == "running"
	instance.public_ip
	users := subnet_users[instance.subnet_id]
	finding := {
		"resource": instance.arn,
		"region": instance.region,
		"message": sprintf(
			"running instance %s%s has public IP %s in subnet %s, which %s uses",
			[instance.id, name_suffix(instance), instance.public_ip, instance.subnet_id, concat(", ", sort(users))],
		),
	}
}

# The users of each subnet, by subnet id: built once per evaluation rather than
# scanning every user for each instance (linear in the resources read). Grouped from
# sorted (subnet, user) pairs, not written `subnet_users[subnet] contains user`, so
# that the rule runs on regorus's RVM, which cannot evaluate that form.
subnet_users := lib.grouped(subnet_user_pairs)

# The subnets of the running instances with a public IP: only their users are
# named (and sorted), not those of every subnet.
public_ip_subnets := {subnet |
	some instance in input.ec2.instances
	instance.state == "running"
	instance.public_ip
	subnet := instance.subnet_id
}

subnet_user_pairs contains [subnet, sprintf("EKS cluster %s", [cluster.name])] if {
	some cluster in input.eks.clusters
	some subnet in object.get(cluster, "subnet_ids", [])
	subnet in public_ip_subnets
}

subnet_user_pairs contains [subnet, sprintf("EKS node group %s", [node_group.name])] if {
	some cluster in input.eks.clusters
	some node_group in cluster.node_groups
	some subnet in object.get(node_group, "subnet_ids", [])
	subnet in public_ip_subnets
}

subnet_user_pairs contains [subnet, sprintf("RDS %s", [db.id])] if {
	some db in input.rds.instances
	some subnet in object.get(db, "subnet_ids", [])
	subnet in public_ip_subnets
}

subnet_user_pairs contains [target.subnet_id, sprintf("EFS %s", [fs.id])] if {
	some fs in input.efs.file_systems
	some target in fs.mount_targets
	target.subnet_id in public_ip_subnets
}

subnet_user_pairs contains [subnet, sprintf("OpenSearch %s", [domain.name])] if {
	some domain in input.opensearch.domains
	some subnet in object.get(domain, "subnet_ids", [])
	subnet in public_ip_subnets
}

name_suffix(instance) := sprintf(" (%s)", [instance.tags.Name]) if instance.tags.Name

name_suffix(instance) := "" if not instance.tags.Name
