//! IAM (global, read once per account): users with access key metadata, console
//! password and MFA devices, roles with trust policies, OIDC providers, server
//! certificates, the account summary and the account password policy.
//!
//! List calls do not return tags, and ListRoles does not return RoleLastUsed, so
//! each user costs ListAccessKeys, GetAccessKeyLastUsed per key,
//! ListAttachedUserPolicies, ListUserTags, GetLoginProfile and ListMFADevices,
//! and each role
//! ListAttachedRolePolicies and GetRole (tags *and* last use in one call, where
//! ListRoleTags would cost the same and give less). Secrets are never read: access
//! key ids are identifiers, and no operation returning a secret is called.
//!
//! A user, role or provider deleted between the list and its own calls
//! (`NoSuchEntity`) is left out, as if listed a moment later.

use super::policy::{operations_of, Operation};
use super::{call, client, each_found, every, every_found, found, rfc3339, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{
    AccessKey, AccountSummary, Iam, LoginProfile, OidcProvider, PasswordPolicy, Role,
    ServerCertificate, User,
};
use aws_sdk_iam::types::SummaryKeyType;
use aws_sdk_iam::Client;
use serde_json::Value;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "IAM", "iam":
    ListRoles, GetRole, ListAttachedRolePolicies, ListUsers, ListUserTags,
    ListAttachedUserPolicies, ListAccessKeys, GetAccessKeyLastUsed, GetLoginProfile,
    ListMFADevices, ListOpenIDConnectProviders, GetOpenIDConnectProvider, ListServerCertificates,
    GetAccountSummary, GetAccountPasswordPolicy,
);

/// IAM's largest page for ListUsers and ListRoles (the default is 100).
const PAGE_SIZE: i32 = 1000;

pub(crate) async fn collect(scope: &Scope) -> Result<Iam, CallError> {
    read(&client!(aws_sdk_iam, scope)).await
}

/// Reads the whole account's IAM through `iam`.
async fn read(iam: &Client) -> Result<Iam, CallError> {
    let (users, roles, oidc_providers, server_certificates, account_summary, password_policy) = futures::try_join!(
        users(iam),
        roles(iam),
        oidc_providers(iam),
        server_certificates(iam),
        account_summary(iam),
        password_policy(iam),
    )?;
    Ok(Iam {
        users,
        roles,
        oidc_providers,
        server_certificates,
        account_summary,
        password_policy,
    })
}

/// The code IAM answers for an entity that no longer exists.
const GONE: &[&str] = &["NoSuchEntity"];

