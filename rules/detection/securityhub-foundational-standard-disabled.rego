# METADATA
# title: Security Hub without the AWS Foundational Security Best Practices standard
# description: |
#   Checks every enabled hub for a subscription to the AWS Foundational Security Best
#   Practices standard (FSBP) that is `READY`. FSBP is the standard whose controls
#   cover EKS, ECR, RDS, S3, KMS, CloudTrail and GuardDuty; a hub without it, or with
#   only CIS or PCI DSS, checks a fraction of the platform. A subscription still
#   `PENDING` (just enabled) or `INCOMPLETE` / `FAILED` is reported with its status.
# custom:
#   id: SH002
#   name: securityhub-foundational-standard-disabled
#   severity: medium
#   roles: [any]
#   services: [securityhub, securityhub-standards]
#   precision: very-high
#   references:
#     - "Well-Architected SEC01-BP06: Automate testing and validation of security controls in pipelines"
#     - "AWS Security Hub: AWS Foundational Security Best Practices standard"
#     - "Prowler securityhub_enabled (requires an enabled standard)"
#   remediation: |
#     ```hcl
#     resource "aws_securityhub_standards_subscription" "fsbp" {
#       standards_arn = "arn:aws:securityhub:${data.aws_region.current.name}::standards/aws-foundational-security-best-practices/v/1.0.0"
#       depends_on    = [aws_securityhub_account.this]
#     }
#     ```
package archaudit.rules.securityhub_foundational_standard_disabled

import rego.v1

deny contains finding if {
	some hub in input.securityhub.hubs
	not fsbp_ready(hub)
	finding := {
		"resource": hub.arn,
		"region": hub.region,
		"message": sprintf("Security Hub in %s %s", [hub.region, state(hub)]),
	}
}

fsbp(standard) if contains(standard.standards_arn, ":standards/aws-foundational-security-best-practices/")

fsbp_ready(hub) if {
	some standard in hub.standards
	fsbp(standard)
	standard.status == "READY"
}

state(hub) := sprintf("has the Foundational Security Best Practices standard %s", [concat(" and ", sort(statuses))]) if {
	statuses := {s.status | some s in hub.standards; fsbp(s)}
	count(statuses) > 0
}

state(hub) := sprintf("is not subscribed to the Foundational Security Best Practices standard (%s)", [others(hub)]) if {
	not any_fsbp(hub)
}

any_fsbp(hub) if {
	some s in hub.standards
	fsbp(s)
}

others(hub) := "no standard at all" if count(hub.standards) == 0

others(hub) := sprintf("only %s", [concat(", ", sort([name(s) | some s in hub.standards]))]) if count(hub.standards) > 0

# `arn:aws:securityhub:eu-central-1::standards/cis-aws-foundations-benchmark/v/1.4.0`
# -> `standards/cis-aws-foundations-benchmark/v/1.4.0`
name(standard) := parts[count(parts) - 1] if {
	parts := split(standard.standards_arn, ":")
}
