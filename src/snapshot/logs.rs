//! CloudWatch Logs log groups.

use super::{section, ArnNames, Compared, ImportId, Norm, TagSource, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Logs {
    /// CloudWatch log groups in the region.
    log_groups: Vec<LogGroup>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_cloudwatch_log_group", "log_groups", "{name}")
            .import(ImportId::Field("/name"))
            .idents(&["name"])
            .tags(TagSource::None)
            .arn("logs", "log-group", ArnNames::Rest)
            .compared(&[Compared::own(
                "retention_in_days",
                "/retention_in_days",
                Norm::Or("0"),
            )]),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Absent: never expire.
    pub retention_in_days: Option<i64>,
    /// The KMS key the group is encrypted with; absent: CloudWatch's own.
    pub kms_key_id: Option<String>,
    /// RFC 3339.
    pub created: Option<String>,
}
