# METADATA
# title: Shared account lacks the reference's data services
# description: |
#   Checks that the Shared account has the managed services the reference platform
#   runs on: an RDS DB instance or cluster (Keycloak and SonarQube databases), an EFS
#   file system (persistent volumes through the EFS CSI driver) and a load balancer
#   (the ingress ALB/NLB). When one is missing, the shared tools usually keep their
#   data inside the cluster (databases on EBS-backed pods, no shared storage) or in
#   another account, losing managed backups, Multi-AZ failover and the separation
#   the Shared account exists for. One finding lists everything missing.
# custom:
#   id: TOPO004
#   name: shared-data-services-missing
#   severity: medium
#   roles: [shared]
#   services: [rds, efs, elbv2]
#   precision: medium
#   references:
#     - "Well-Architected REL10-BP01: Deploy the workload to multiple locations (Multi-AZ managed databases and storage)"
#     - "Well-Architected REL09-BP03: Perform data backup automatically"
#     - "KubeRocketCI reference architecture: Shared account with RDS, EFS and ALB/NLB for SonarQube, Nexus and Keycloak"
#   remediation: |
#     Provision the missing services in the Shared account (the reference uses
#     template-terraform-aws-rds for PostgreSQL), for example:
#
#     ```hcl
#     resource "aws_db_instance" "shared" {
#       identifier                          = "krci-shared-postgres"
#       engine                              = "postgres"
#       engine_version                      = "16"
#       instance_class                      = "db.t4g.medium"
#       allocated_storage                   = 50
#       storage_encrypted                   = true
#       multi_az                            = true
#       backup_retention_period             = 7
#       manage_master_user_password         = true
#       iam_database_authentication_enabled = true
#       username                            = "postgres"
#     }
#
#     resource "aws_efs_file_system" "shared" {
#       encrypted = true
#     }
#     ```
package archaudit.rules.shared_data_services_missing

import rego.v1

deny contains finding if {
	missing := [service |
		some service, present in services_present
		not present
	]
	count(missing) > 0
	finding := {
		"resource": sprintf("arn:aws:iam::%s:root", [input.account.id]),
		"region": "global",
		"message": sprintf(
			"shared account %s (%s) has %s in any region read (%s)",
			[input.account.name, input.account.id, join_words([sprintf("no %s", [m]) | some m in missing]), concat(", ", input.regions)],
		),
	}
}

services_present := {
	"RDS DB instance or cluster": has_database,
	"EFS file system": count(input.efs.file_systems) > 0,
	"load balancer": count(input.elbv2.load_balancers) > 0,
}

default has_database := false

has_database if count(input.rds.instances) > 0

has_database if count(input.rds.clusters) > 0

# "a", "a and b", "a, b and c".
join_words(words) := words[0] if count(words) == 1

join_words(words) := sprintf("%s and %s", [concat(", ", array.slice(words, 0, count(words) - 1)), words[count(words) - 1]]) if {
	count(words) > 1
}
