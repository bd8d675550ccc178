//! S3 buckets (global list; each bucket records its own region).

use super::{section, ArnNames, Compared, Holder, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(S3 {
    /// Every bucket of the account (the list is global; each bucket has its region).
    buckets: Vec<Bucket>,
} {
    const GLOBAL: bool = true;
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[TerraformType::new("aws_s3_bucket", "buckets", "{name}")
    .import(ImportId::Field("/name"))
    .idents(&["name"])
    .arn("s3", "", ArnNames::Rest)
    .arn_from_id("arn:aws:s3:::{}")
    .compared(&[
        Compared::held(
            VERSIONING,
            "versioning_configuration.0.status",
            "/versioning",
            Norm::Or("Disabled"),
        ),
        Compared::held(
            ENCRYPTION,
            "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
            "/encryption/sse_algorithm",
            Norm::Plain,
        ),
        Compared::held(
            ENCRYPTION,
            "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
            "/encryption/kms_key_id",
            Norm::Plain,
        ),
        Compared::held(
            ENCRYPTION,
            "rule.0.bucket_key_enabled",
            "/encryption/bucket_key_enabled",
            Norm::Or("false"),
        ),
        Compared::held(
            PUBLIC_ACCESS_BLOCK,
            "block_public_acls",
            "/public_access_block/block_public_acls",
            Norm::Plain,
        ),
        Compared::held(
            PUBLIC_ACCESS_BLOCK,
            "block_public_policy",
            "/public_access_block/block_public_policy",
            Norm::Plain,
        ),
        Compared::held(
            PUBLIC_ACCESS_BLOCK,
            "ignore_public_acls",
            "/public_access_block/ignore_public_acls",
            Norm::Plain,
        ),
        Compared::held(
            PUBLIC_ACCESS_BLOCK,
            "restrict_public_buckets",
            "/public_access_block/restrict_public_buckets",
            Norm::Plain,
        ),
        Compared::held(POLICY, "policy", "/policy", Norm::Json),
    ])];

/// The split S3 resources (provider 4.0 and later): each setting of a
/// bucket lives in a resource of its own, named by `bucket`. The bucket's
/// own attributes of the same names (`versioning`,
/// `server_side_encryption_configuration`, `policy`) are deprecated and
/// left stale by an apply: they are never read.
const VERSIONING: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_versioning",
    link: "bucket",
};
const ENCRYPTION: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_server_side_encryption_configuration",
    link: "bucket",
};
const PUBLIC_ACCESS_BLOCK: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_public_access_block",
    link: "bucket",
};
const POLICY: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_policy",
    link: "bucket",
};

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
