# METADATA
# title: RDS database storage not encrypted at rest
# description: |
#   Checks standalone RDS DB instances and DB clusters (Aurora, Multi-AZ clusters) for
#   storage encryption. Unencrypted storage also means unencrypted automated backups,
#   snapshots and read replicas, which can be copied or shared outside the account.
#   Encryption can only be chosen at creation: fixing it needs a snapshot copy with a
#   KMS key and a restore. The reference RDS template encrypts storage.
#
#   Instances that belong to a cluster inherit its setting and are reported through the
#   cluster, once.
# custom:
#   id: RDS001
#   name: rds-storage-not-encrypted
#   severity: high
#   roles: [any]
#   services: [rds]
#   precision: very-high
#   references:
#     - "Well-Architected SEC08-BP02: Enforce encryption at rest"
#     - "CIS AWS Foundations 2.3.1: Ensure that encryption-at-rest is enabled for RDS instances"
#     - "Security Hub RDS.3 (instances), RDS.27 (clusters) / AWS Config RDS_STORAGE_ENCRYPTED"
#     - "Prowler rds_instance_storage_encrypted; Steampipe rds_db_instance_encryption_at_rest_enabled; Trivy AWS-0080"
#   remediation: |
#     Encryption cannot be turned on in place: snapshot the database, copy the snapshot
#     with a KMS key, restore from the copy and switch clients over. In Terraform:
#
#     ```hcl
#     resource "aws_db_instance" "this" {
#       # ...
#       storage_encrypted = true
#       kms_key_id        = aws_kms_key.rds.arn
#     }
#     ```
package archaudit.rules.rds_storage_not_encrypted

import rego.v1

deny contains finding if {
	some db in input.rds.instances
	not db.cluster_identifier
	not db.storage_encrypted
	finding := {
		"resource": db.arn,
		"region": db.region,
		"message": sprintf("RDS instance %s (%s %s) does not encrypt its storage at rest", [db.id, db.engine, db.engine_version]),
	}
}

deny contains finding if {
	some cluster in input.rds.clusters
	not cluster.storage_encrypted
	finding := {
		"resource": cluster.arn,
		"region": cluster.region,
		"message": sprintf("RDS cluster %s (%s %s) does not encrypt its storage at rest", [cluster.id, cluster.engine, cluster.engine_version]),
	}
}
