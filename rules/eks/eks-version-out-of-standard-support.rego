# METADATA
# title: EKS cluster on a Kubernetes version past EKS standard support
# description: |
#   Compares each cluster's Kubernetes minor version with the end of standard support in
#   the Amazon EKS Kubernetes release calendar (a dated table kept in this rule, checked
#   2026-11-24). Past that date the cluster runs in extended support, billed per cluster
#   hour on top of the standard price, and is auto-upgraded when extended support ends;
#   upstream no longer ships fixes for the version. The reference runs 1.34.
#
#   Versions older than the oldest in the table (1.28) are flagged too; versions newer than
#   the newest are assumed supported. Update the table when new versions are released.
# custom:
#   id: EKS004
#   name: eks-version-out-of-standard-support
#   severity: medium
#   roles: [any]
#   services: [eks]
#   precision: very-high
#   references:
#     - "Well-Architected SEC06-BP01: Perform vulnerability management"
#     - "Amazon EKS User Guide: Understand the Kubernetes version lifecycle on EKS (release calendar)"
#     - "EKS Best Practices Guide: Cluster Upgrades"
#     - "Security Hub EKS.2 / AWS Config EKS_CLUSTER_SUPPORTED_VERSION"
#     - "Prowler eks_cluster_uses_a_supported_version"
#   remediation: |
#     Upgrade the control plane one minor version at a time (then node groups, launch
#     template AMIs and add-ons), after checking deprecated APIs:
#
#     ```hcl
#     resource "aws_eks_cluster" "this" {
#       # ...
#       version = "1.34"
#
#       upgrade_policy {
#         support_type = "STANDARD" # auto-upgrade instead of paying for extended support
#       }
#     }
#     ```
package archaudit.rules.eks_version_out_of_standard_support

import rego.v1

# When the table below was last checked against the Amazon EKS Kubernetes release calendar
# (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
calendar_checked := "2026-11-24"

# End of EKS standard support per Kubernetes minor version (checked 2026-11-24).
standard_support_end := {
	"1.28": "2024-11-26",
	"1.29": "2025-03-23",
	"1.30": "2025-07-23",
	"1.31": "2025-11-26",
	"1.32": "2026-03-23",
	"1.33": "2026-07-29",
	"1.34": "2026-12-02",
	"1.35": "2027-03-27",
}

oldest_listed := min({minor_number(v) | some v, _ in standard_support_end})

now_ns := time.parse_rfc3339_ns(input.now)

deny contains finding if {
	some cluster in input.eks.clusters
	end := standard_support_end[cluster.version]
	time.parse_rfc3339_ns(sprintf("%sT00:00:00Z", [end])) < now_ns
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("EKS cluster %s runs Kubernetes %s, whose EKS standard support ended on %s (release calendar checked %s)", [cluster.name, cluster.version, end, calendar_checked]),
	}
}

deny contains finding if {
	some cluster in input.eks.clusters
	not standard_support_end[cluster.version]
	minor_number(cluster.version) < oldest_listed
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("EKS cluster %s runs Kubernetes %s, older than 1.28, whose EKS standard support ended on %s (release calendar checked %s)", [cluster.name, cluster.version, standard_support_end["1.28"], calendar_checked]),
	}
}

# "1.34" -> 34, for versions of Kubernetes 1.x.
minor_number(version) := to_number(parts[1]) if {
	parts := split(version, ".")
	parts[0] == "1"
}
