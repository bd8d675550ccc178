# METADATA
# title: RDS automated backups kept less than 7 days
# description: |
#   Checks standalone RDS DB instances and DB clusters for an automated backup retention
#   period of at least 7 days (0 means automated backups and point-in-time recovery are
#   off). A short window means data corruption or a bad migration noticed after a long
#   weekend can no longer be rolled back. The reference RDS template keeps 7 days.
#   Cluster members are reported through their cluster.
# custom:
#   id: RDS004
#   name: rds-backup-retention-short
#   severity: medium
#   roles: [any]
#   services: [rds]
#   precision: high
#   references:
#     - "Well-Architected REL09-BP03: Perform data backup automatically"
#     - "Security Hub RDS.11 / AWS Config DB_INSTANCE_BACKUP_ENABLED"
#     - "Prowler rds_instance_backup_enabled; Trivy AWS-0077"
#   remediation: |
#     Raise the retention period (up to 35 days; AWS Backup can keep longer copies):
#
#     ```hcl
#     resource "aws_db_instance" "this" {
#       # ...
#       backup_retention_period = 7
#       backup_window           = "02:00-03:00"
#     }
#     ```
package archaudit.rules.rds_backup_retention_short

import rego.v1

minimum_retention_days := 7

deny contains finding if {
	some db in input.rds.instances
	not db.cluster_identifier
	db.backup_retention_period < minimum_retention_days
	finding := {
		"resource": db.arn,
		"region": db.region,
		"message": sprintf("RDS instance %s %s", [db.id, retention_problem(db.backup_retention_period)]),
	}
}

deny contains finding if {
	some cluster in input.rds.clusters
	cluster.backup_retention_period < minimum_retention_days
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("RDS cluster %s %s", [cluster.id, retention_problem(cluster.backup_retention_period)]),
	}
}

retention_problem(days) := "has automated backups disabled (retention period 0 days)" if days == 0

retention_problem(days) := sprintf("keeps automated backups for %d day(s), less than %d", [days, minimum_retention_days]) if {
	days > 0
}
