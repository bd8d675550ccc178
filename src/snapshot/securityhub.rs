//! Security Hub: the region's hub, when the account is subscribed, and the
//! security standards it has enabled.

use super::{section, ArnNames, Compared, ImportId, Norm, Part, TagSource, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(SecurityHub {
    /// The region's hub: one entry when Security Hub is enabled, none when not.
    hubs: Vec<Hub>,
} {
    const PARTS: &'static [Part] = &[Part {
        key: SecurityHub::STANDARDS,
        collection: "hubs",
        field: Some("standards"),
    }];
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

impl SecurityHub {
    /// The enabled standards are read and covered apart from the hub: an
    /// endpoint without the standards API must not hide whether the hub is on.
    pub const STANDARDS: &'static str = "securityhub-standards";
}

/// How the section's resources appear in Terraform. The standards a hub
/// enables by default are not Terraform resources of their own unless
/// someone subscribed them with `aws_securityhub_standards_subscription`,
/// so they are not compared.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_securityhub_account", "hubs", "{arn}")
            .tags(TagSource::None)
            .arn("securityhub", "hub", ArnNames::Rest)
            .import(ImportId::ArnAccount)
            .compared(&[
                Compared::own("auto_enable_controls", "/auto_enable_controls", Norm::Plain),
                Compared::own(
                    "control_finding_generator",
                    "/control_finding_generator",
                    Norm::Plain,
                ),
            ]),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hub {
    /// `arn:aws:securityhub:<region>:<account>:hub/default`.
    pub arn: String,
    pub region: String,
    /// New controls of enabled standards are enabled automatically.
    pub auto_enable_controls: Option<bool>,
    /// `SECURITY_CONTROL` (consolidated findings) or `STANDARD_CONTROL`.
    pub control_finding_generator: Option<String>,
    /// The standards it is subscribed to (coverage key
    /// `securityhub-standards`: read apart from the hub), sorted by ARN.
    #[serde(default)]
    pub standards: Vec<HubStandard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubStandard {
    /// The subscription's ARN.
    pub arn: String,
    /// The standard's ARN, e.g.
    /// `arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0`.
    pub standards_arn: String,
    /// `PENDING`, `READY`, `FAILED`, `DELETING` or `INCOMPLETE`.
    pub status: String,
}
