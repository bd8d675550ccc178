# METADATA
# title: EKS node role has a broad AWS managed policy attached
# description: |
#   Flags IAM roles used by EKS worker nodes (the node role of a managed node group,
#   or an EC2-trusted role whose name contains "node", as self-managed node groups
#   use) that have AdministratorAccess, PowerUserAccess, IAMFullAccess,
#   AmazonEC2FullAccess or AmazonS3FullAccess attached. Every pod that can reach the
#   instance metadata service, and anyone who escapes a container, gets the node
#   role's credentials: broad policies there turn any pod compromise into an account
#   compromise. Nodes need only AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly
#   (and the CNI policy unless vpc-cni uses IRSA); workloads get their own IRSA roles.
# custom:
#   id: IAM007
#   name: node-role-broad-managed-policy
#   severity: high
#   roles: [any]
#   services: [eks, iam]
#   precision: high
#   references:
#     - "Well-Architected SEC03-BP02: Grant least privilege access"
#     - "EKS Best Practices Guide, Identity and Access Management: restrict access to the instance profile assigned to the worker node; grant least privileged access to AWS resources"
#     - "EKS User Guide: Amazon EKS node IAM role (required policies)"
#   remediation: |
#     Detach the broad policy from the node role and give the workloads that needed it
#     their own IRSA or Pod Identity roles:
#
#     ```hcl
#     module "eks" {
#       source = "terraform-aws-modules/eks/aws"
#       # ...
#       self_managed_node_groups = {
#         default = {
#           iam_role_additional_policies = {
#             # only what the node itself needs, e.g. SSM access; never AdministratorAccess
#             ssm = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
#           }
#         }
#       }
#     }
#     ```
package archaudit.rules.node_role_broad_managed_policy

import data.archaudit.lib
import rego.v1

broad_policies := {
	"AdministratorAccess",
	"PowerUserAccess",
	"IAMFullAccess",
	"AmazonEC2FullAccess",
	"AmazonS3FullAccess",
}

deny contains finding if {
	some role in input.iam.roles
	broad := {name |
		some arn in role.attached_policies
		arn in broad_arns
		name := broad_names[arn]
	}
	count(broad) > 0
	usage := node_usage(role)
	finding := {
		"resource": role.arn,
		"region": "global",
		"message": sprintf(
			"node role %s (%s) has broad AWS managed policies attached: %s; every pod that reaches IMDS on these nodes can use them",
			[role.name, usage, concat(", ", sort(broad))],
		),
	}
}

# The names of the broad AWS managed policies attached to any role, by ARN
# (arn:<partition>:iam::aws:policy/<name>): each distinct ARN is parsed once per
# evaluation, the name tested first.
broad_names := {arn: name |
	some arn in {attached | some role in input.iam.roles; some attached in role.attached_policies}
	parts := split(arn, ":")
	name := trim_prefix(parts[5], "policy/")
	name in broad_policies
	count(parts) == 6
	parts[2] == "iam"
	parts[4] == "aws"
}

broad_arns := {arn | some arn, _ in broad_names}

# Node groups (cluster/name) that use the role.
node_groups_of(role) := sort({name | some name in node_groups_by_role[role.arn]})

# Node groups (cluster/name) by the role they use, built once per evaluation rather
# than scanning every node group for each role (linear in the resources read).
# Grouped from (role, node group) pairs, not as `node_groups_by_role[arn] contains
# name`, so that the rule runs on regorus's RVM, which cannot evaluate that form.
node_groups_by_role := lib.grouped(node_group_roles)

node_group_roles contains [arn, name] if {
	some cluster in input.eks.clusters
	some group in cluster.node_groups
	arn := group.node_role_arn
	name := sprintf("%s/%s", [cluster.name, group.name])
}

node_usage(role) := sprintf("node role of node group(s) %s", [concat(", ", groups)]) if {
	groups := node_groups_of(role)
	count(groups) > 0
} else := "EC2-trusted role named as a node role" if {
	contains(lower(role.name), "node")
	trusted_by_ec2(role)
}

trusted_by_ec2(role) if {
	some statement in as_array(object.get(role.trust_policy, "Statement", []))
	statement.Effect == "Allow"
	some service in as_array(object.get(statement, ["Principal", "Service"], []))
	service == "ec2.amazonaws.com"
}

as_array(x) := x if is_array(x)
else := [x]
