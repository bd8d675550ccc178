//! DynamoDB tables (ListTables + DescribeTable + DescribeContinuousBackups).

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Dynamodb {
    pub tables: Vec<Table>,
}
section!(Dynamodb { tables });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    pub key_schema: Vec<KeySchemaElement>,
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: Option<String>,
    pub point_in_time_recovery: bool,
    /// Absent: encrypted with an AWS-owned key. `KMS`: AWS-managed or customer key.
    pub sse_type: Option<String>,
    pub kms_key_arn: Option<String>,
    pub deletion_protection: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeySchemaElement {
    pub attribute_name: String,
    /// `HASH` or `RANGE`.
    pub key_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeDefinition {
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}
