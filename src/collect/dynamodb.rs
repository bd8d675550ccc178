//! DynamoDB: tables (ListTables), each one's description (DescribeTable: keys,
//! billing mode, encryption, deletion protection), point-in-time recovery
//! (DescribeContinuousBackups) and tags (ListTagsOfResource). A table deleted
//! between the calls is left out.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, Scope};
use crate::aws::CallError;
use crate::snapshot::{AttributeDefinition, Dynamodb, KeySchemaElement, Table, Tags};
use aws_sdk_dynamodb::types::{PointInTimeRecoveryStatus, SseStatus};
use aws_sdk_dynamodb::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "DynamoDB", "dynamodb":
    ListTables, DescribeTable, DescribeContinuousBackups, ListTagsOfResource,
);

/// The code DynamoDB answers for a table that does not exist (any more).
const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

pub(crate) async fn collect(scope: &Scope) -> Result<Dynamodb, CallError> {
    let dynamodb = client!(aws_sdk_dynamodb, scope);
    read(&dynamodb, scope).await
}

async fn read(dynamodb: &Client, scope: &Scope) -> Result<Dynamodb, CallError> {
    let names = every(dynamodb.list_tables().into_paginator().items().send()).await?;
    let tables = each_found(names, |name| table(dynamodb, scope, name)).await?;
    Ok(Dynamodb { tables })
}

/// `None` when the table no longer exists.
async fn table(dynamodb: &Client, scope: &Scope, name: String) -> Result<Option<Table>, CallError> {
    let described = found(
        dynamodb.describe_table().table_name(&name).send().await,
        NOT_FOUND,
    )?;
    let Some(t) = described.as_ref().and_then(|d| d.table()) else {
        return Ok(None);
    };
    let arn = t.table_arn().map(str::to_string).unwrap_or_else(|| {
        format!(
            "arn:{}:dynamodb:{}:{}:table/{name}",
            scope.partition, scope.region, scope.account_id
        )
    });

    let Some(backups) = found(
        dynamodb
            .describe_continuous_backups()
            .table_name(&name)
            .send()
            .await,
        &["TableNotFoundException"],
    )?
    else {
        return Ok(None);
    };
    let point_in_time_recovery = backups
        .continuous_backups_description()
        .and_then(|c| c.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        == Some(&PointInTimeRecoveryStatus::Enabled);

    let Some(tags) = tags(dynamodb, &arn).await? else {
        return Ok(None);
    };

    // Absent SSEDescription: encrypted with an AWS-owned key.
    let sse = t
        .sse_description()
        .filter(|s| !matches!(s.status(), Some(SseStatus::Disabled | SseStatus::Disabling)));
    // Tables that were never switched to on-demand carry no BillingModeSummary.
    let billing_mode = t
        .billing_mode_summary()
        .and_then(|b| b.billing_mode())
        .map(|m| m.as_str().to_string())
        .or_else(|| {
            t.provisioned_throughput()
                .and_then(|p| p.read_capacity_units())
                .filter(|units| *units > 0)
                .map(|_| "PROVISIONED".to_string())
        });

    Ok(Some(Table {
        region: scope.region.clone(),
        status: t
            .table_status()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        key_schema: t
            .key_schema()
            .iter()
            .map(|k| KeySchemaElement {
                attribute_name: k.attribute_name().to_string(),
                key_type: k.key_type().as_str().to_string(),
            })
            .collect(),
        attribute_definitions: t
            .attribute_definitions()
            .iter()
            .map(|a| AttributeDefinition {
                attribute_name: a.attribute_name().to_string(),
                attribute_type: a.attribute_type().as_str().to_string(),
            })
            .collect(),
        billing_mode,
        point_in_time_recovery,
        sse_type: sse
            .and_then(|s| s.sse_type())
            .map(|s| s.as_str().to_string()),
        kms_key_arn: sse.and_then(|s| s.kms_master_key_arn()).map(str::to_string),
        deletion_protection: t.deletion_protection_enabled().unwrap_or(false),
        tags,
        arn,
        name,
    }))
}

/// All tags of a table (ListTagsOfResource has no SDK paginator); `None` when
/// the table no longer exists.
async fn tags(dynamodb: &Client, arn: &str) -> Result<Option<Tags>, CallError> {
    let mut tags = Tags::new();
    let mut token: Option<String> = None;
    loop {
        let Some(out) = found(
            dynamodb
                .list_tags_of_resource()
                .resource_arn(arn)
                .set_next_token(token.take())
                .send()
                .await,
            NOT_FOUND,
        )?
        else {
            return Ok(None);
        };
        tags.extend(
            out.tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string())),
        );
        match out.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => return Ok(Some(tags)),
        }
    }
}
