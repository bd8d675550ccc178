//! DynamoDB tables (ListTables + DescribeTable + DescribeContinuousBackups).

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Dynamodb {
    /// Tables in the region.
    tables: Vec<Table>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[TerraformType::new("aws_dynamodb_table", "tables", "{name}")
    .import(ImportId::Field("/name"))
    .idents(&["name"])
    .arn("dynamodb", "table", ArnNames::Rest)
    .compared(&[
        Compared::own(
            "point_in_time_recovery.0.enabled",
            "/point_in_time_recovery",
            Norm::Plain,
        ),
        Compared::own(
            "deletion_protection_enabled",
            "/deletion_protection",
            Norm::Plain,
        ),
    ])];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    /// The primary key: partition (`HASH`) and sort (`RANGE`) attributes.
    pub key_schema: Vec<KeySchemaElement>,
    /// The attributes the key schema and indexes use.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: Option<String>,
    /// Point-in-time recovery (continuous backups) is enabled.
    pub point_in_time_recovery: bool,
    /// Absent: encrypted with an AWS-owned key. `KMS`: AWS-managed or customer key.
    pub sse_type: Option<String>,
    /// The KMS key when `sse_type` is `KMS`.
    pub kms_key_arn: Option<String>,
    /// The table cannot be deleted until this is turned off.
    pub deletion_protection: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeySchemaElement {
    /// The key attribute.
    pub attribute_name: String,
    /// `HASH` or `RANGE`.
    pub key_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeDefinition {
    /// The attribute.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}
