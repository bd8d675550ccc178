# METADATA
# title: CloudWatch log group keeps its events forever
# description: |
#   Checks that every CloudWatch Logs log group has a retention period. A log
#   group without one never expires its events, so storage cost grows without
#   bound (EKS control-plane, VPC flow and Container Insights logs grow fast) and
#   personal data in logs is kept longer than any retention policy allows. Log
#   groups that services create on first write (for example `/aws/eks/<cluster>/cluster`
#   when the cluster is created before its log group) start without one.
#
#   Any retention period counts; whether it is long enough for audits is a policy
#   decision this rule does not make.
# custom:
#   id: OBS001
#   name: log-group-without-retention
#   severity: low
#   roles: [any]
#   services: [logs]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Well-Architected COST04-BP05: Enforce data retention policies"
#     - "Security Hub CloudWatch.16 / AWS Config CW_LOGGROUP_RETENTION_PERIOD_CHECK"
#     - "Prowler cloudwatch_log_group_retention_policy_specific_days_enabled; Steampipe cloudwatch_log_group_retention_period_365"
#   remediation: |
#     Manage the log group in Terraform (create it before the service writes to
#     it) with a retention period:
#
#     ```hcl
#     resource "aws_cloudwatch_log_group" "eks" {
#       name              = "/aws/eks/shared/cluster"
#       retention_in_days = 365
#     }
#     ```
#
#     For a log group that already exists, import it, or set the retention once:
#     `aws logs put-retention-policy --log-group-name <name> --retention-in-days 365`.
package archaudit.rules.log_group_without_retention

import rego.v1

deny contains finding if {
	some group in input.logs.log_groups
	not group.retention_in_days
	finding := {
		"resource": group.arn,
		"region": group.region,
		"message": sprintf("CloudWatch log group %s has no retention period, so its events never expire%s", [
			group.name,
			created(group),
		]),
	}
}

created(group) := sprintf(" (created %s)", [substring(group.created, 0, 10)]) if group.created

created(group) := "" if not group.created
