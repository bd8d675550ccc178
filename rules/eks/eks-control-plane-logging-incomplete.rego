# METADATA
# title: EKS control-plane logging misses api, audit or authenticator logs
# description: |
#   Checks that every EKS cluster sends at least the api, audit and authenticator
#   control-plane logs to CloudWatch Logs. These record who called the Kubernetes API,
#   what they changed and which IAM identity they authenticated as; without them an
#   incident cannot be investigated and GuardDuty-style detections have nothing to read.
#   The reference deployment enables no control-plane logging at all. controllerManager
#   and scheduler logs are useful but not required by this check.
# custom:
#   id: EKS003
#   name: eks-control-plane-logging-incomplete
#   severity: medium
#   roles: [any]
#   services: [eks]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "EKS Best Practices Guide, Detective Controls: Enable audit logs"
#     - "CIS Amazon EKS Benchmark 2.1.1: Enable audit Logs"
#     - "Security Hub EKS.8"
#     - "Prowler eks_control_plane_logging_all_types_enabled; Steampipe eks_cluster_control_plane_audit_logging_enabled; Trivy AWS-0038"
#   remediation: |
#     Enable the control-plane log types (and set a retention on the
#     `/aws/eks/<cluster>/cluster` log group):
#
#     ```hcl
#     resource "aws_eks_cluster" "this" {
#       # ...
#       enabled_cluster_log_types = ["api", "audit", "authenticator"]
#     }
#     ```
#
#     With terraform-aws-modules/eks: `cluster_enabled_log_types`.
package archaudit.rules.eks_control_plane_logging_incomplete

import rego.v1

required_log_types := {"api", "audit", "authenticator"}

deny contains finding if {
	some cluster in input.eks.clusters
	missing := missing_log_types(cluster)
	count(missing) > 0
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("EKS cluster %s does not send these control-plane logs to CloudWatch: %s", [cluster.name, concat(", ", sort(missing))]),
	}
}

missing_log_types(cluster) := required_log_types - {t | some t in cluster.logging_enabled_types}
