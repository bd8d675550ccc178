//! KMS: the region's keys (ListKeys), each described (DescribeKey) to keep
//! the customer-managed ones only, then for each of those its rotation
//! (GetKeyRotationStatus, only for keys that can rotate), key policy
//! (GetKeyPolicy `default`) and tags (ListResourceTags); aliases come from
//! one ListAliases for the region. Metadata only: no key is ever used
//! (never Encrypt, Decrypt or GenerateDataKey).
//!
//! A key deleted between the calls is left out. A key policy that is not
//! JSON is kept as text, which the snapshot's checks mark as unparsable
//! (see `snapshot::kms`).

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, every_found, found, rfc3339, Scope};
use crate::aws::CallError;
use crate::snapshot::{Kms, KmsKey};
use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeySpec, KeyState, OriginType};
use aws_sdk_kms::Client;
use std::collections::HashMap;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "KMS", "kms":
    ListKeys, DescribeKey, GetKeyRotationStatus, GetKeyPolicy, ListResourceTags, ListAliases,
);

/// The code KMS answers for a key that no longer exists.
const GONE: &[&str] = &["NotFoundException"];

pub(crate) async fn collect(scope: &Scope) -> Result<Kms, CallError> {
    read(&client!(aws_sdk_kms, scope), scope).await
}

async fn read(kms: &Client, scope: &Scope) -> Result<Kms, CallError> {
    let listed = every(kms.list_keys().into_paginator().items().send()).await?;
    let aliases = every(kms.list_aliases().into_paginator().items().send()).await?;
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    for alias in &aliases {
        if let (Some(key), Some(name)) = (alias.target_key_id(), alias.alias_name()) {
            by_key
                .entry(key.to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    // Only AWS may name a key under `alias/aws/` (its managed keys: aws/rds,
    // aws/secretsmanager, ...). Such a key is left out even when DescribeKey
    // would call it CUSTOMER, as moto does for the keys it makes itself.
    let ids: Vec<String> = listed
        .iter()
        .filter_map(|k| k.key_id().map(str::to_string))
        .filter(|id| {
            !by_key
                .get(id)
                .is_some_and(|names| names.iter().any(|n| n.starts_with("alias/aws/")))
        })
        .collect();
    let by_key = &by_key;
    let keys = each_found(ids, |id| async move {
        let Some(described) = found(kms.describe_key().key_id(&id).send().await, GONE)? else {
            return Ok(None);
        };
        match described.key_metadata() {
            Some(meta) if meta.key_manager() == Some(&KeyManagerType::Customer) => {
                key(kms, scope, meta, by_key).await
            }
            _ => Ok(None), // AWS managed: not the account's to configure
        }
    })
    .await?;
    Ok(Kms { keys })
}

/// Whether AWS rotates a key's material on request: symmetric encryption
/// keys whose material KMS made (not imported, not in a custom key store),
/// in a state that answers GetKeyRotationStatus.
fn can_rotate(meta: &KeyMetadata) -> bool {
    meta.key_spec() == Some(&KeySpec::SymmetricDefault)
        && meta.origin().is_none_or(|o| *o == OriginType::AwsKms)
        && matches!(
            meta.key_state(),
            Some(KeyState::Enabled) | Some(KeyState::Disabled)
        )
}

/// One customer-managed key; `None` when it no longer exists.
async fn key(
    kms: &Client,
    scope: &Scope,
    meta: &KeyMetadata,
    aliases: &HashMap<String, Vec<String>>,
) -> Result<Option<KmsKey>, CallError> {
    let id = meta.key_id().to_string();
    let (mut rotation_enabled, mut rotation_period_days) = (None, None);
    if can_rotate(meta) {
        let Some(rotation) = found(kms.get_key_rotation_status().key_id(&id).send().await, GONE)?
        else {
            return Ok(None);
        };
        rotation_enabled = Some(rotation.key_rotation_enabled());
        rotation_period_days = rotation.rotation_period_in_days().map(i64::from);
    }
    let Some(policy) = found(
        kms.get_key_policy()
            .key_id(&id)
            .policy_name("default")
            .send()
            .await,
        GONE,
    )?
    else {
        return Ok(None);
    };
    let Some(tags) = every_found(
        kms.list_resource_tags()
            .key_id(&id)
            .into_paginator()
            .items()
            .send(),
        GONE,
    )
    .await?
    else {
        return Ok(None);
    };
    let mut names = aliases.get(&id).cloned().unwrap_or_default();
    names.sort();
    Ok(Some(KmsKey {
        arn: meta.arn().map(str::to_string).unwrap_or_else(|| {
            format!(
                "arn:{}:kms:{}:{}:key/{id}",
                scope.partition, scope.region, scope.account_id
            )
        }),
        region: scope.region.clone(),
        description: meta
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        state: meta
            .key_state()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        spec: meta
            .key_spec()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        usage: meta.key_usage().map(|u| u.as_str().to_string()),
        origin: meta.origin().map(|o| o.as_str().to_string()),
        multi_region: meta.multi_region(),
        created: meta.creation_date().and_then(rfc3339),
        deletion_date: meta.deletion_date().and_then(rfc3339),
        rotation_enabled,
        rotation_period_days,
        policy: policy.policy().map(|text| {
            // Kept as text if it is not JSON, so a policy never looks absent.
            serde_json::from_str(text)
                .unwrap_or_else(|_| serde_json::Value::String(text.to_string()))
        }),
        aliases: names,
        tags: tags
            .iter()
            .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
            .collect(),
        id,
    }))
}
