//! OpenSearch Service domains.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenSearch {
    pub domains: Vec<Domain>,
}
section!(OpenSearch { domains });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub engine_version: String,
    pub encryption_at_rest: bool,
    pub kms_key_id: Option<String>,
    pub node_to_node_encryption: bool,
    pub enforce_https: bool,
    pub tls_security_policy: Option<String>,
    /// Present when the domain lives in a VPC.
    pub vpc_id: Option<String>,
    pub fine_grained_access_control: bool,
    #[serde(default)]
    pub tags: Tags,
}