async fn users(iam: &Client) -> Result<Vec<User>, CallError> {
    let listed = every(
        iam.list_users()
            .into_paginator()
            .page_size(PAGE_SIZE)
            .items()
            .send(),
    )
    .await?;
    let users = each_found(listed, |u| async move {
        let name = u.user_name();
        let Some(keys) = every_found(
            iam.list_access_keys()
                .user_name(name)
                .into_paginator()
                .items()
                .send(),
            GONE,
        )
        .await?
        else {
            return Ok(None);
        };
        let mut access_keys = Vec::with_capacity(keys.len());
        for key in keys {
            let id = key.access_key_id().unwrap_or_default().to_string();
            let Some(used) = found(
                iam.get_access_key_last_used()
                    .access_key_id(&id)
                    .send()
                    .await,
                GONE,
            )?
            else {
                return Ok(None);
            };
            let used = used.access_key_last_used();
            let last_used = used.and_then(|u| u.last_used_date()).and_then(rfc3339);
            // A key never used reports the service "N/A".
            let last_used_service = used
                .map(|u| u.service_name())
                .filter(|s| last_used.is_some() && !s.is_empty() && *s != "N/A")
                .map(str::to_string);
            access_keys.push(AccessKey {
                id,
                status: key.status().map_or("", |s| s.as_str()).to_string(),
                created: key.create_date().and_then(rfc3339).unwrap_or_default(),
                last_used,
                last_used_service,
            });
        }
        let Some(attached) = every_found(
            iam.list_attached_user_policies()
                .user_name(name)
                .into_paginator()
                .items()
                .send(),
            GONE,
        )
        .await?
        else {
            return Ok(None);
        };
        let Some(tags) = every_found(
            iam.list_user_tags()
                .user_name(name)
                .into_paginator()
                .items()
                .send(),
            GONE,
        )
        .await?
        else {
            return Ok(None);
        };
        // NoSuchEntity here is also "no console password": a user deleted
        // meanwhile is told apart by ListMFADevices, asked next.
        let login_profile = found(iam.get_login_profile().user_name(name).send().await, GONE)?
            .and_then(|out| out.login_profile().cloned())
            .map(|p| LoginProfile {
                created: rfc3339(p.create_date()).unwrap_or_default(),
                password_reset_required: p.password_reset_required(),
            });
        let Some(mfa_devices) = every_found(
            iam.list_mfa_devices()
                .user_name(name)
                .into_paginator()
                .items()
                .send(),
            GONE,
        )
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(User {
            arn: u.arn().to_string(),
            name: name.to_string(),
            created: rfc3339(u.create_date()).unwrap_or_default(),
            password_last_used: u.password_last_used().and_then(rfc3339),
            access_keys,
            attached_policies: attached
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_string))
                .collect(),
            login_profile,
            mfa_devices: mfa_devices
                .iter()
                .map(|d| d.serial_number().to_string())
                .collect(),
            tags: tags_from(&tags, |t| (Some(t.key()), Some(t.value()))),
        }))
    })
    .await?;
    Ok(users)
}

async fn roles(iam: &Client) -> Result<Vec<Role>, CallError> {
    let listed = every(
        iam.list_roles()
            .into_paginator()
            .page_size(PAGE_SIZE)
            .items()
            .send(),
    )
    .await?;
    let roles = each_found(listed, |r| async move {
        let name = r.role_name();
        let Some(attached) = every_found(
            iam.list_attached_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send(),
            GONE,
        )
        .await?
        else {
            return Ok(None);
        };
        let Some(got) = found(iam.get_role().role_name(name).send().await, GONE)? else {
            return Ok(None);
        };
        let got = got.role();
        Ok(Some(Role {
            arn: r.arn().to_string(),
            name: name.to_string(),
            path: r.path().to_string(),
            created: rfc3339(r.create_date()).unwrap_or_default(),
            trust_policy: r
                .assume_role_policy_document()
                .map_or_else(|| Value::Object(Default::default()), trust_policy),
            attached_policies: attached
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_string))
                .collect(),
            last_used: got
                .and_then(|g| g.role_last_used())
                .and_then(|u| u.last_used_date())
                .and_then(rfc3339),
            tags: got.map_or_else(Default::default, |g| {
                tags_from(g.tags(), |t| (Some(t.key()), Some(t.value())))
            }),
        }))
    })
    .await?;
    Ok(roles)
}

async fn oidc_providers(iam: &Client) -> Result<Vec<OidcProvider>, CallError> {
    let listed = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(call)?;
    let arns: Vec<String> = listed
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    let providers = each_found(arns, |arn| async move {
        let Some(p) = found(
            iam.get_open_id_connect_provider()
                .open_id_connect_provider_arn(&arn)
                .send()
                .await,
            GONE,
        )?
        else {
            return Ok(None);
        };
        let url = p.url().unwrap_or_default();
        Ok(Some(OidcProvider {
            url: url.strip_prefix("https://").unwrap_or(url).to_string(),
            client_ids: p.client_id_list().to_vec(),
            tags: tags_from(p.tags(), |t| (Some(t.key()), Some(t.value()))),
            arn,
        }))
    })
    .await?;
    Ok(providers)
}

