# METADATA
# title: EKS cluster security group admits addresses outside the VPC and the VPN
# description: |
#   Checks the security groups of every EKS cluster (the cluster security group EKS
#   creates, which is also on managed nodes, and the additional control-plane groups)
#   for ingress from an address block that is neither inside the cluster's VPC
#   (primary or secondary CIDR) nor a Client VPN endpoint's client CIDR. In the
#   reference the Kubernetes API is reached from inside the VPC or through the
#   developers' Client VPN; a group open wider puts the private API endpoint and the
#   nodes' ports in reach of networks the design never meant to trust. This is sharper
#   than a generic world-open check: a /16 of a partner network is flagged too.
#
#   Sources that are security groups or managed prefix lists are not judged (their
#   members are not in the snapshot). Precision is high, not very-high: a peered VPC
#   or a transit gateway network that legitimately reaches the API is flagged until
#   suppressed.
# custom:
#   id: NET011
#   name: eks-cluster-security-group-open-beyond-vpc-and-vpn
#   severity: high
#   roles: [any]
#   services: [ec2, ec2-client-vpn, eks]
#   precision: high
#   references:
#     - "Well-Architected SEC05-BP02: Control traffic flow within your network layers"
#     - "EKS Best Practices Guide, Network Security: Cluster security group"
#     - "Security Hub EC2.18 / EKS.1 (endpoint access)"
#     - "Prowler ec2_securitygroup_allow_ingress_from_internet_to_any_port, eks_cluster_not_publicly_accessible"
#   remediation: |
#     Admit the API port from the VPC and the VPN only:
#
#     ```hcl
#     resource "aws_vpc_security_group_ingress_rule" "api_from_vpn" {
#       security_group_id = module.eks.cluster_security_group_id
#       ip_protocol       = "tcp"
#       from_port         = 443
#       to_port           = 443
#       cidr_ipv4         = aws_ec2_client_vpn_endpoint.this.client_cidr_block
#     }
#     ```
package archaudit.rules.eks_cluster_security_group_open_beyond_vpc_and_vpn

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some group in input.ec2.security_groups
	group.id in cluster_group_ids
	clusters := cluster_names_by_group[group.id]
	wide := {sprintf("%s (%s from %s)", [rule.id, ports(rule), source(rule)]) |
		some rule in group.ingress
		outside_vpc(group, rule)
		not from_vpn(rule)
	}
	count(wide) > 0
	some cluster in clusters
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf(
			"security group %s (%s) of EKS cluster %s admits addresses outside its VPC and the VPN: %s",
			[group.name, group.id, cluster, concat(", ", sort(wide))],
		),
	}
}

# The names of the clusters of each security group, by group id: built once per
# evaluation so that no group is matched against every cluster and a group's rules
# are judged once, however many clusters share it (linear in the resources read).
# Grouped from sorted (group, cluster name) pairs, not written `clusters_by_group[id]
# contains cluster`, so that the rule runs on regorus's RVM, which cannot evaluate
# that form.
cluster_names_by_group := lib.grouped({[id, name] |
	some cluster in input.eks.clusters
	name := cluster.name
	some id in cluster_groups(cluster)
})

# The ids of the clusters' groups, tested before the lookup: on regorus's RVM a
# lookup of a missing key does not end the rule body at once, and the ingress rules
# of every group would be judged.
cluster_group_ids := {id | some id, _ in cluster_names_by_group}

cluster_groups(cluster) := {id |
	some id in array.concat([object.get(cluster, "cluster_security_group_id", "")], object.get(cluster, "security_group_ids", []))
	id != ""
}

# Inside a Client VPN endpoint's client range.
from_vpn(rule) if {
	some endpoint in input.ec2.client_vpn_endpoints
	endpoint.client_cidr_block
	net.cidr_contains(endpoint.client_cidr_block, source(rule))
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
