//! Secrets Manager: secret *metadata* from ListSecrets alone, which already carries
//! rotation, KMS key, owning service and tags. GetSecretValue is never called.

use super::policy::{operations_of, Operation};
use super::{client, every, rfc3339, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{Secret, SecretsManager};
use aws_sdk_secretsmanager::types::RotationRulesType;
use aws_sdk_secretsmanager::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("Secrets Manager", "secretsmanager": ListSecrets);

/// ListSecrets' largest page.
const PAGE_SIZE: i32 = 100;

pub(crate) async fn collect(scope: &Scope) -> Result<SecretsManager, CallError> {
    read(scope, &client!(aws_sdk_secretsmanager, scope)).await
}

async fn read(scope: &Scope, sm: &Client) -> Result<SecretsManager, CallError> {
    let pages = every(
        sm.list_secrets()
            .into_paginator()
            .page_size(PAGE_SIZE)
            .send(),
    )
    .await?;
    let secrets = pages
        .iter()
        .flat_map(|page| page.secret_list())
        .map(|s| Secret {
            arn: s.arn().unwrap_or_default().to_string(),
            name: s.name().unwrap_or_default().to_string(),
            region: scope.region.clone(),
            kms_key_id: s.kms_key_id().map(str::to_string),
            rotation_enabled: s.rotation_enabled().unwrap_or(false),
            rotation_days: s.rotation_rules().and_then(rotation_days),
            last_rotated: s.last_rotated_date().and_then(rfc3339),
            last_changed: s.last_changed_date().and_then(rfc3339),
            owning_service: s.owning_service().map(str::to_string),
            tags: tags_from(s.tags(), |t| (t.key(), t.value())),
        })
        .collect();
    Ok(SecretsManager { secrets })
}

/// The rotation interval in days: `AutomaticallyAfterDays`, or a schedule of the
/// form `rate(N days)`; absent for cron schedules and hour rates.
fn rotation_days(rules: &RotationRulesType) -> Option<i64> {
    if let Some(days) = rules.automatically_after_days() {
        return Some(days);
    }
    let rate = rules
        .schedule_expression()?
        .trim()
        .strip_prefix("rate(")?
        .strip_suffix(')')?;
    let (n, unit) = rate.trim().split_once(' ')?;
    match unit.trim() {
        "day" | "days" => n.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_secretsmanager::operation::list_secrets::ListSecretsOutput;
    use aws_sdk_secretsmanager::types::{SecretListEntry, Tag};
    use aws_smithy_mocks::{mock, MockResponseInterceptor, RuleMode};
    use aws_smithy_types::DateTime;

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    #[tokio::test]
    async fn rotation_owner_and_tags_come_from_the_list() {
        let rule = mock!(Client::list_secrets).then_output(|| {
            ListSecretsOutput::builder()
                .secret_list(
                    SecretListEntry::builder()
                        .arn("arn:aws:secretsmanager:eu-central-1:111122223333:secret:rds!db-1a2b3c-AbCdEf")
                        .name("rds!db-1a2b3c")
                        .kms_key_id("arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                        .rotation_enabled(true)
                        .rotation_rules(
                            aws_sdk_secretsmanager::types::RotationRulesType::builder()
                                .schedule_expression("rate(7 days)")
                                .build(),
                        )
                        .last_rotated_date(DateTime::from_secs(1_710_000_000))
                        .last_changed_date(DateTime::from_secs(1_710_000_000))
                        .owning_service("rds")
                        .tags(Tag::builder().key("aws:rds:primaryDBInstanceArn").value("arn:aws:rds:eu-central-1:111122223333:db:keycloak").build())
                        .build(),
                )
                .secret_list(
                    SecretListEntry::builder()
                        .arn("arn:aws:secretsmanager:eu-central-1:111122223333:secret:krci/github-token-XyZ123")
                        .name("krci/github-token")
                        .build(),
                )
                .build()
        });
        let interceptor = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .with_rule(&rule);
        let conf = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(aws_sdk_secretsmanager::config::BehaviorVersion::latest())
            .region(aws_sdk_secretsmanager::config::Region::new("eu-central-1"))
            .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
                "AKIDTEST", "test", None, None, "test",
            ))
            .http_client(aws_smithy_mocks::create_mock_http_client())
            .interceptor(interceptor)
            .build();
        let got = read(&scope(), &Client::from_conf(conf)).await.unwrap();
        let [rds, manual] = got.secrets.as_slice() else {
            panic!("two secrets expected: {:?}", got.secrets)
        };
        assert_eq!(rds.name, "rds!db-1a2b3c");
        assert_eq!(rds.region, "eu-central-1");
        assert!(rds.rotation_enabled);
        assert_eq!(rds.rotation_days, Some(7));
        assert_eq!(rds.last_rotated.as_deref(), Some("2024-03-09T16:00:00Z"));
        assert_eq!(rds.owning_service.as_deref(), Some("rds"));
        assert_eq!(
            rds.kms_key_id.as_deref(),
            Some("arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        );
        assert_eq!(rds.tags.len(), 1);
        assert_eq!(
            *manual,
            Secret {
                arn: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:krci/github-token-XyZ123".into(),
                name: "krci/github-token".into(),
                region: "eu-central-1".into(),
                kms_key_id: None,
                rotation_enabled: false,
                rotation_days: None,
                last_rotated: None,
                last_changed: None,
                owning_service: None,
                tags: Default::default(),
            }
        );
    }

    #[test]
    fn rotation_days_from_either_form() {
        let rules = |days: Option<i64>, expr: Option<&str>| {
            RotationRulesType::builder()
                .set_automatically_after_days(days)
                .set_schedule_expression(expr.map(str::to_string))
                .build()
        };
        assert_eq!(
            rotation_days(&rules(Some(30), Some("rate(30 days)"))),
            Some(30)
        );
        assert_eq!(rotation_days(&rules(None, Some("rate(1 day)"))), Some(1));
        assert_eq!(rotation_days(&rules(None, Some("rate(4 hours)"))), None);
        assert_eq!(
            rotation_days(&rules(None, Some("cron(0 16 1,15 * ? *)"))),
            None
        );
        assert_eq!(rotation_days(&rules(None, None)), None);
    }
}
