# METADATA
# title: Production or Shared RDS database not Multi-AZ
# description: |
#   Checks standalone RDS DB instances and DB clusters in the Production and Shared
#   accounts for Multi-AZ deployment. A Single-AZ database is down for the whole of an
#   Availability Zone outage and during many maintenance operations, taking with it the
#   services that depend on it (SonarQube, Keycloak and other shared tools in the
#   reference, business workloads in Production). The reference RDS template is Multi-AZ.
#   Development accounts are not checked.
#
#   An Aurora cluster is Multi-AZ when it has instances in more than one AZ; cluster
#   members are reported through their cluster.
# custom:
#   id: RDS003
#   name: rds-not-multi-az
#   severity: medium
#   roles: [production, shared]
#   services: [rds]
#   precision: high
#   references:
#     - "Well-Architected REL10-BP01: Deploy the workload to multiple locations"
#     - "Security Hub RDS.5 (instances), RDS.15 (clusters) / AWS Config RDS_MULTI_AZ_SUPPORT"
#     - "Prowler rds_instance_multi_az"
#   remediation: |
#     Enable Multi-AZ (applied in the next maintenance window unless applied
#     immediately); for Aurora add a reader in another AZ:
#
#     ```hcl
#     resource "aws_db_instance" "this" {
#       # ...
#       multi_az = true
#     }
#     ```
package archaudit.rules.rds_not_multi_az

import rego.v1

deny contains finding if {
	some db in input.rds.instances
	not db.cluster_identifier
	not db.multi_az
	finding := {
		"resource": db.arn,
		"region": db.region,
		"message": sprintf("RDS instance %s (%s) in the %s account is Single-AZ", [db.id, db.engine, input.account.role]),
	}
}

deny contains finding if {
	some cluster in input.rds.clusters
	not cluster.multi_az
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("RDS cluster %s (%s) in the %s account has all its instances in one Availability Zone", [cluster.id, cluster.engine, input.account.role]),
	}
}
