# METADATA
# title: RDS database without deletion protection
# description: |
#   Checks standalone RDS DB instances and DB clusters for deletion protection. Without
#   it, one mistaken `terraform destroy`, a resource replacement caused by a changed
#   attribute, or a console click deletes the database (and, unless a final snapshot is
#   taken, its automated backups). Cluster members are reported through their cluster,
#   where Aurora keeps the setting.
# custom:
#   id: RDS005
#   name: rds-deletion-protection-disabled
#   severity: low
#   roles: [any]
#   services: [rds]
#   precision: high
#   references:
#     - "Well-Architected REL09-BP01: Identify and back up all data that needs to be backed up"
#     - "Security Hub RDS.8 (instances), RDS.7 (clusters) / AWS Config RDS_INSTANCE_DELETION_PROTECTION_ENABLED"
#     - "Prowler rds_instance_deletion_protection"
#   remediation: |
#     Turn on deletion protection (Terraform must then turn it off explicitly before a
#     destroy):
#
#     ```hcl
#     resource "aws_db_instance" "this" {
#       # ...
#       deletion_protection       = true
#       skip_final_snapshot       = false
#       final_snapshot_identifier = "${var.identifier}-final"
#     }
#     ```
package archaudit.rules.rds_deletion_protection_disabled

import rego.v1

deny contains finding if {
	some db in input.rds.instances
	not db.cluster_identifier
	not db.deletion_protection
	finding := {
		"resource": db.arn,
		"region": db.region,
		"message": sprintf("RDS instance %s (%s) has deletion protection disabled", [db.id, db.engine]),
	}
}

deny contains finding if {
	some cluster in input.rds.clusters
	not cluster.deletion_protection
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("RDS cluster %s (%s) has deletion protection disabled", [cluster.id, cluster.engine]),
	}
}
