//! KMS: the customer-managed keys of a region (AWS-managed keys are left
//! out), with their rotation, key policy and aliases. Metadata only: no key
//! is ever used.

use super::{section, ArnNames, Compared, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Kms {
    /// Customer-managed keys in the region.
    keys: Vec<KmsKey>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;

    /// A key policy rules read is a JSON document; one kept as text did
    /// not parse.
    fn invalid_value(_path: &str, key: &str, _value: &str) -> Option<&'static str> {
        (key == "policy").then_some("is not a JSON policy document")
    }
});

/// How the section's resources appear in Terraform. The key policy is not
/// compared: `aws_kms_key_policy` or the key's own `policy` may hold it.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_kms_key", "keys", "{id}")
        .idents(&["id"])
        .arn("kms", "key", ArnNames::Rest)
        .import(ImportId::Field("/id"))
        .compared(&[
            Compared::own("is_enabled", "/state", Norm::Is("Enabled")),
            Compared::own(
                "enable_key_rotation",
                "/rotation_enabled",
                Norm::Or("false"),
            ),
            Compared::own("description", "/description", Norm::Plain),
            Compared::own("customer_master_key_spec", "/spec", Norm::Plain),
            Compared::own("multi_region", "/multi_region", Norm::Or("false")),
        ]),
    TerraformType::located("aws_kms_alias").arn("kms", "alias", ArnNames::Rest),
];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub arn: String,
    /// The key id (a UUID, `mrk-` and hex for a multi-Region key).
    pub id: String,
    pub region: String,
    pub description: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`,
    /// `PendingReplicaDeletion`, `Unavailable`, `Creating` or `Updating`.
    pub state: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, ...
    pub spec: String,
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC` or `KEY_AGREEMENT`.
    pub usage: Option<String>,
    /// Where its key material comes from: `AWS_KMS`, `EXTERNAL` (imported),
    /// `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`.
    pub origin: Option<String>,
    pub multi_region: Option<bool>,
    /// RFC 3339.
    pub created: Option<String>,
    /// When a key pending deletion is deleted (RFC 3339).
    pub deletion_date: Option<String>,
    /// Automatic rotation of its key material is on. Read only for the keys
    /// that can rotate (symmetric encryption keys with key material from
    /// KMS, enabled or disabled); absent for the others.
    pub rotation_enabled: Option<bool>,
    /// Days between automatic rotations.
    pub rotation_period_days: Option<i64>,
    /// The key policy (`default`, the only one a key has) as a document.
    pub policy: Option<serde_json::Value>,
    /// Its aliases (`alias/eks/shared`), sorted.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}
