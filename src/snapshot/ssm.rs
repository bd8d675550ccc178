//! SSM Parameter Store parameter *metadata* (DescribeParameters). Values are never read.

use super::{section, ArnNames, Compared, ImportId, Norm, TagSource, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Ssm {
    /// Parameter Store parameters in the region (metadata only: values are never read).
    parameters: Vec<Parameter>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_ssm_parameter", "parameters", "{name}")
            .import(ImportId::Field("/name"))
            .idents(&["name"])
            .tags(TagSource::None)
            .arn("ssm", "parameter", ArnNames::SlashPrefixed)
            .compared(&[Compared::own("type", "/type", Norm::Plain)]),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `String`, `StringList` or `SecureString`.
    #[serde(rename = "type")]
    pub param_type: String,
    /// The KMS key of a `SecureString`.
    pub key_id: Option<String>,
    /// `Standard`, `Advanced` or `Intelligent-Tiering`.
    pub tier: Option<String>,
    /// RFC 3339.
    pub last_modified: Option<String>,
    /// The parameter's description, when set.
    pub description: Option<String>,
}
