//! RDS DB instances and Aurora/Multi-AZ DB clusters.

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Rds {
    /// DB instances, cluster members included.
    instances: Vec<DbInstance>,
    /// Aurora and Multi-AZ DB clusters.
    clusters: Vec<DbCluster>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_db_instance", "instances", "{id}")
        .import(ImportId::Field("/id"))
        .idents(&["id"])
        .arn("rds", "db", ArnNames::Rest)
        .compared(&[
            Compared::own("storage_encrypted", "/storage_encrypted", Norm::Plain),
            Compared::own("publicly_accessible", "/publicly_accessible", Norm::Plain),
            Compared::own("multi_az", "/multi_az", Norm::Plain),
            Compared::own("deletion_protection", "/deletion_protection", Norm::Plain),
            Compared::own(
                "backup_retention_period",
                "/backup_retention_period",
                Norm::Plain,
            ),
            Compared::own("instance_class", "/instance_class", Norm::Plain),
        ]),
    TerraformType::new("aws_rds_cluster", "clusters", "{id}")
        .import(ImportId::Field("/id"))
        .idents(&["id"])
        .arn("rds", "cluster", ArnNames::Rest)
        .compared(&[
            Compared::own("storage_encrypted", "/storage_encrypted", Norm::Plain),
            Compared::own("deletion_protection", "/deletion_protection", Norm::Plain),
            Compared::own(
                "backup_retention_period",
                "/backup_retention_period",
                Norm::Plain,
            ),
        ]),
];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// `postgres`, `mysql`, `aurora-postgresql`, ...
    pub engine: String,
    /// e.g. `16.3`.
    pub engine_version: String,
    /// e.g. `db.r6g.large`.
    pub instance_class: String,
    /// Storage is encrypted at rest.
    pub storage_encrypted: bool,
    /// The KMS key of encrypted storage.
    pub kms_key_id: Option<String>,
    /// The instance has a public DNS name that resolves to a public IP.
    pub publicly_accessible: bool,
    /// A standby runs in another availability zone.
    pub multi_az: bool,
    /// Days automated backups are kept (0: none).
    pub backup_retention_period: i64,
    /// The instance cannot be deleted until this is turned off.
    pub deletion_protection: bool,
    /// Database users can authenticate with IAM.
    pub iam_database_authentication_enabled: bool,
    /// Logs exported to CloudWatch (`postgresql`, `audit`, ...).
    #[serde(default)]
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// Set when the instance belongs to a DB cluster (the cluster's settings rule).
    pub cluster_identifier: Option<String>,
    /// ARN of the master user secret when RDS manages it in Secrets Manager.
    pub master_user_secret_arn: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// `aurora-postgresql`, `aurora-mysql`, `postgres`, ...
    pub engine: String,
    /// e.g. `16.3`.
    pub engine_version: String,
    /// Storage is encrypted at rest.
    pub storage_encrypted: bool,
    /// The KMS key of encrypted storage.
    pub kms_key_id: Option<String>,
    /// Absent for Aurora, where each instance says.
    pub publicly_accessible: Option<bool>,
    /// Instances run in more than one availability zone.
    pub multi_az: bool,
    /// Days automated backups are kept.
    pub backup_retention_period: i64,
    /// The cluster cannot be deleted until this is turned off.
    pub deletion_protection: bool,
    /// Database users can authenticate with IAM.
    pub iam_database_authentication_enabled: bool,
    /// Logs exported to CloudWatch.
    #[serde(default)]
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// ARN of the master user secret when RDS manages it in Secrets Manager.
    pub master_user_secret_arn: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
