//! Amazon Managed Grafana workspaces.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Grafana {
    /// Managed Grafana workspaces in the region.
    workspaces: Vec<GrafanaWorkspace>,
});

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrafanaWorkspace {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The workspace name, when set.
    pub name: Option<String>,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    /// `AWS_SSO`, `SAML`.
    #[serde(default)]
    pub authentication_providers: Vec<String>,
    /// e.g. `10.4`.
    pub grafana_version: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
