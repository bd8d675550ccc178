# METADATA
# title: GuardDuty EKS audit log monitoring off where EKS runs
# description: |
#   Checks, in every Region where the account runs EKS clusters, that the enabled
#   GuardDuty detector has EKS Protection (`EKS_AUDIT_LOGS`) on. It reads the clusters'
#   Kubernetes audit logs (GuardDuty's own copy, not the control-plane logs the
#   cluster ships) and reports anonymous access, privileged pods, exec into pods and
#   API calls from known-bad addresses. In the reference every workload account runs an
#   EKS cluster, so this is where GuardDuty sees the platform. A Region without EKS
#   clusters is not checked; a missing detector is GD001's finding.
# custom:
#   id: GD002
#   name: guardduty-eks-audit-logs-disabled
#   severity: medium
#   roles: [any]
#   services: [guardduty, eks]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "EKS Best Practices Guide, Detective controls: enable GuardDuty EKS Protection"
#     - "Security Hub GuardDuty.5 / AWS Config GUARDDUTY_EKS_PROTECTION_AUDIT_ENABLED"
#     - "Prowler guardduty_eks_audit_log_enabled"
#   remediation: |
#     ```hcl
#     resource "aws_guardduty_detector_feature" "eks_audit_logs" {
#       detector_id = aws_guardduty_detector.this.id
#       name        = "EKS_AUDIT_LOGS"
#       status      = "ENABLED"
#     }
#     ```
package archaudit.rules.guardduty_eks_audit_logs_disabled

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some detector in input.guardduty.detectors
	detector.status == "ENABLED"
	clusters := cluster_names[detector.region]
	count(clusters) > 0
	not detector.features.EKS_AUDIT_LOGS == "ENABLED"
	finding := {
		"resource": detector.arn,
		"region": detector.region,
		"message": sprintf(
			"GuardDuty detector %s in %s does not monitor EKS audit logs (EKS_AUDIT_LOGS %s), yet the Region runs EKS %s",
			[detector.id, detector.region, object.get(detector.features, "EKS_AUDIT_LOGS", "not reported"), cluster_list(clusters)],
		),
	}
}

cluster_list(clusters) := sprintf("cluster %s", [concat(", ", sort(clusters))]) if count(clusters) == 1

cluster_list(clusters) := sprintf("clusters %s", [concat(", ", sort(clusters))]) if count(clusters) > 1

# The EKS clusters of each region, by region: built once per evaluation rather than
# scanning every cluster for each detector (linear in the resources read). Grouped
# from sorted (region, name) pairs, not written `cluster_names[region] contains
# name`, so that the rule runs on regorus's RVM, which cannot evaluate that form.
cluster_names := lib.grouped({[region, name] |
	some c in input.eks.clusters
	region := c.region
	name := c.name
})
