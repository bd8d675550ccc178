//! IAM (global): users with access keys, roles with trust policies, OIDC providers,
//! server certificates, and the account summary (root access keys).

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Iam {
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub oidc_providers: Vec<OidcProvider>,
    pub server_certificates: Vec<ServerCertificate>,
    /// GetAccountSummary; absent when not read.
    pub account_summary: Option<AccountSummary>,
}
section!(Iam {
    users,
    roles,
    oidc_providers,
    server_certificates
});

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub arn: String,
    pub name: String,
    /// RFC 3339.
    pub created: String,
    pub password_last_used: Option<String>,
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// Managed policy ARNs attached to the user.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// Access key *metadata*: the key id is an identifier, the secret is never read.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    pub id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339; absent when never used.
    pub last_used: Option<String>,
    pub last_used_service: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub created: String,
    /// The trust policy, URL-decoded, with `Statement` always an array.
    pub trust_policy: serde_json::Value,
    /// Managed policy ARNs attached to the role.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    pub last_used: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// Without scheme, as IAM stores it: `oidc.eks.<region>.amazonaws.com/id/<ID>`.
    pub url: String,
    pub client_ids: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerCertificate {
    pub arn: String,
    pub name: String,
    pub id: String,
    pub path: String,
    /// RFC 3339.
    pub expiration: String,
    pub upload_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// 1 when the root user has access keys.
    pub account_access_keys_present: i64,
    /// 1 when the root user has MFA.
    pub account_mfa_enabled: i64,
}
