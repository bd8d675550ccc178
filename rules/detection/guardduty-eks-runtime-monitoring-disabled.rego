# METADATA
# title: GuardDuty runtime monitoring off where EKS runs
# description: |
#   Checks, in every Region where the account runs EKS clusters, that the enabled
#   GuardDuty detector has runtime monitoring for EKS on: `RUNTIME_MONITORING` with its
#   `EKS_ADDON_MANAGEMENT` configuration (GuardDuty installs its agent on every
#   cluster), or the older `EKS_RUNTIME_MONITORING` plan. Audit logs show what the API
#   was asked; only the agent sees what runs inside containers (reverse shells, crypto
#   miners, a process reading the node's instance credentials). With
#   `RUNTIME_MONITORING` on but agent management off, the agent must be installed on each
#   cluster by hand and is usually missing on the next cluster; that is reported too, so
#   a team that installs the `aws-guardduty-agent` add-on itself everywhere sees a false
#   positive (precision high).
# custom:
#   id: GD003
#   name: guardduty-eks-runtime-monitoring-disabled
#   severity: medium
#   roles: [any]
#   services: [guardduty, eks]
#   precision: high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "EKS Best Practices Guide, Runtime security: GuardDuty Runtime Monitoring"
#     - "Security Hub GuardDuty.7 / AWS Config GUARDDUTY_EKS_PROTECTION_RUNTIME_ENABLED"
#     - "Prowler guardduty_eks_runtime_monitoring_enabled"
#   remediation: |
#     ```hcl
#     resource "aws_guardduty_detector_feature" "runtime_monitoring" {
#       detector_id = aws_guardduty_detector.this.id
#       name        = "RUNTIME_MONITORING"
#       status      = "ENABLED"
#       additional_configuration {
#         name   = "EKS_ADDON_MANAGEMENT"
#         status = "ENABLED"
#       }
#     }
#     ```
package archaudit.rules.guardduty_eks_runtime_monitoring_disabled

import data.archaudit.lib
import rego.v1

deny contains finding if {
	some detector in input.guardduty.detectors
	detector.status == "ENABLED"
	clusters := cluster_names[detector.region]
	count(clusters) > 0
	not monitors_eks(detector.features)
	finding := {
		"resource": detector.arn,
		"region": detector.region,
		"message": sprintf(
			"GuardDuty detector %s in %s has no runtime monitoring for EKS (%s), yet the Region runs EKS %s",
			[detector.id, detector.region, why(detector.features), concat(", ", sort(clusters))],
		),
	}
}

monitors_eks(features) if {
	features.RUNTIME_MONITORING == "ENABLED"
	features["RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT"] == "ENABLED"
}

monitors_eks(features) if {
	features.EKS_RUNTIME_MONITORING == "ENABLED"
	features["EKS_RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT"] == "ENABLED"
}

why(features) := "RUNTIME_MONITORING on, but GuardDuty does not manage its EKS agent" if {
	features.RUNTIME_MONITORING == "ENABLED"
}

why(features) := "EKS_RUNTIME_MONITORING on, but GuardDuty does not manage its EKS agent" if {
	not features.RUNTIME_MONITORING == "ENABLED"
	features.EKS_RUNTIME_MONITORING == "ENABLED"
}

why(features) := "RUNTIME_MONITORING and EKS_RUNTIME_MONITORING off" if {
	not features.RUNTIME_MONITORING == "ENABLED"
	not features.EKS_RUNTIME_MONITORING == "ENABLED"
}

# The EKS clusters of each region, by region: built once per evaluation rather than
# scanning every cluster for each detector (linear in the resources read). Grouped
# from sorted (region, name) pairs, not written `cluster_names[region] contains
# name`, so that the rule runs on regorus's RVM, which cannot evaluate that form.
cluster_names := lib.grouped({[region, name] |
	some c in input.eks.clusters
	region := c.region
	name := c.name
})
