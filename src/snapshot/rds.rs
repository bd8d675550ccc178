//! RDS DB instances and Aurora/Multi-AZ DB clusters.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Rds {
    pub instances: Vec<DbInstance>,
    pub clusters: Vec<DbCluster>,
}
section!(Rds {
    instances,
    clusters
});

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub engine: String,
    pub engine_version: String,
    pub instance_class: String,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub publicly_accessible: bool,
    pub multi_az: bool,
    pub backup_retention_period: i64,
    pub deletion_protection: bool,
    pub iam_database_authentication_enabled: bool,
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
    pub engine: String,
    pub engine_version: String,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub publicly_accessible: Option<bool>,
    pub multi_az: bool,
    pub backup_retention_period: i64,
    pub deletion_protection: bool,
    pub iam_database_authentication_enabled: bool,
    #[serde(default)]
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    pub master_user_secret_arn: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
