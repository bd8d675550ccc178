//! EFS: file systems (DescribeFileSystems, which carries their tags), each one's
//! mount targets (DescribeMountTargets, then DescribeMountTargetSecurityGroups
//! for each: the list does not carry them) and backup policy
//! (DescribeBackupPolicy).
//!
//! `PolicyNotFound` from DescribeBackupPolicy means no backup policy was ever set,
//! so the default is in effect: automatic backups are off (`Some(false)`). A file
//! system deleted between the calls is left out.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, every_found, found, tags_from, Scope};
use crate::aws::{error_code, CallError};
use crate::snapshot::{Efs, FileSystem, MountTarget};
use aws_sdk_efs::types::{FileSystemDescription, MountTargetDescription, Status};
use aws_sdk_efs::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "EFS", "elasticfilesystem":
    DescribeFileSystems, DescribeMountTargets, DescribeMountTargetSecurityGroups,
    DescribeBackupPolicy,
);

/// The code EFS answers for a file system deleted since it was listed.
const GONE: &[&str] = &["FileSystemNotFound"];

pub(crate) async fn collect(scope: &Scope) -> Result<Efs, CallError> {
    let efs = client!(aws_sdk_efs, scope);
    read(&efs, scope).await
}

async fn read(efs: &Client, scope: &Scope) -> Result<Efs, CallError> {
    let described = every(efs.describe_file_systems().into_paginator().items().send()).await?;
    let file_systems = each_found(described, |fs| file_system(efs, scope, fs)).await?;
    Ok(Efs { file_systems })
}

/// `None` when the file system no longer exists.
async fn file_system(
    efs: &Client,
    scope: &Scope,
    fs: FileSystemDescription,
) -> Result<Option<FileSystem>, CallError> {
    let id = fs.file_system_id().to_string();
    let Some(mount_targets) = every_found(
        efs.describe_mount_targets()
            .file_system_id(&id)
            .into_paginator()
            .items()
            .send(),
        GONE,
    )
    .await?
    else {
        return Ok(None);
    };
    let mount_targets = each_found(mount_targets, |m| mount_target(efs, m)).await?;
    let policy = efs
        .describe_backup_policy()
        .file_system_id(&id)
        .send()
        .await;
    if policy
        .as_ref()
        .is_err_and(|e| error_code(e).is_some_and(|c| GONE.contains(&c)))
    {
        return Ok(None);
    }
    let backup_enabled = match found(policy, &["PolicyNotFound"])? {
        Some(out) => out.backup_policy().and_then(|p| match p.status() {
            Status::Enabled | Status::Enabling => Some(true),
            Status::Disabled | Status::Disabling => Some(false),
            _ => None,
        }),
        // Never set: the default, automatic backups off.
        None => Some(false),
    };
    Ok(Some(FileSystem {
        arn: fs.file_system_arn().map(str::to_string).unwrap_or_else(|| {
            format!(
                "arn:{}:elasticfilesystem:{}:{}:file-system/{id}",
                scope.partition,
                scope.region,
                Some(fs.owner_id())
                    .filter(|o| !o.is_empty())
                    .unwrap_or(&scope.account_id)
            )
        }),
        region: scope.region.clone(),
        name: fs.name().filter(|n| !n.is_empty()).map(str::to_string),
        encrypted: fs.encrypted().unwrap_or(false),
        kms_key_id: fs.kms_key_id().map(str::to_string),
        performance_mode: Some(fs.performance_mode().as_str().to_string()),
        throughput_mode: fs.throughput_mode().map(|m| m.as_str().to_string()),
        backup_enabled,
        mount_targets,
        tags: tags_from(fs.tags(), |t| (Some(t.key()), Some(t.value()))),
        id,
    }))
}

/// A mount target with its security groups; `None` when it no longer exists.
async fn mount_target(
    efs: &Client,
    m: MountTargetDescription,
) -> Result<Option<MountTarget>, CallError> {
    let Some(groups) = found(
        efs.describe_mount_target_security_groups()
            .mount_target_id(m.mount_target_id())
            .send()
            .await,
        &["MountTargetNotFound"],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(MountTarget {
        id: m.mount_target_id().to_string(),
        subnet_id: m.subnet_id().to_string(),
        availability_zone: m.availability_zone_name().unwrap_or_default().to_string(),
        vpc_id: m.vpc_id().map(str::to_string),
        security_group_ids: groups.security_groups().to_vec(),
    }))
}
