//! ELBv2 load balancers with their listeners, attributes and WAF association.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Elbv2 {
    pub load_balancers: Vec<LoadBalancer>,
}
section!(Elbv2 { load_balancers });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `application`, `network` or `gateway`.
    #[serde(rename = "type")]
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    pub vpc_id: Option<String>,
    pub dns_name: Option<String>,
    /// DescribeLoadBalancerAttributes as given; a missing key means the AWS default.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub listeners: Vec<Listener>,
    /// The WAFv2 web ACL associated from any source (GetWebACLForResource).
    pub web_acl_arn: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    pub arn: String,
    pub port: i64,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    pub ssl_policy: Option<String>,
    /// Certificate ARNs (ACM `arn:aws:acm:...` or IAM `arn:aws:iam::...:server-certificate/...`).
    #[serde(default)]
    pub certificates: Vec<String>,
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    #[serde(rename = "type")]
    pub action_type: String,
    pub target_group_arn: Option<String>,
    pub redirect: Option<RedirectConfig>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedirectConfig {
    pub protocol: Option<String>,
    pub port: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    pub status_code: String,
}
