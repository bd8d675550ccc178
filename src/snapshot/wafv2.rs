//! WAFv2 web ACLs (regional scope) with rules, default action, logging and
//! associated resources.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Wafv2 {
    pub web_acls: Vec<WebAcl>,
}
section!(Wafv2 { web_acls });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub arn: String,
    pub id: String,
    pub name: String,
    pub region: String,
    /// `REGIONAL` or `CLOUDFRONT`.
    pub scope: String,
    /// `Allow` or `Block`.
    pub default_action: String,
    #[serde(default)]
    pub rules: Vec<WafRule>,
    pub logging_enabled: bool,
    /// ListResourcesForWebACL (application load balancers).
    #[serde(default)]
    pub associated_resources: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WafRule {
    pub name: String,
    pub priority: i64,
    /// `Allow`, `Block`, `Count`, ... for rules with an action.
    pub action: Option<String>,
    /// For managed rule group references: vendor and name.
    pub managed_rule_group: Option<ManagedRuleGroup>,
    pub rule_group_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedRuleGroup {
    pub vendor: String,
    pub name: String,
}
