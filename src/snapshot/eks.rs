//! EKS clusters, with their node groups and add-ons nested in each cluster.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Eks {
    pub clusters: Vec<Cluster>,
}
section!(Eks { clusters });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Kubernetes minor version, e.g. `1.34`.
    pub version: String,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    pub platform_version: Option<String>,
    pub role_arn: Option<String>,
    pub vpc_id: Option<String>,
    pub endpoint_public_access: bool,
    pub endpoint_private_access: bool,
    /// CIDRs allowed to reach the public endpoint (AWS default `0.0.0.0/0`).
    #[serde(default)]
    pub public_access_cidrs: Vec<String>,
    /// Envelope encryption configs (`resources: ["secrets"]` with a KMS key).
    #[serde(default)]
    pub encryption: Vec<EncryptionConfig>,
    /// Enabled control-plane log types: api, audit, authenticator,
    /// controllerManager, scheduler.
    #[serde(default)]
    pub logging_enabled_types: Vec<String>,
    /// The OIDC issuer URL, e.g. `https://oidc.eks.eu-central-1.amazonaws.com/id/<ID>`.
    pub oidc_issuer: Option<String>,
    /// `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`.
    pub authentication_mode: Option<String>,
    #[serde(default)]
    pub node_groups: Vec<NodeGroup>,
    #[serde(default)]
    pub addons: Vec<Addon>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncryptionConfig {
    pub resources: Vec<String>,
    pub key_arn: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeGroup {
    pub arn: String,
    pub name: String,
    pub version: Option<String>,
    pub node_role_arn: String,
    pub ami_type: Option<String>,
    #[serde(default)]
    pub instance_types: Vec<String>,
    pub launch_template_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addon {
    pub arn: String,
    pub name: String,
    pub version: String,
    pub status: String,
    pub service_account_role_arn: Option<String>,
}
