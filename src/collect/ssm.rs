//! SSM Parameter Store: parameter *metadata* from DescribeParameters alone. Values
//! are secrets: GetParameter, GetParameters and GetParametersByPath are never called.

use super::policy::{operations_of, Operation};
use super::{client, every, rfc3339, Scope};
use crate::aws::CallError;
use crate::snapshot::{Parameter, Ssm};
use aws_sdk_ssm::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!("SSM", "ssm": DescribeParameters);

/// DescribeParameters' largest page (the default is 10).
const PAGE_SIZE: i32 = 50;

pub(crate) async fn collect(scope: &Scope) -> Result<Ssm, CallError> {
    read(scope, &client!(aws_sdk_ssm, scope)).await
}

async fn read(scope: &Scope, ssm: &Client) -> Result<Ssm, CallError> {
    let pages = every(
        ssm.describe_parameters()
            .into_paginator()
            .page_size(PAGE_SIZE)
            .send(),
    )
    .await?;
    let parameters = pages
        .iter()
        .flat_map(|page| page.parameters())
        .map(|p| {
            let name = p.name().unwrap_or_default();
            Parameter {
                arn: parameter_arn(scope, name),
                name: name.to_string(),
                region: scope.region.clone(),
                param_type: p.r#type().map_or("", |t| t.as_str()).to_string(),
                key_id: p.key_id().map(str::to_string),
                tier: p.tier().map(|t| t.as_str().to_string()),
                last_modified: p.last_modified_date().and_then(rfc3339),
                description: p.description().map(str::to_string),
            }
        })
        .collect();
    Ok(Ssm { parameters })
}

/// `…:parameter/a/b` for the hierarchical name `/a/b`, `…:parameter/a` for `a`.
fn parameter_arn(scope: &Scope, name: &str) -> String {
    let sep = if name.starts_with('/') { "" } else { "/" };
    format!(
        "arn:{}:ssm:{}:{}:parameter{sep}{name}",
        scope.partition, scope.region, scope.account_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_ssm::operation::describe_parameters::DescribeParametersOutput;
    use aws_sdk_ssm::types::{ParameterMetadata, ParameterTier, ParameterType};
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_types::DateTime;

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules`, first match wins (no `test-util` feature needed).
    fn mocked(rules: &[Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_ssm, rules)
    }

    #[tokio::test]
    async fn metadata_over_pages_with_arns_for_both_name_forms() {
        let rules = [
            mock!(Client::describe_parameters)
                .match_requests(|r| r.next_token().is_none() && r.max_results() == Some(50))
                .then_output(|| {
                    DescribeParametersOutput::builder()
                        .parameters(
                            ParameterMetadata::builder()
                                .name("/krci/sonar/token")
                                .r#type(ParameterType::SecureString)
                                .key_id("alias/aws/ssm")
                                .tier(ParameterTier::Standard)
                                .last_modified_date(DateTime::from_secs(1_700_000_000))
                                .description("SonarQube token")
                                .build(),
                        )
                        .next_token("page-2")
                        .build()
                }),
            mock!(Client::describe_parameters)
                .match_requests(|r| r.next_token() == Some("page-2"))
                .then_output(|| {
                    DescribeParametersOutput::builder()
                        .parameters(
                            ParameterMetadata::builder()
                                .name("legacy-endpoint")
                                .r#type(ParameterType::String)
                                .tier(ParameterTier::Advanced)
                                .build(),
                        )
                        .build()
                }),
        ];
        let got = read(&scope(), &mocked(&rules)).await.unwrap();
        assert_eq!(
            got.parameters,
            vec![
                Parameter {
                    arn: "arn:aws:ssm:eu-central-1:111122223333:parameter/krci/sonar/token".into(),
                    name: "/krci/sonar/token".into(),
                    region: "eu-central-1".into(),
                    param_type: "SecureString".into(),
                    key_id: Some("alias/aws/ssm".into()),
                    tier: Some("Standard".into()),
                    last_modified: Some("2023-11-14T22:13:20Z".into()),
                    description: Some("SonarQube token".into()),
                },
                Parameter {
                    arn: "arn:aws:ssm:eu-central-1:111122223333:parameter/legacy-endpoint".into(),
                    name: "legacy-endpoint".into(),
                    region: "eu-central-1".into(),
                    param_type: "String".into(),
                    key_id: None,
                    tier: Some("Advanced".into()),
                    last_modified: None,
                    description: None,
                },
            ]
        );
    }

    #[test]
    fn arns_follow_the_partition() {
        let scope = Scope {
            partition: "aws-cn".into(),
            region: "cn-north-1".into(),
            ..scope()
        };
        assert_eq!(
            parameter_arn(&scope, "/a/b"),
            "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/a/b"
        );
    }
}