async fn server_certificates(iam: &Client) -> Result<Vec<ServerCertificate>, CallError> {
    let listed = every(
        iam.list_server_certificates()
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(listed
        .iter()
        .map(|c| ServerCertificate {
            arn: c.arn().to_string(),
            name: c.server_certificate_name().to_string(),
            id: c.server_certificate_id().to_string(),
            path: c.path().to_string(),
            expiration: c.expiration().and_then(rfc3339).unwrap_or_default(),
            upload_date: c.upload_date().and_then(rfc3339).unwrap_or_default(),
        })
        .collect())
}

/// The root user's access keys and MFA; absent when IAM leaves either out.
async fn account_summary(iam: &Client) -> Result<Option<AccountSummary>, CallError> {
    let out = iam.get_account_summary().send().await.map_err(call)?;
    let map = out.summary_map();
    let get = |key: SummaryKeyType| map.and_then(|m| m.get(&key)).map(|v| i64::from(*v));
    Ok(
        match (
            get(SummaryKeyType::AccountAccessKeysPresent),
            get(SummaryKeyType::AccountMfaEnabled),
        ) {
            (Some(keys), Some(mfa)) => Some(AccountSummary {
                account_access_keys_present: keys,
                account_mfa_enabled: mfa,
            }),
            _ => None,
        },
    )
}

/// The account password policy; `None` when none is set (NoSuchEntity).
async fn password_policy(iam: &Client) -> Result<Option<PasswordPolicy>, CallError> {
    let out = found(iam.get_account_password_policy().send().await, GONE)?;
    Ok(out
        .as_ref()
        .and_then(|o| o.password_policy())
        .map(|p| PasswordPolicy {
            minimum_password_length: p.minimum_password_length().map_or(6, i64::from),
            require_symbols: p.require_symbols(),
            require_numbers: p.require_numbers(),
            require_uppercase_characters: p.require_uppercase_characters(),
            require_lowercase_characters: p.require_lowercase_characters(),
            allow_users_to_change_password: p.allow_users_to_change_password(),
            max_password_age: p
                .max_password_age()
                .filter(|_| p.expire_passwords())
                .map(i64::from),
            password_reuse_prevention: p.password_reuse_prevention().map(i64::from),
            hard_expiry: p.hard_expiry().unwrap_or(false),
        }))
}

/// A trust policy as JSON, with `Statement` always an array. AWS returns the
/// document URL-encoded (RFC 3986), moto as plain JSON. A document that is not
/// JSON is kept as a string, so it stays visible rather than looking empty.
fn trust_policy(document: &str) -> Value {
    let encoded =
        document.starts_with("%7B") || document.starts_with("%7b") || document.contains("%22");
    let text = if encoded {
        percent_decode(document)
    } else {
        document.to_string()
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(mut policy) => {
            if let Some(statement) = policy.get_mut("Statement") {
                if !statement.is_array() {
                    *statement = Value::Array(vec![statement.take()]);
                }
            }
            policy
        }
        Err(_) => Value::String(text),
    }
}

/// Decodes `%XX` escapes; anything else (including `+`) is kept as is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| (b as char).to_digit(16);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::ErrorClass;
    use aws_sdk_iam::error::ErrorMetadata;
    use aws_sdk_iam::operation::get_access_key_last_used::GetAccessKeyLastUsedOutput;
    use aws_sdk_iam::operation::get_account_password_policy::{
        GetAccountPasswordPolicyError, GetAccountPasswordPolicyOutput,
    };
    use aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput;
    use aws_sdk_iam::operation::get_login_profile::{GetLoginProfileError, GetLoginProfileOutput};
    use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIdConnectProviderOutput;
    use aws_sdk_iam::operation::get_role::{GetRoleError, GetRoleOutput};
    use aws_sdk_iam::operation::list_access_keys::ListAccessKeysOutput;
    use aws_sdk_iam::operation::list_attached_role_policies::{
        ListAttachedRolePoliciesError, ListAttachedRolePoliciesOutput,
    };
    use aws_sdk_iam::operation::list_attached_user_policies::ListAttachedUserPoliciesOutput;
    use aws_sdk_iam::operation::list_mfa_devices::{ListMFADevicesError, ListMfaDevicesOutput};
    use aws_sdk_iam::operation::list_open_id_connect_providers::ListOpenIdConnectProvidersOutput;
    use aws_sdk_iam::operation::list_roles::ListRolesOutput;
    use aws_sdk_iam::operation::list_server_certificates::ListServerCertificatesOutput;
    use aws_sdk_iam::operation::list_user_tags::ListUserTagsOutput;
    use aws_sdk_iam::operation::list_users::ListUsersOutput;
    use aws_sdk_iam::types::{
        AccessKeyLastUsed, AccessKeyMetadata, AttachedPolicy, MfaDevice,
        OpenIdConnectProviderListEntry, RoleLastUsed, ServerCertificateMetadata, StatusType, Tag,
    };
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_types::DateTime;
    use serde_json::json;

    const ACCOUNT: &str = "111122223333";
    /// What AWS returns for a role EKS nodes assume: the document URL-encoded.
    const ENCODED_TRUST: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%7D";

    /// A client answering from `rules`, first match wins (no `test-util` feature needed).
    fn mocked(rules: &[Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_iam, rules)
    }

    fn at(secs: i64) -> DateTime {
        DateTime::from_secs(secs)
    }

    fn tag(k: &str, v: &str) -> Tag {
        Tag::builder().key(k).value(v).build().unwrap()
    }

    fn role(name: &str, path: &str, trust: &str) -> aws_sdk_iam::types::Role {
        aws_sdk_iam::types::Role::builder()
            .role_name(name)
            .role_id(format!("AROA{name}"))
            .path(path)
            .arn(format!("arn:aws:iam::{ACCOUNT}:role{path}{name}"))
            .create_date(at(1_700_000_000))
            .assume_role_policy_document(trust)
            .build()
            .unwrap()
    }

    /// An account with nothing in it, for rules placed after the specific ones.
    fn empty() -> Vec<Rule> {
        vec![
            mock!(Client::list_users).then_output(|| {
                ListUsersOutput::builder()
                    .set_users(Some(vec![]))
                    .build()
                    .unwrap()
            }),
            mock!(Client::list_roles).then_output(|| {
                ListRolesOutput::builder()
                    .set_roles(Some(vec![]))
                    .build()
                    .unwrap()
            }),
            mock!(Client::list_open_id_connect_providers)
                .then_output(|| ListOpenIdConnectProvidersOutput::builder().build()),
            mock!(Client::list_server_certificates).then_output(|| {
                ListServerCertificatesOutput::builder()
                    .set_server_certificate_metadata_list(Some(vec![]))
                    .build()
                    .unwrap()
            }),
            mock!(Client::get_account_summary).then_output(|| {
                GetAccountSummaryOutput::builder()
                    .summary_map(SummaryKeyType::AccountAccessKeysPresent, 0)
                    .summary_map(SummaryKeyType::AccountMfaEnabled, 1)
                    .summary_map(SummaryKeyType::Users, 0)
                    .build()
            }),
            mock!(Client::get_account_password_policy).then_error(|| {
                GetAccountPasswordPolicyError::generic(no_such_entity(
                    "The Password Policy with domain name 111122223333 cannot be found.",
                ))
            }),
            mock!(Client::get_login_profile).then_error(|| {
                GetLoginProfileError::generic(no_such_entity(
                    "Login Profile for User cannot be found.",
                ))
            }),
            mock!(Client::list_mfa_devices).then_output(|| {
                ListMfaDevicesOutput::builder()
                    .set_mfa_devices(Some(vec![]))
                    .build()
                    .unwrap()
            }),
        ]
    }

    fn no_such_entity(message: &str) -> ErrorMetadata {
        ErrorMetadata::builder()
            .code("NoSuchEntity")
            .message(message)
            .build()
    }

    fn role_rules() -> Vec<Rule> {
        vec![
            mock!(Client::list_roles).then_output(|| {
                ListRolesOutput::builder()
                    .roles(role("eks-node", "/", ENCODED_TRUST))
                    .roles(role(
                        "ci-deployer",
                        "/krci/",
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
                    ))
                    .build()
                    .unwrap()
            }),
            mock!(Client::list_attached_role_policies)
                .match_requests(|r| r.role_name() == Some("eks-node"))
                .then_output(|| {
                    ListAttachedRolePoliciesOutput::builder()
                        .attached_policies(
                            AttachedPolicy::builder()
                                .policy_name("AmazonEKSWorkerNodePolicy")
                                .policy_arn("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy")
                                .build(),
                        )
                        .build()
                }),
            mock!(Client::list_attached_role_policies).then_output(|| ListAttachedRolePoliciesOutput::builder().build()),
            mock!(Client::get_role)
                .match_requests(|r| r.role_name() == Some("eks-node"))
                .then_output(|| {
                    let mut r = role("eks-node", "/", ENCODED_TRUST);
                    r.tags = Some(vec![tag("team", "platform")]);
                    r.role_last_used = Some(
                        RoleLastUsed::builder()
                            .last_used_date(at(1_710_000_000))
                            .region("eu-central-1")
                            .build(),
                    );
                    GetRoleOutput::builder().role(r).build()
                }),
            mock!(Client::get_role).then_compute_output(|req| {
                GetRoleOutput::builder()
                    .role(role(req.role_name().unwrap(), "/krci/", "{}"))
                    .build()
            }),
        ]
    }

    #[tokio::test]
    async fn trust_policies_are_decoded_and_statements_are_arrays() {
        let iam = mocked(&[role_rules(), empty()].concat());
        let got = read(&iam).await.unwrap();
        assert_eq!(got.roles.len(), 2);

        let node = &got.roles[0];
        assert_eq!(node.arn, "arn:aws:iam::111122223333:role/eks-node");
        assert_eq!(node.path, "/");
        assert_eq!(node.created, "2023-11-14T22:13:20Z");
        assert_eq!(
            node.trust_policy,
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole"
                }]
            })
        );
        assert_eq!(
            node.attached_policies,
            vec!["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]
        );
        assert_eq!(node.last_used.as_deref(), Some("2024-03-09T16:00:00Z"));
        assert_eq!(node.tags.get("team").map(String::as_str), Some("platform"));

        // moto's plain JSON is taken as is.
        let ci = &got.roles[1];
        assert_eq!(ci.arn, "arn:aws:iam::111122223333:role/krci/ci-deployer");
        assert_eq!(
            ci.trust_policy["Statement"][0]["Action"],
            json!("sts:AssumeRoleWithWebIdentity")
        );
        assert!(ci.attached_policies.is_empty());
        assert_eq!(ci.last_used, None);
        assert!(ci.tags.is_empty());

        let summary = got.account_summary.unwrap();
        assert_eq!(summary.account_access_keys_present, 0);
        assert_eq!(summary.account_mfa_enabled, 1);
    }

    #[test]
    fn trust_policy_decoding_edge_cases() {
        // Encoded without a leading brace escape, but with quotes: still decoded.
        assert_eq!(
            trust_policy("{%22Version%22:%222012-10-17%22,%22Statement%22:[]}"),
            json!({"Version": "2012-10-17", "Statement": []})
        );
        // A literal '+' (e.g. in a condition value) survives decoding.
        assert_eq!(
            trust_policy("%7B%22Statement%22%3A%5B%5D%2C%22Sid%22%3A%22a+b%20c%22%7D"),
            json!({"Statement": [], "Sid": "a+b c"})
        );
        // Malformed escapes are kept, and a non-JSON document stays visible.
        assert_eq!(percent_decode("100%ZZ%4"), "100%ZZ%4");
        assert_eq!(trust_policy("%7Bnot json"), json!("{not json"));
    }

    #[tokio::test]
    async fn users_carry_key_metadata_policies_and_tags() {
        let rules = vec![
            mock!(Client::list_users).then_output(|| {
                ListUsersOutput::builder()
                    .users(
                        aws_sdk_iam::types::User::builder()
                            .user_name("ci-bot")
                            .user_id("AIDACIBOT")
                            .path("/")
                            .arn(format!("arn:aws:iam::{ACCOUNT}:user/ci-bot"))
                            .create_date(at(1_600_000_000))
                            .build()
                            .unwrap(),
                    )
                    .users(
                        aws_sdk_iam::types::User::builder()
                            .user_name("alice")
                            .user_id("AIDAALICE")
                            .path("/")
                            .arn(format!("arn:aws:iam::{ACCOUNT}:user/alice"))
                            .create_date(at(1_600_000_000))
                            .password_last_used(at(1_710_000_000))
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            }),
            mock!(Client::get_login_profile)
                .match_requests(|r| r.user_name() == Some("alice"))
                .then_output(|| {
                    GetLoginProfileOutput::builder()
                        .login_profile(
                            aws_sdk_iam::types::LoginProfile::builder()
                                .user_name("alice")
                                .create_date(at(1_650_000_000))
                                .password_reset_required(true)
                                .build()
                                .unwrap(),
                        )
                        .build()
                }),
            mock!(Client::list_mfa_devices)
                .match_requests(|r| r.user_name() == Some("alice"))
                .then_output(|| {
                    ListMfaDevicesOutput::builder()
                        .mfa_devices(
                            MfaDevice::builder()
                                .user_name("alice")
                                .serial_number(format!("arn:aws:iam::{ACCOUNT}:mfa/alice-phone"))
                                .enable_date(at(1_650_000_100))
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap()
                }),
            mock!(Client::list_access_keys)
                .match_requests(|r| r.user_name() == Some("alice"))
                .then_output(|| {
                    ListAccessKeysOutput::builder()
                        .set_access_key_metadata(Some(vec![]))
                        .build()
                        .unwrap()
                }),
            mock!(Client::list_access_keys).then_output(|| {
                ListAccessKeysOutput::builder()
                    .access_key_metadata(
                        AccessKeyMetadata::builder()
                            .user_name("ci-bot")
                            .access_key_id("AKIAOLDUSEDKEY000001")
                            .status(StatusType::Active)
                            .create_date(at(1_600_000_000))
                            .build(),
                    )
                    .access_key_metadata(
                        AccessKeyMetadata::builder()
                            .user_name("ci-bot")
                            .access_key_id("AKIANEVERUSEDKEY0002")
                            .status(StatusType::Inactive)
                            .create_date(at(1_700_000_000))
                            .build(),
                    )
                    .build()
                    .unwrap()
            }),
            mock!(Client::get_access_key_last_used)
                .match_requests(|r| r.access_key_id() == Some("AKIAOLDUSEDKEY000001"))
                .then_output(|| {
                    GetAccessKeyLastUsedOutput::builder()
                        .user_name("ci-bot")
                        .access_key_last_used(
                            AccessKeyLastUsed::builder()
                                .last_used_date(at(1_710_000_000))
                                .service_name("s3")
                                .region("eu-central-1")
                                .build()
                                .unwrap(),
                        )
                        .build()
                }),
            // What AWS answers for a key never used.
            mock!(Client::get_access_key_last_used).then_output(|| {
                GetAccessKeyLastUsedOutput::builder()
                    .user_name("ci-bot")
                    .access_key_last_used(
                        AccessKeyLastUsed::builder()
                            .service_name("N/A")
                            .region("N/A")
                            .build()
                            .unwrap(),
                    )
                    .build()
            }),
            mock!(Client::list_attached_user_policies).then_output(|| {
                ListAttachedUserPoliciesOutput::builder()
                    .attached_policies(
                        AttachedPolicy::builder()
                            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
                            .build(),
                    )
                    .build()
            }),
            mock!(Client::list_user_tags).then_output(|| {
                ListUserTagsOutput::builder()
                    .tags(tag("owner", "krci"))
                    .build()
                    .unwrap()
            }),
        ];
        let iam = mocked(&[rules, empty()].concat());
        let got = read(&iam).await.unwrap();
        let [user, alice] = got.users.as_slice() else {
            panic!("two users expected: {:?}", got.users)
        };
        assert_eq!(alice.arn, "arn:aws:iam::111122223333:user/alice");
        assert_eq!(
            alice.login_profile,
            Some(LoginProfile {
                created: "2022-04-15T05:20:00Z".into(),
                password_reset_required: true,
            })
        );
        assert_eq!(
            alice.mfa_devices,
            ["arn:aws:iam::111122223333:mfa/alice-phone"]
        );
        assert_eq!(
            alice.password_last_used.as_deref(),
            Some("2024-03-09T16:00:00Z")
        );
        assert_eq!(
            user.login_profile, None,
            "NoSuchEntity: no console password"
        );
        assert!(user.mfa_devices.is_empty());
        assert_eq!(
            got.password_policy, None,
            "NoSuchEntity: no password policy"
        );
        assert_eq!(user.arn, "arn:aws:iam::111122223333:user/ci-bot");
        assert_eq!(user.created, "2020-09-13T12:26:40Z");
        assert_eq!(user.password_last_used, None);
        assert_eq!(
            user.attached_policies,
            vec!["arn:aws:iam::aws:policy/AdministratorAccess"]
        );
        assert_eq!(user.tags.get("owner").map(String::as_str), Some("krci"));
        assert_eq!(
            user.access_keys,
            vec![
                AccessKey {
                    id: "AKIAOLDUSEDKEY000001".into(),
                    status: "Active".into(),
                    created: "2020-09-13T12:26:40Z".into(),
                    last_used: Some("2024-03-09T16:00:00Z".into()),
                    last_used_service: Some("s3".into()),
                },
                AccessKey {
                    id: "AKIANEVERUSEDKEY0002".into(),
                    status: "Inactive".into(),
                    created: "2023-11-14T22:13:20Z".into(),
                    last_used: None,
                    last_used_service: None,
                },
            ]
        );
    }

    #[tokio::test]
    async fn oidc_providers_and_server_certificates() {
        let provider = format!(
            "arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC123"
        );
        let listed = provider.clone();
        let rules = vec![
            mock!(Client::list_open_id_connect_providers).then_output(move || {
                ListOpenIdConnectProvidersOutput::builder()
                    .open_id_connect_provider_list(
                        OpenIdConnectProviderListEntry::builder()
                            .arn(&listed)
                            .build(),
                    )
                    .build()
            }),
            mock!(Client::get_open_id_connect_provider).then_output(|| {
                GetOpenIdConnectProviderOutput::builder()
                    .url("https://oidc.eks.eu-central-1.amazonaws.com/id/ABC123")
                    .client_id_list("sts.amazonaws.com")
                    .tags(tag("cluster", "krci-prod"))
                    .build()
            }),
            mock!(Client::list_server_certificates).then_output(|| {
                ListServerCertificatesOutput::builder()
                    .server_certificate_metadata_list(
                        ServerCertificateMetadata::builder()
                            .path("/cloudfront/")
                            .server_certificate_name("legacy")
                            .server_certificate_id("ASCALEGACY")
                            .arn(format!(
                                "arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/legacy"
                            ))
                            .upload_date(at(1_600_000_000))
                            .expiration(at(1_700_000_000))
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            }),
        ];
        let got = read(&mocked(&[rules, empty()].concat())).await.unwrap();
        assert_eq!(
            got.oidc_providers,
            vec![OidcProvider {
                arn: provider,
                url: "oidc.eks.eu-central-1.amazonaws.com/id/ABC123".into(),
                client_ids: vec!["sts.amazonaws.com".into()],
                tags: [("cluster".to_string(), "krci-prod".to_string())].into(),
            }]
        );
        assert_eq!(
            got.server_certificates,
            vec![ServerCertificate {
                arn: "arn:aws:iam::111122223333:server-certificate/cloudfront/legacy".into(),
                name: "legacy".into(),
                id: "ASCALEGACY".into(),
                path: "/cloudfront/".into(),
                expiration: "2023-11-14T22:13:20Z".into(),
                upload_date: "2020-09-13T12:26:40Z".into(),
            }]
        );
    }

    #[tokio::test]
    async fn the_password_policy_is_mapped() {
        let rules = vec![mock!(Client::get_account_password_policy).then_output(|| {
            GetAccountPasswordPolicyOutput::builder()
                .password_policy(
                    aws_sdk_iam::types::PasswordPolicy::builder()
                        .minimum_password_length(14)
                        .require_symbols(true)
                        .require_numbers(true)
                        .require_uppercase_characters(true)
                        .require_lowercase_characters(false)
                        .allow_users_to_change_password(true)
                        .expire_passwords(true)
                        .max_password_age(90)
                        .password_reuse_prevention(24)
                        .hard_expiry(false)
                        .build(),
                )
                .build()
        })];
        let got = read(&mocked(&[rules, empty()].concat())).await.unwrap();
        assert_eq!(
            got.password_policy,
            Some(PasswordPolicy {
                minimum_password_length: 14,
                require_symbols: true,
                require_numbers: true,
                require_uppercase_characters: true,
                require_lowercase_characters: false,
                allow_users_to_change_password: true,
                max_password_age: Some(90),
                password_reuse_prevention: Some(24),
                hard_expiry: false,
            })
        );
    }

    #[tokio::test]
    async fn a_user_deleted_since_listed_is_left_out() {
        let rules = vec![
            mock!(Client::list_users).then_output(|| {
                ListUsersOutput::builder()
                    .users(
                        aws_sdk_iam::types::User::builder()
                            .user_name("gone")
                            .user_id("AIDAGONE")
                            .path("/")
                            .arn(format!("arn:aws:iam::{ACCOUNT}:user/gone"))
                            .create_date(at(1_600_000_000))
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap()
            }),
            mock!(Client::list_access_keys).then_output(|| {
                ListAccessKeysOutput::builder()
                    .set_access_key_metadata(Some(vec![]))
                    .build()
                    .unwrap()
            }),
            mock!(Client::list_attached_user_policies)
                .then_output(|| ListAttachedUserPoliciesOutput::builder().build()),
            mock!(Client::list_user_tags).then_output(|| {
                ListUserTagsOutput::builder()
                    .set_tags(Some(vec![]))
                    .build()
                    .unwrap()
            }),
            // Deleted before its MFA devices were listed.
            mock!(Client::list_mfa_devices).then_error(|| {
                ListMFADevicesError::generic(no_such_entity(
                    "The user with name gone cannot be found.",
                ))
            }),
        ];
        let got = read(&mocked(&[rules, empty()].concat())).await.unwrap();
        assert!(got.users.is_empty(), "{:?}", got.users);
    }

    #[tokio::test]
    async fn a_role_deleted_since_listed_is_left_out() {
        let rules = vec![mock!(Client::get_role)
            .match_requests(|r| r.role_name() == Some("eks-node"))
            .then_error(|| {
                GetRoleError::generic(
                    ErrorMetadata::builder()
                        .code("NoSuchEntity")
                        .message("The role with name eks-node cannot be found.")
                        .build(),
                )
            })];
        let got = read(&mocked(&[rules, role_rules(), empty()].concat()))
            .await
            .unwrap();
        let names: Vec<_> = got.roles.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["ci-deployer"]);
    }

    #[tokio::test]
    async fn any_other_error_fails_the_whole_service() {
        let rules = vec![mock!(Client::list_attached_role_policies).then_error(|| {
            ListAttachedRolePoliciesError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("not authorized to perform: iam:ListAttachedRolePolicies")
                    .build(),
            )
        })];
        let err = read(&mocked(&[rules, role_rules(), empty()].concat()))
            .await
            .unwrap_err();
        assert_eq!(err.class, ErrorClass::AccessDenied);
        assert!(err.message.contains("AccessDenied"), "{}", err.message);
    }
}
