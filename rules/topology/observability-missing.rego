# METADATA
# title: Shared account lacks the reference's managed observability services
# description: |
#   Checks that the Shared account has the observability services the reference
#   architecture names: CloudWatch Logs log groups with a retention period, an
#   OpenSearch Service domain, an Amazon Managed Grafana workspace and an Amazon
#   Managed Service for Prometheus workspace. Without them, logs and metrics of the
#   platform live inside the cluster they are meant to observe (in-cluster OpenSearch,
#   Fluent Bit and Prometheus, as the add-ons deploy them), so an outage of the
#   cluster also takes away the data needed to investigate it. One finding names what
#   is missing and what is present; in-cluster replacements are not visible to this
#   check.
# custom:
#   id: TOPO006
#   name: observability-missing
#   severity: low
#   roles: [shared]
#   services: [logs, opensearch, grafana, amp]
#   precision: low
#   references:
#     - "Well-Architected OPS04-BP02: Implement application telemetry"
#     - "Well-Architected REL06-BP01: Monitor all components for the workload (Generation)"
#     - "EKS Best Practices Guide: Observability (Amazon Managed Service for Prometheus, Amazon Managed Grafana, CloudWatch)"
#     - "KubeRocketCI reference architecture: CloudWatch, OpenSearch Service, Managed Grafana and Managed Prometheus"
#   remediation: |
#     Create the missing managed services in the Shared account, for example:
#
#     ```hcl
#     resource "aws_prometheus_workspace" "platform" {
#       alias = "krci-shared"
#     }
#
#     resource "aws_grafana_workspace" "platform" {
#       name                     = "krci-shared"
#       account_access_type      = "CURRENT_ACCOUNT"
#       authentication_providers = ["AWS_SSO"]
#       permission_type          = "SERVICE_MANAGED"
#       data_sources             = ["PROMETHEUS", "CLOUDWATCH", "AMAZON_OPENSEARCH_SERVICE"]
#       role_arn                 = aws_iam_role.grafana.arn
#     }
#
#     resource "aws_cloudwatch_log_group" "eks" {
#       name              = "/aws/eks/shared/cluster"
#       retention_in_days = 90
#     }
#     ```
package archaudit.rules.observability_missing

import rego.v1

deny contains finding if {
	missing := [name | some name, present in components; not present]
	count(missing) > 0
	found := [name | some name, present in components; present]
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"shared account %s (%s) lacks %s (present: %s) in the regions read (%s)",
			[input.account.name, input.account.id, join_words(missing), present_text(found), concat(", ", input.regions)],
		),
	}
}

components := {
	"a CloudWatch log group with retention": has_retained_log_group,
	"an OpenSearch Service domain": count(input.opensearch.domains) > 0,
	"a Managed Grafana workspace": count(input.grafana.workspaces) > 0,
	"a Managed Prometheus workspace": count(input.amp.workspaces) > 0,
}

default has_retained_log_group := false

has_retained_log_group if {
	some group in input.logs.log_groups
	group.retention_in_days
}

present_text(found) := join_words(found) if count(found) > 0

present_text(found) := "none" if count(found) == 0

# "a", "a and b", "a, b and c".
join_words(words) := words[0] if count(words) == 1

join_words(words) := sprintf("%s and %s", [concat(", ", array.slice(words, 0, count(words) - 1)), words[count(words) - 1]]) if {
	count(words) > 1
}
