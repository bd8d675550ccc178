# METADATA
# title: VPC without flow logs
# description: |
#   Checks that every non-default VPC has a flow log attached to the VPC itself.
#   Flow logs are the only record of which addresses talked to which, on which
#   ports, and whether security groups and network ACLs accepted or rejected the
#   traffic. Without them, lateral movement from a compromised pod or node, data
#   exfiltration through the NAT gateway and unexpected inbound traffic cannot be
#   investigated. The reference Terraform creates none.
#
#   Any flow log whose resource is the VPC counts (whatever its traffic type and
#   destination). Flow logs on single subnets or network interfaces do not cover
#   the whole VPC, so they do not count, but the finding mentions them. Default
#   VPCs are not flagged: they should be empty or deleted instead.
# custom:
#   id: NET001
#   name: vpc-flow-logs-disabled
#   severity: medium
#   roles: [any]
#   services: [ec2]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "CIS AWS Foundations 3.7 (v3.0; 3.9 in v1.5 and v2.0): Ensure VPC flow logging is enabled in all VPCs"
#     - "Security Hub EC2.6 / AWS Config VPC_FLOW_LOGS_ENABLED"
#     - "Prowler vpc_flow_logs_enabled; Steampipe vpc_flow_logs_enabled; Trivy AWS-0178"
#   remediation: |
#     Attach a flow log to the VPC, for example to S3 (cheaper at volume) or to a
#     CloudWatch log group with a retention period:
#
#     ```hcl
#     resource "aws_flow_log" "vpc" {
#       vpc_id               = module.vpc.vpc_id
#       traffic_type         = "ALL"
#       log_destination_type = "s3"
#       log_destination      = "${aws_s3_bucket.flow_logs.arn}/vpc/"
#     }
#     ```
#
#     With the terraform-aws-modules/vpc module: `enable_flow_log = true`,
#     `create_flow_log_cloudwatch_log_group = true`, `create_flow_log_cloudwatch_iam_role = true`.
package archaudit.rules.vpc_flow_logs_disabled

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some vpc in input.ec2.vpcs
	not vpc.is_default
	not vpc_flow_logged(vpc)
	finding := {
		"resource": vpc.arn,
		"region": vpc.region,
		"message": sprintf("VPC %s has no flow log, so its traffic is not recorded%s", [
			display_name(vpc),
			partial_coverage(vpc),
		]),
	}
}

# The ids of the resources that have a flow log, and the flow-logged subnets of each
# VPC, built once per evaluation rather than scanning every flow log and subnet for
# each VPC (linear in the resources read).
flow_logged contains id if {
	some fl in input.ec2.flow_logs
	id := fl.resource_id
}

# Grouped from (VPC, subnet) pairs, not as `logged_subnets_by_vpc[vpc_id] contains
# id`, so that the rule runs on regorus's RVM, which cannot evaluate that form.
logged_subnets_by_vpc := lib.grouped({[vpc_id, id] |
	some subnet in input.ec2.subnets
	id := subnet.id
	id in flow_logged
	vpc_id := subnet.vpc_id
})

vpc_flow_logged(vpc) if vpc.id in flow_logged

# Subnets of the VPC that have a flow log of their own.
logged_subnets(vpc) := {id | some id in logged_subnets_by_vpc[vpc.id]}

partial_coverage(vpc) := "" if count(logged_subnets(vpc)) == 0

partial_coverage(vpc) := sprintf(" (only subnet-level flow logs on %s)", [concat(", ", sort(logged_subnets(vpc)))]) if {
	count(logged_subnets(vpc)) > 0
}

display_name(vpc) := sprintf("%s (%s, %s)", [vpc.tags.Name, vpc.id, vpc.cidr_block]) if vpc.tags.Name

display_name(vpc) := sprintf("%s (%s)", [vpc.id, vpc.cidr_block]) if not vpc.tags.Name
