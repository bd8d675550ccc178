//! Amazon Managed Service for Prometheus workspaces.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Amp {
    /// Prometheus workspaces in the region.
    workspaces: Vec<PrometheusWorkspace>,
});

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrometheusWorkspace {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The name given to the workspace, when one was.
    pub alias: Option<String>,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    /// The customer managed KMS key; absent: an AWS-owned key.
    pub kms_key_arn: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
