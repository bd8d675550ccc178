//! EFS file systems and their mount targets.

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Efs {
    /// File systems in the region.
    file_systems: Vec<FileSystem>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_efs_file_system", "file_systems", "{id}")
            .import(ImportId::Field("/id"))
            .idents(&["id"])
            .arn("elasticfilesystem", "file-system", ArnNames::Rest)
            .compared(&[Compared::own("encrypted", "/encrypted", Norm::Plain)]),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSystem {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The `Name` tag, when set.
    pub name: Option<String>,
    /// Encrypted at rest.
    pub encrypted: bool,
    /// The KMS key of an encrypted file system.
    pub kms_key_id: Option<String>,
    /// `generalPurpose` or `maxIO`.
    pub performance_mode: Option<String>,
    /// `bursting`, `provisioned` or `elastic`.
    pub throughput_mode: Option<String>,
    /// From DescribeBackupPolicy: absent when unknown.
    pub backup_enabled: Option<bool>,
    /// Where the file system can be mounted from, one per availability zone.
    #[serde(default)]
    pub mount_targets: Vec<MountTarget>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MountTarget {
    /// The mount target id.
    pub id: String,
    /// The subnet the mount target is in.
    pub subnet_id: String,
    /// e.g. `eu-central-1a`.
    pub availability_zone: String,
}
