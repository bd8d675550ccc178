//! OpenSearch Service domains.

use super::{section, ImportId, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(OpenSearch {
    /// OpenSearch (and Elasticsearch) domains in the region.
    domains: Vec<Domain>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_opensearch_domain", "domains", "{name}")
            .import(ImportId::Field("/name"))
            .aliases(&["aws_elasticsearch_domain"])
            .idents(&["name"]),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// e.g. `OpenSearch_2.13`.
    pub engine_version: String,
    /// Data is encrypted at rest.
    pub encryption_at_rest: bool,
    /// The KMS key used at rest.
    pub kms_key_id: Option<String>,
    /// Traffic between the domain's nodes is encrypted.
    pub node_to_node_encryption: bool,
    /// Plain HTTP requests are refused.
    pub enforce_https: bool,
    /// e.g. `Policy-Min-TLS-1-2-2019-07`.
    pub tls_security_policy: Option<String>,
    /// Present when the domain lives in a VPC.
    pub vpc_id: Option<String>,
    /// Fine-grained access control (the security plugin) is enabled.
    pub fine_grained_access_control: bool,
    #[serde(default)]
    pub tags: Tags,
}
