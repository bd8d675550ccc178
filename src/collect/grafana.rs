//! Amazon Managed Grafana workspaces: ListWorkspaces carries status, version,
//! authentication providers and tags, so there are no per-workspace calls. The
//! summary has no ARN; it is built as AWS formats it.

use super::policy::{operations_of, Operation};
use super::{client, every, Scope};
use crate::aws::CallError;
use crate::snapshot::{Grafana, GrafanaWorkspace};
use aws_sdk_grafana::types::WorkspaceSummary;
use aws_sdk_grafana::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!("grafana", "grafana": ListWorkspaces);

pub(crate) async fn collect(scope: &Scope) -> Result<Grafana, CallError> {
    read(&client!(aws_sdk_grafana, scope), scope).await
}

async fn read(grafana: &Client, scope: &Scope) -> Result<Grafana, CallError> {
    let summaries: Vec<WorkspaceSummary> =
        every(grafana.list_workspaces().into_paginator().items().send()).await?;
    Ok(Grafana {
        workspaces: summaries.iter().map(|w| workspace(w, scope)).collect(),
    })
}

fn workspace(w: &WorkspaceSummary, scope: &Scope) -> GrafanaWorkspace {
    GrafanaWorkspace {
        arn: format!(
            "arn:{}:grafana:{}:{}:/workspaces/{}",
            scope.partition,
            scope.region,
            scope.account_id,
            w.id()
        ),
        id: w.id().to_string(),
        region: scope.region.clone(),
        name: w.name().map(str::to_string),
        status: w.status().as_str().to_string(),
        authentication_providers: w
            .authentication()
            .map(|a| {
                a.providers()
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        grafana_version: Some(w.grafana_version())
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        tags: w
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::{ErrorClass, Tags};

    use aws_sdk_grafana::operation::list_workspaces::ListWorkspacesOutput;
    use aws_sdk_grafana::types::{
        AuthenticationProviderTypes, AuthenticationSummary, WorkspaceStatus,
    };
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::DateTime;

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_grafana, rules)
    }

    fn summary(
        id: &str,
        name: &str,
        status: WorkspaceStatus,
    ) -> aws_sdk_grafana::types::builders::WorkspaceSummaryBuilder {
        WorkspaceSummary::builder()
            .id(id)
            .name(name)
            .status(status)
            .grafana_version("10.4")
            .endpoint(format!("{id}.grafana-workspace.eu-central-1.amazonaws.com"))
            .created(DateTime::from_secs(1_717_200_000))
            .modified(DateTime::from_secs(1_717_300_000))
    }

    #[tokio::test]
    async fn maps_workspaces_over_pages() {
        let list =
            mock!(Client::list_workspaces).then_compute_output(|req| match req.next_token() {
                None => ListWorkspacesOutput::builder()
                    .workspaces(
                        summary(
                            "g-1a2b3c4d5e",
                            "krci-observability",
                            WorkspaceStatus::Active,
                        )
                        .authentication(
                            AuthenticationSummary::builder()
                                .providers(AuthenticationProviderTypes::AwsSso)
                                .providers(AuthenticationProviderTypes::Saml)
                                .build()
                                .unwrap(),
                        )
                        .tags("Project", "krci")
                        .tags("Environment", "shared")
                        .build()
                        .unwrap(),
                    )
                    .next_token("page-2")
                    .build()
                    .unwrap(),
                Some(_) => ListWorkspacesOutput::builder()
                    .workspaces(
                        summary("g-6f7a8b9c0d", "krci-dev", WorkspaceStatus::Creating)
                            .grafana_version("")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            });
        let grafana = mocked(&[&list]);

        let got = read(&grafana, &scope()).await.expect("collected");

        assert_eq!(list.num_calls(), 2);
        assert_eq!(
            got.workspaces,
            vec![
                GrafanaWorkspace {
                    arn: "arn:aws:grafana:eu-central-1:111122223333:/workspaces/g-1a2b3c4d5e"
                        .to_string(),
                    id: "g-1a2b3c4d5e".to_string(),
                    region: "eu-central-1".to_string(),
                    name: Some("krci-observability".to_string()),
                    status: "ACTIVE".to_string(),
                    authentication_providers: vec!["AWS_SSO".to_string(), "SAML".to_string()],
                    grafana_version: Some("10.4".to_string()),
                    tags: Tags::from([
                        ("Environment".to_string(), "shared".to_string()),
                        ("Project".to_string(), "krci".to_string()),
                    ]),
                },
                GrafanaWorkspace {
                    arn: "arn:aws:grafana:eu-central-1:111122223333:/workspaces/g-6f7a8b9c0d"
                        .to_string(),
                    id: "g-6f7a8b9c0d".to_string(),
                    region: "eu-central-1".to_string(),
                    name: Some("krci-dev".to_string()),
                    status: "CREATING".to_string(),
                    authentication_providers: vec![],
                    grafana_version: None,
                    tags: Tags::new(),
                },
            ]
        );
    }

    #[tokio::test]
    async fn an_endpoint_without_grafana_is_not_implemented() {
        // moto has no Grafana: it answers an HTML 404.
        let list = mock!(Client::list_workspaces).then_http_response(|| {
            HttpResponse::new(
                StatusCode::try_from(404).unwrap(),
                SdkBody::from("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"),
            )
        });
        let grafana = mocked(&[&list]);

        let err = read(&grafana, &scope()).await.expect_err("not read");

        assert_eq!(err.class, ErrorClass::NotImplemented);
    }
}
