//! ECR: repositories and the registry's scanning configuration (per region).

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Ecr {
    /// The region's private registry (one entry when its scanning configuration was returned).
    registries: Vec<Registry>,
    /// Private repositories in the region.
    repositories: Vec<Repository>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_ecr_repository", "repositories", "{name}")
            .import(ImportId::Field("/name"))
            .idents(&["name"])
            .arn("ecr", "repository", ArnNames::Rest)
            .compared(&[
                Compared::own("image_tag_mutability", "/image_tag_mutability", Norm::Plain),
                Compared::own(
                    "image_scanning_configuration.0.scan_on_push",
                    "/scan_on_push",
                    Norm::Plain,
                ),
            ]),
    ];

/// A region's private registry settings (GetRegistryScanningConfiguration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    /// `arn:aws:ecr:<region>:<account>:registry` (a pseudo-ARN: the registry has none).
    pub arn: String,
    /// The region of the registry.
    pub region: String,
    /// `BASIC` or `ENHANCED`.
    pub scan_type: String,
    /// Which repositories are scanned, and when.
    #[serde(default)]
    pub scanning_rules: Vec<RegistryScanningRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryScanningRule {
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN`, `MANUAL`.
    pub scan_frequency: String,
    /// Repository filters (wildcards allowed).
    pub filters: Vec<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// The registry URI images are pushed to and pulled from.
    pub uri: String,
    /// `MUTABLE` or `IMMUTABLE`.
    pub image_tag_mutability: String,
    /// Basic scanning runs when an image is pushed.
    pub scan_on_push: bool,
    /// `AES256` or `KMS`.
    pub encryption_type: String,
    /// The KMS key when `encryption_type` is `KMS`.
    pub kms_key: Option<String>,
    /// A lifecycle policy expires old images.
    pub has_lifecycle_policy: bool,
    /// The repository policy document, when one is set.
    pub policy: Option<serde_json::Value>,
    #[serde(default)]
    pub tags: Tags,
}
