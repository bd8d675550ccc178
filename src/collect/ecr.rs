//! ECR: repositories (DescribeRepositories gives scan-on-push, mutability and
//! encryption), their lifecycle and repository policies and tags, and the
//! region's registry scanning configuration.

use super::policy::{operations_of, Operation};
use super::{call, client, every, for_each_concurrent, found, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{Ecr, Registry, RegistryScanningRule, Repository};

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "ECR", "ecr":
    DescribeRepositories, GetLifecyclePolicy, GetRepositoryPolicy, ListTagsForResource,
    GetRegistryScanningConfiguration,
);

pub(crate) async fn collect(scope: &Scope) -> Result<Ecr, CallError> {
    let ecr = client!(aws_sdk_ecr, scope);
    let repos: Vec<_> = every(ecr.describe_repositories().into_paginator().items().send()).await?;

    let repositories = for_each_concurrent(repos, |r| {
        let ecr = ecr.clone();
        async move {
            let name = r.repository_name().unwrap_or_default().to_string();
            let has_lifecycle_policy = found(
                ecr.get_lifecycle_policy()
                    .repository_name(&name)
                    .send()
                    .await,
                &["LifecyclePolicyNotFoundException"],
            )?
            .is_some();
            let policy = found(
                ecr.get_repository_policy()
                    .repository_name(&name)
                    .send()
                    .await,
                &["RepositoryPolicyNotFoundException"],
            )?
            .and_then(|out| serde_json::from_str(out.policy_text()?).ok());
            let arn = r.repository_arn().unwrap_or_default().to_string();
            let tags = ecr
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .map_err(call)?;
            let encryption = r.encryption_configuration();
            Ok(Repository {
                arn,
                region: scope.region.clone(),
                uri: r.repository_uri().unwrap_or_default().to_string(),
                image_tag_mutability: r
                    .image_tag_mutability()
                    .map_or("MUTABLE", |m| m.as_str())
                    .to_string(),
                scan_on_push: r
                    .image_scanning_configuration()
                    .is_some_and(|c| c.scan_on_push()),
                encryption_type: encryption
                    .map_or("AES256", |e| e.encryption_type().as_str())
                    .to_string(),
                kms_key: encryption.and_then(|e| e.kms_key()).map(str::to_string),
                has_lifecycle_policy,
                policy,
                tags: tags_from(tags.tags(), |t| (Some(t.key()), Some(t.value()))),
                name,
            })
        }
    })
    .await?;

    let scanning = ecr
        .get_registry_scanning_configuration()
        .send()
        .await
        .map_err(call)?;
    let registries = scanning
        .scanning_configuration()
        .map(|c| Registry {
            arn: format!(
                "arn:{}:ecr:{}:{}:registry",
                scope.partition, scope.region, scope.account_id
            ),
            region: scope.region.clone(),
            scan_type: c.scan_type().map_or("BASIC", |t| t.as_str()).to_string(),
            scanning_rules: c
                .rules()
                .iter()
                .map(|rule| RegistryScanningRule {
                    scan_frequency: rule.scan_frequency().as_str().to_string(),
                    filters: rule
                        .repository_filters()
                        .iter()
                        .map(|f| f.filter().to_string())
                        .collect(),
                })
                .collect(),
        })
        .into_iter()
        .collect();

    Ok(Ecr {
        registries,
        repositories,
    })
}
