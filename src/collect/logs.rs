//! CloudWatch Logs: log groups from DescribeLogGroups alone (retention, KMS key,
//! creation time and ARN are all in the list).

use super::policy::{operations_of, Operation};
use super::{client, every, rfc3339, Scope};
use crate::aws::CallError;
use crate::snapshot::{LogGroup, Logs};
use aws_sdk_cloudwatchlogs::Client;
use aws_smithy_types::DateTime;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("CloudWatch Logs", "logs": DescribeLogGroups);

/// DescribeLogGroups' largest page.
const PAGE_SIZE: i32 = 50;

pub(crate) async fn collect(scope: &Scope) -> Result<Logs, CallError> {
    read(scope, &client!(aws_sdk_cloudwatchlogs, scope)).await
}

async fn read(scope: &Scope, logs: &Client) -> Result<Logs, CallError> {
    let groups = every(
        logs.describe_log_groups()
            .into_paginator()
            .page_size(PAGE_SIZE)
            .items()
            .send(),
    )
    .await?;
    let log_groups = groups
        .iter()
        .map(|g| {
            let name = g.log_group_name().unwrap_or_default();
            // `arn` ends in ":*"; `logGroupArn` (newer) does not.
            let arn = g
                .log_group_arn()
                .or_else(|| g.arn().map(|a| a.strip_suffix(":*").unwrap_or(a)))
                .map_or_else(
                    || {
                        format!(
                            "arn:{}:logs:{}:{}:log-group:{name}",
                            scope.partition, scope.region, scope.account_id
                        )
                    },
                    str::to_string,
                );
            LogGroup {
                arn,
                name: name.to_string(),
                region: scope.region.clone(),
                retention_in_days: g.retention_in_days().map(i64::from),
                kms_key_id: g.kms_key_id().map(str::to_string),
                created: g
                    .creation_time()
                    .and_then(|ms| rfc3339(&DateTime::from_millis(ms))),
            }
        })
        .collect();
    Ok(Logs { log_groups })
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput;
    use aws_sdk_cloudwatchlogs::types::LogGroup as SdkLogGroup;
    use aws_smithy_mocks::{mock, MockResponseInterceptor, RuleMode};

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    #[tokio::test]
    async fn retention_key_creation_time_and_arn() {
        let rule = mock!(Client::describe_log_groups).then_output(|| {
            DescribeLogGroupsOutput::builder()
                .log_groups(
                    SdkLogGroup::builder()
                        .log_group_name("/aws/eks/krci-prod/cluster")
                        .arn("arn:aws:logs:eu-central-1:111122223333:log-group:/aws/eks/krci-prod/cluster:*")
                        .creation_time(1_700_000_000_123)
                        .retention_in_days(90)
                        .kms_key_id("arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                        .build(),
                )
                .log_groups(SdkLogGroup::builder().log_group_name("/ecs/legacy").build())
                .build()
        });
        let interceptor = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .with_rule(&rule);
        let conf = aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(aws_sdk_cloudwatchlogs::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatchlogs::config::Region::new("eu-central-1"))
            .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
                "AKIDTEST", "test", None, None, "test",
            ))
            .http_client(aws_smithy_mocks::create_mock_http_client())
            .interceptor(interceptor)
            .build();
        let got = read(&scope(), &Client::from_conf(conf)).await.unwrap();
        assert_eq!(
            got.log_groups,
            vec![
                LogGroup {
                    arn: "arn:aws:logs:eu-central-1:111122223333:log-group:/aws/eks/krci-prod/cluster".into(),
                    name: "/aws/eks/krci-prod/cluster".into(),
                    region: "eu-central-1".into(),
                    retention_in_days: Some(90),
                    kms_key_id: Some(
                        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into()
                    ),
                    created: Some("2023-11-14T22:13:20.123Z".into()),
                },
                // Without any ARN in the answer, it is built; no retention: never expires.
                LogGroup {
                    arn: "arn:aws:logs:eu-central-1:111122223333:log-group:/ecs/legacy".into(),
                    name: "/ecs/legacy".into(),
                    region: "eu-central-1".into(),
                    retention_in_days: None,
                    kms_key_id: None,
                    created: None,
                },
            ]
        );
    }
}
