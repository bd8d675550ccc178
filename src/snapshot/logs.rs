//! CloudWatch Logs log groups.

use super::section;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Logs {
    /// CloudWatch log groups in the region.
    pub log_groups: Vec<LogGroup>,
}
section!(Logs { log_groups });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Absent: never expire.
    pub retention_in_days: Option<i64>,
    /// The KMS key the group is encrypted with; absent: CloudWatch's own.
    pub kms_key_id: Option<String>,
    /// RFC 3339.
    pub created: Option<String>,
}
