//! ELBv2 load balancers with their listeners, attributes and WAF association.

use super::{section, Compared, ImportId, Norm, TagSource, Tags, TerraformType, WebAclTargets};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

section!(Elbv2 {
    /// Application, network and gateway load balancers in the region.
    load_balancers: Vec<LoadBalancer>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_lb", "load_balancers", "{name}")
        .import(ImportId::Arn)
        .aliases(&["aws_alb"])
        .idents(&["name"])
        .compared(&[
            Compared::own(
                "enable_deletion_protection",
                "/attributes/deletion_protection.enabled",
                Norm::Or("false"),
            ),
            Compared::own("internal", "/scheme", Norm::Is("internal")),
            Compared::own(
                "drop_invalid_header_fields",
                "/attributes/routing.http.drop_invalid_header_fields.enabled",
                Norm::Or("false"),
            ),
        ]),
    // The snapshot holds no listener tags: the load balancer's tell who made it.
    TerraformType::new(
        "aws_lb_listener",
        "load_balancers/listeners",
        "{..name} :{port}",
    )
    .import(ImportId::Arn)
    .aliases(&["aws_alb_listener"])
    .tags(TagSource::Parent)
    .compared(&[
        Compared::own("port", "/port", Norm::Plain),
        Compared::own("protocol", "/protocol", Norm::Plain),
        // AWS gives a policy to TLS listeners only (moto to every one, and the
        // provider writes that into the state).
        Compared::own("ssl_policy", "/ssl_policy", Norm::Plain)
            .only_when("protocol", &["HTTPS", "TLS"]),
        Compared::own("certificate_arn", "/certificates", Norm::First),
    ]),
];

/// Application load balancers are what a regional web ACL protects.
impl WebAclTargets for Elbv2 {
    fn web_acl_targets(&self) -> Vec<String> {
        self.load_balancers
            .iter()
            .filter(|lb| lb.lb_type == "application")
            .map(|lb| lb.arn.clone())
            .collect()
    }

    fn set_web_acls(&mut self, by_resource: &BTreeMap<String, String>) {
        for lb in &mut self.load_balancers {
            lb.web_acl_arn = by_resource.get(&lb.arn).cloned();
        }
    }
}

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
    /// The VPC the load balancer is in.
    pub vpc_id: Option<String>,
    /// The DNS name AWS assigns.
    pub dns_name: Option<String>,
    /// DescribeLoadBalancerAttributes as given; a missing key means the AWS default.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Listeners, each with all of its certificates.
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
    /// The port it listens on.
    pub port: i64,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: String,
    /// The TLS security policy of an HTTPS or TLS listener.
    pub ssl_policy: Option<String>,
    /// Certificate ARNs (ACM `arn:aws:acm:...` or IAM `arn:aws:iam::...:server-certificate/...`).
    #[serde(default)]
    pub certificates: Vec<String>,
    /// What the listener does with a request no rule matches.
    #[serde(default)]
    pub default_actions: Vec<ListenerAction>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    #[serde(rename = "type")]
    pub action_type: String,
    /// The target group of a `forward` action.
    pub target_group_arn: Option<String>,
    /// Where a `redirect` action sends the request.
    pub redirect: Option<RedirectConfig>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedirectConfig {
    /// `HTTP`, `HTTPS` or `#{protocol}` (unchanged).
    pub protocol: Option<String>,
    /// A port or `#{port}` (unchanged).
    pub port: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    pub status_code: String,
}
