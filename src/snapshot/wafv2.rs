//! WAFv2 web ACLs (regional scope) with rules, default action, logging and
//! associated resources.

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

section!(Wafv2 {
    /// Regional web ACLs.
    web_acls: Vec<WebAcl>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_wafv2_web_acl", "web_acls", "{name}")
        .import(ImportId::WebAcl)
        .idents(&["id"])
        .arn("wafv2", "regional", ArnNames::Segments)
        .compared(&[Compared::own("scope", "/scope", Norm::Plain)]),
    TerraformType::located("aws_wafv2_ip_set").arn("wafv2", "regional", ArnNames::Segments),
    TerraformType::located("aws_wafv2_rule_group").arn("wafv2", "regional", ArnNames::Segments),
];

/// What WAF needs of a section whose resources a regional web ACL can
/// protect: their ARNs (WAF is asked, for each, which web ACL protects it)
/// and where the answers go. The registry names the sections (`after`).
pub trait WebAclTargets {
    /// The resources to ask about.
    fn web_acl_targets(&self) -> Vec<String>;
    /// The answers: web ACL ARN by resource ARN (a resource absent has none).
    fn set_web_acls(&mut self, by_resource: &BTreeMap<String, String>);
}

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
    /// Rules in priority order.
    #[serde(default)]
    pub rules: Vec<WafRule>,
    /// A logging configuration sends the ACL's traffic logs somewhere.
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
    /// The rule name.
    pub name: String,
    /// Lower runs first.
    pub priority: i64,
    /// `Allow`, `Block`, `Count`, ... for rules with an action.
    pub action: Option<String>,
    /// For managed rule group references: vendor and name.
    pub managed_rule_group: Option<ManagedRuleGroup>,
    /// For references to a rule group of the account.
    pub rule_group_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedRuleGroup {
    /// e.g. `AWS`.
    pub vendor: String,
    /// e.g. `AWSManagedRulesCommonRuleSet`.
    pub name: String,
}
