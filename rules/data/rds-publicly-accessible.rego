# METADATA
# title: RDS database publicly accessible
# description: |
#   Checks RDS DB instances (including Aurora cluster members, where the setting is per
#   instance) and Multi-AZ DB clusters for `publicly_accessible`. A publicly accessible
#   database gets a public DNS name resolving to a public IP, so only its security
#   group stands between the internet and the database port; one overly broad rule
#   exposes it to password guessing and engine vulnerabilities. The reference RDS
#   template keeps databases private, reachable from the EKS nodes only.
# custom:
#   id: RDS002
#   name: rds-publicly-accessible
#   severity: critical
#   roles: [any]
#   services: [rds]
#   precision: very-high
#   references:
#     - "Well-Architected SEC05-BP01: Create network layers"
#     - "CIS AWS Foundations 2.3.3: Ensure that public access is not given to RDS instance"
#     - "Security Hub RDS.2 / AWS Config RDS_INSTANCE_PUBLIC_ACCESS_CHECK"
#     - "Prowler rds_instance_no_public_access; Trivy AWS-0180"
#   remediation: |
#     Turn public accessibility off (and keep the DB subnet group on private subnets):
#
#     ```hcl
#     resource "aws_db_instance" "this" {
#       # ...
#       publicly_accessible  = false
#       db_subnet_group_name = aws_db_subnet_group.private.name
#     }
#     ```
package archaudit.rules.rds_publicly_accessible

import rego.v1

deny contains finding if {
	some db in input.rds.instances
	db.publicly_accessible == true
	finding := {
		"resource": db.arn,
		"region": db.region,
		"message": sprintf("RDS instance %s (%s) is publicly accessible", [db.id, db.engine]),
	}
}

deny contains finding if {
	some cluster in input.rds.clusters
	cluster.publicly_accessible == true
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("RDS cluster %s (%s) is publicly accessible", [cluster.id, cluster.engine]),
	}
}
