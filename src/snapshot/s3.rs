//! S3 buckets (global list; each bucket records its own region).

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct S3 {
    /// Every bucket of the account (the list is global; each bucket has its region).
    pub buckets: Vec<Bucket>,
}
section!(S3 { buckets } {
    const GLOBAL: bool = true;
});

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// RFC 3339.
    pub created: Option<String>,
    /// `Enabled` or `Suspended`; absent when versioning was never enabled.
    pub versioning: Option<String>,
    /// Default encryption; absent when none is configured.
    pub encryption: Option<BucketEncryption>,
    /// Absent when the bucket has no public access block.
    pub public_access_block: Option<PublicAccessBlock>,
    /// The bucket policy document, when one is set.
    pub policy: Option<serde_json::Value>,
    /// Server access logging is on; absent when not read.
    pub logging_enabled: Option<bool>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub sse_algorithm: String,
    /// The KMS key of `aws:kms` encryption.
    pub kms_key_id: Option<String>,
    /// S3 Bucket Keys reduce the calls to KMS.
    pub bucket_key_enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// New public ACLs are refused.
    pub block_public_acls: bool,
    /// Existing public ACLs are ignored.
    pub ignore_public_acls: bool,
    /// Bucket policies that grant public access are refused.
    pub block_public_policy: bool,
    /// Only AWS principals and the owner can use a public policy.
    pub restrict_public_buckets: bool,
}
