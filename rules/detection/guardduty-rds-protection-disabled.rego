# METADATA
# title: GuardDuty RDS Protection off where supported databases run
# description: |
#   Checks, in every Region where the account runs Aurora, RDS for PostgreSQL or RDS for
#   MySQL databases (the engines RDS Protection covers), that the enabled GuardDuty
#   detector has RDS Protection (`RDS_LOGIN_EVENTS`) on: it profiles logins and reports
#   brute force and logins from unusual places. In the reference the Shared account runs
#   the PostgreSQL databases of SonarQube and Keycloak. Other engines and Regions without
#   such databases are not checked.
# custom:
#   id: GD006
#   name: guardduty-rds-protection-disabled
#   severity: low
#   roles: [any]
#   services: [guardduty, rds]
#   precision: very-high
#   references:
#     - "Well-Architected SEC04-BP01: Configure service and application logging"
#     - "Security Hub GuardDuty.9 / AWS Config GUARDDUTY_RDS_PROTECTION_ENABLED"
#     - "Prowler guardduty_rds_protection_enabled"
#   remediation: |
#     ```hcl
#     resource "aws_guardduty_detector_feature" "rds" {
#       detector_id = aws_guardduty_detector.this.id
#       name        = "RDS_LOGIN_EVENTS"
#       status      = "ENABLED"
#     }
#     ```
package archaudit.rules.guardduty_rds_protection_disabled

import data.archaudit.lib
import rego.v1

covered_engines := {"aurora-mysql", "aurora-postgresql", "postgres", "mysql"}

deny contains finding if {
	some detector in input.guardduty.detectors
	detector.status == "ENABLED"
	databases := covered_databases[detector.region]
	count(databases) > 0
	not detector.features.RDS_LOGIN_EVENTS == "ENABLED"
	finding := {
		"resource": detector.arn,
		"region": detector.region,
		"message": sprintf(
			"GuardDuty detector %s in %s does not watch RDS logins (RDS_LOGIN_EVENTS %s), yet the Region runs %s",
			[detector.id, detector.region, object.get(detector.features, "RDS_LOGIN_EVENTS", "not reported"), concat(", ", sort(databases))],
		),
	}
}

# The databases of a covered engine in each region, by region: built once per
# evaluation rather than scanning every database for each detector (linear in the
# resources read). Grouped from sorted (region, id) pairs, not written
# `covered_databases[region] contains id`, so that the rule runs on regorus's RVM,
# which cannot evaluate that form.
covered_databases := lib.grouped({[region, id] |
	some db in input.rds.instances
	db.engine in covered_engines
	region := db.region
	id := db.id
})
