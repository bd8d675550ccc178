//! IAM (global): users with access keys, roles with trust policies, OIDC providers,
//! server certificates, and the account summary (root access keys).

use super::{section, ArnNames, Compared, ImportId, Norm, TagSource, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Iam {
    /// IAM users.
    pub users: Vec<User>,
    /// IAM roles, service-linked ones included.
    pub roles: Vec<Role>,
    /// OIDC identity providers (EKS clusters' issuers for IRSA).
    pub oidc_providers: Vec<OidcProvider>,
    /// Certificates uploaded to IAM (for load balancers, instead of ACM).
    pub server_certificates: Vec<ServerCertificate>,
    /// GetAccountSummary; absent when not read.
    pub account_summary: Option<AccountSummary>,
}
section!(impl Iam { users, roles, oidc_providers, server_certificates } {
    const GLOBAL: bool = true;
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_iam_role", "roles", "{name}")
        .import(ImportId::Field("/name"))
        .idents(&["name"])
        .arn("iam", "role", ArnNames::LastSegment)
        .made_by_aws(made_by_aws)
        .compared(&[Compared::own("path", "/path", Norm::Plain)]),
    TerraformType::new("aws_iam_user", "users", "{name}")
        .import(ImportId::Field("/name"))
        .idents(&["name"])
        .arn("iam", "user", ArnNames::LastSegment),
    TerraformType::new("aws_iam_openid_connect_provider", "oidc_providers", "{url}")
        .import(ImportId::Arn),
    TerraformType::new(
        "aws_iam_server_certificate",
        "server_certificates",
        "{name}",
    )
    .import(ImportId::Field("/name"))
    .idents(&["name", "id"])
    .tags(TagSource::None),
];

/// Roles AWS creates (service-linked, IAM Identity Center) or Organizations
/// does (in a new account).
fn made_by_aws(role: &Value, _: &Value) -> Option<&'static str> {
    let path = role["path"].as_str().unwrap_or_default();
    if path.starts_with("/aws-service-role/") {
        Some("a service-linked role (created by AWS)")
    } else if path.starts_with("/aws-reserved/") {
        Some("an IAM Identity Center role (created by AWS)")
    } else if role["name"] == "OrganizationAccountAccessRole" {
        Some("the role Organizations creates in a new account")
    } else {
        None
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub arn: String,
    pub name: String,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339; absent when the user has no password or never used it.
    pub password_last_used: Option<String>,
    /// The user's access keys (metadata only).
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
    /// The access key id (an identifier, not a secret).
    pub id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// RFC 3339.
    pub created: String,
    /// RFC 3339; absent when never used.
    pub last_used: Option<String>,
    /// The service the key last called, e.g. `s3`.
    pub last_used_service: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub arn: String,
    pub name: String,
    /// e.g. `/`, or `/aws-service-role/` for service-linked roles.
    pub path: String,
    /// RFC 3339.
    pub created: String,
    /// The trust policy, URL-decoded, with `Statement` always an array.
    pub trust_policy: serde_json::Value,
    /// Managed policy ARNs attached to the role.
    #[serde(default)]
    pub attached_policies: Vec<String>,
    /// RFC 3339; absent when never used (or not tracked yet).
    pub last_used: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// Without scheme, as IAM stores it: `oidc.eks.<region>.amazonaws.com/id/<ID>`.
    pub url: String,
    /// The audiences allowed (`sts.amazonaws.com` for IRSA).
    pub client_ids: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerCertificate {
    pub arn: String,
    pub name: String,
    /// The certificate id IAM assigns.
    pub id: String,
    /// e.g. `/cloudfront/`.
    pub path: String,
    /// RFC 3339.
    pub expiration: String,
    /// RFC 3339.
    pub upload_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// 1 when the root user has access keys.
    pub account_access_keys_present: i64,
    /// 1 when the root user has MFA.
    pub account_mfa_enabled: i64,
}
