//! Secrets Manager secret *metadata* (ListSecrets). Secret values are never read.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretsManager {
    pub secrets: Vec<Secret>,
}
section!(SecretsManager { secrets });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Absent: the AWS-managed key `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    pub rotation_days: Option<i64>,
    pub last_rotated: Option<String>,
    pub last_changed: Option<String>,
    /// Set for secrets a service manages (e.g. `rds`), which rotate on their own terms.
    pub owning_service: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
