//! Amazon Managed Service for Prometheus workspaces. ListWorkspaces carries
//! alias, status, tags and (in current API versions) the KMS key; DescribeWorkspace
//! is called only for a workspace whose summary lacks the key, to tell "no
//! customer managed key" from "not in the summary". A workspace deleted meanwhile
//! is left out.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, Scope};
use crate::aws::CallError;
use crate::snapshot::{Amp, PrometheusWorkspace, Tags};
use aws_sdk_amp::types::WorkspaceSummary;
use aws_sdk_amp::Client;
use std::collections::HashMap;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("amp", "aps": ListWorkspaces, DescribeWorkspace);

pub(crate) async fn collect(scope: &Scope) -> Result<Amp, CallError> {
    read(&client!(aws_sdk_amp, scope), scope).await
}

async fn read(amp: &Client, scope: &Scope) -> Result<Amp, CallError> {
    let summaries: Vec<WorkspaceSummary> =
        every(amp.list_workspaces().into_paginator().items().send()).await?;

    let workspaces = each_found(summaries, |w| async move {
        let kms_key_arn = match w.kms_key_arn() {
            Some(key) => Some(key.to_string()),
            None => {
                let Some(out) = found(
                    amp.describe_workspace()
                        .workspace_id(w.workspace_id())
                        .send()
                        .await,
                    &["ResourceNotFoundException"],
                )?
                else {
                    return Ok(None);
                };
                out.workspace()
                    .and_then(|d| d.kms_key_arn())
                    .map(str::to_string)
            }
        };
        Ok(Some(PrometheusWorkspace {
            arn: w.arn().to_string(),
            id: w.workspace_id().to_string(),
            region: scope.region.clone(),
            alias: w.alias().map(str::to_string),
            status: w
                .status()
                .map_or("", |s| s.status_code().as_str())
                .to_string(),
            kms_key_arn,
            tags: tags(w.tags()),
        }))
    })
    .await?;
    Ok(Amp { workspaces })
}

fn tags(tags: Option<&HashMap<String, String>>) -> Tags {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_amp::error::ErrorMetadata;
    use aws_sdk_amp::operation::describe_workspace::{
        DescribeWorkspaceError, DescribeWorkspaceOutput,
    };
    use aws_sdk_amp::operation::list_workspaces::ListWorkspacesOutput;
    use aws_sdk_amp::types::error::ResourceNotFoundException;
    use aws_sdk_amp::types::{WorkspaceDescription, WorkspaceStatus, WorkspaceStatusCode};
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_types::DateTime;

    const KEY: &str =
        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_amp, rules)
    }

    fn arn(id: &str) -> String {
        format!("arn:aws:aps:eu-central-1:111122223333:workspace/{id}")
    }

    fn summary(id: &str) -> aws_sdk_amp::types::builders::WorkspaceSummaryBuilder {
        WorkspaceSummary::builder()
            .workspace_id(id)
            .arn(arn(id))
            .status(
                WorkspaceStatus::builder()
                    .status_code(WorkspaceStatusCode::Active)
                    .build()
                    .unwrap(),
            )
            .created_at(DateTime::from_secs(1_717_200_000))
    }

    #[tokio::test]
    async fn describes_only_workspaces_whose_summary_lacks_the_key() {
        let list = mock!(Client::list_workspaces).then_output(|| {
            ListWorkspacesOutput::builder()
                .workspaces(
                    summary("ws-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
                        .alias("krci-shared")
                        .kms_key_arn(KEY)
                        .tags("Project", "krci")
                        .build()
                        .unwrap(),
                )
                .workspaces(
                    summary("ws-0f9e8d7c-6b5a-4f3e-2d1c-0b9a8f7e6d5c")
                        .build()
                        .unwrap(),
                )
                .workspaces(
                    summary("ws-deleted0-0000-0000-0000-000000000000")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
        let gone = mock!(Client::describe_workspace)
            .match_requests(|req| {
                req.workspace_id() == Some("ws-deleted0-0000-0000-0000-000000000000")
            })
            .then_error(|| {
                DescribeWorkspaceError::ResourceNotFoundException(
                    ResourceNotFoundException::builder()
                        .message("Workspace not found")
                        .resource_id("ws-deleted0-0000-0000-0000-000000000000")
                        .resource_type("Workspace")
                        .meta(
                            ErrorMetadata::builder()
                                .code("ResourceNotFoundException")
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
            });
        let describe = mock!(Client::describe_workspace).then_compute_output(|req| {
            let id = req.workspace_id().unwrap();
            DescribeWorkspaceOutput::builder()
                .workspace(
                    WorkspaceDescription::builder()
                        .workspace_id(id)
                        .arn(arn(id))
                        .status(
                            WorkspaceStatus::builder()
                                .status_code(WorkspaceStatusCode::Active)
                                .build()
                                .unwrap(),
                        )
                        .created_at(DateTime::from_secs(1_717_200_000))
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let amp = mocked(&[&list, &gone, &describe]);

        let got = read(&amp, &scope()).await.expect("collected");

        assert_eq!(describe.num_calls() + gone.num_calls(), 2);
        assert_eq!(
            got.workspaces,
            vec![
                PrometheusWorkspace {
                    arn: arn("ws-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"),
                    id: "ws-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d".to_string(),
                    region: "eu-central-1".to_string(),
                    alias: Some("krci-shared".to_string()),
                    status: "ACTIVE".to_string(),
                    kms_key_arn: Some(KEY.to_string()),
                    tags: Tags::from([("Project".to_string(), "krci".to_string())]),
                },
                PrometheusWorkspace {
                    arn: arn("ws-0f9e8d7c-6b5a-4f3e-2d1c-0b9a8f7e6d5c"),
                    id: "ws-0f9e8d7c-6b5a-4f3e-2d1c-0b9a8f7e6d5c".to_string(),
                    region: "eu-central-1".to_string(),
                    alias: None,
                    status: "ACTIVE".to_string(),
                    kms_key_arn: None,
                    tags: Tags::new(),
                },
            ]
        );
    }
}
