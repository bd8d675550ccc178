//! Secrets Manager secret *metadata* (ListSecrets). Secret values are never read.

use super::{section, ImportId, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(SecretsManager {
    /// Secrets in the region (metadata only: values are never read).
    secrets: Vec<Secret>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_secretsmanager_secret", "secrets", "{name}")
            .import(ImportId::Arn)
            .made_by_aws(|secret, _| {
                secret
                    .get("owning_service")
                    .map(|_| "a secret managed by another AWS service")
            }),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Absent: the AWS-managed key `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    /// Automatic rotation is configured.
    pub rotation_enabled: bool,
    /// Days between automatic rotations.
    pub rotation_days: Option<i64>,
    /// RFC 3339; absent when never rotated.
    pub last_rotated: Option<String>,
    /// RFC 3339.
    pub last_changed: Option<String>,
    /// Set for secrets a service manages (e.g. `rds`), which rotate on their own terms.
    pub owning_service: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}
