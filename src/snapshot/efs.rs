//! EFS file systems and their mount targets.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Efs {
    pub file_systems: Vec<FileSystem>,
}
section!(Efs { file_systems });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSystem {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub name: Option<String>,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub performance_mode: Option<String>,
    pub throughput_mode: Option<String>,
    /// From DescribeBackupPolicy: absent when unknown.
    pub backup_enabled: Option<bool>,
    #[serde(default)]
    pub mount_targets: Vec<MountTarget>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MountTarget {
    pub id: String,
    pub subnet_id: String,
    pub availability_zone: String,
}
