//! S3 (global, read once per account): every bucket of the account, each read in
//! its own region.
//!
//! ListBuckets returns each bucket's region on AWS (`BucketRegion`); only a bucket
//! listed without one costs a GetBucketLocation. The seven configuration reads of a
//! bucket then go to a client for that region, all at once, and a bucket with a
//! policy costs one more, GetBucketPolicyStatus (S3's own judgement of whether the
//! policy is public). Configuration that was never set is absent (`None`), never an
//! error; a bucket deleted since it was listed (`NoSuchBucket`) is left out.

use super::policy::{operations_of, Operation};
use super::{each_found, every, for_each_concurrent, found, rfc3339, tags_from, Scope};
use crate::aws::{error_code, in_region, CallError};
use crate::snapshot::{AclGrant, Bucket, BucketEncryption, PublicAccessBlock, S3};
use aws_config::SdkConfig;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::Client;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use std::collections::{BTreeMap, BTreeSet};

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "S3", "s3":
    ListBuckets = "ListAllMyBuckets",
    GetBucketLocation,
    GetBucketVersioning,
    GetBucketEncryption = "GetEncryptionConfiguration",
    GetPublicAccessBlock = "GetBucketPublicAccessBlock",
    GetBucketPolicy, GetBucketPolicyStatus, GetBucketAcl, GetBucketLogging, GetBucketTagging,
);

pub(crate) async fn collect(scope: &Scope) -> Result<S3, CallError> {
    let list = s3_client(&scope.config, scope);
    read(scope, &list, |region| {
        s3_client(&in_region(&scope.config, region), scope)
    })
    .await
}

/// Path-style addressing, which a custom endpoint (moto, MinIO) needs and AWS accepts.
fn s3_client(config: &SdkConfig, scope: &Scope) -> Client {
    let conf = crate::aws::s3_client(config)
        .interceptor(scope.recorder.clone())
        .build();
    Client::from_conf(conf)
}

/// Lists through `list`, then reads each bucket through `regional(bucket_region)`.
async fn read(
    scope: &Scope,
    list: &Client,
    regional: impl Fn(&str) -> Client,
) -> Result<S3, CallError> {
    let listed = every(list.list_buckets().into_paginator().items().send()).await?;

    // (name, created, region), the region from the list when it has it.
    let located = for_each_concurrent(listed, |b| async move {
        let name = b.name().unwrap_or_default().to_string();
        let created = b.creation_date().and_then(rfc3339);
        let region = match b.bucket_region().filter(|r| !r.is_empty()) {
            Some(r) => r.to_string(),
            None => {
                let Some(out) = found(
                    list.get_bucket_location().bucket(&name).send().await,
                    &[NO_SUCH_BUCKET],
                )?
                else {
                    return Ok(None);
                };
                crate::aws::bucket_region(out.location_constraint().map(|c| c.as_str()))
            }
        };
        Ok(Some((name, created, region)))
    })
    .await?;
    let located: Vec<_> = located.into_iter().flatten().collect();

    let regions: BTreeSet<&str> = located.iter().map(|(_, _, r)| r.as_str()).collect();
    let clients: BTreeMap<String, Client> = regions
        .into_iter()
        .map(|region| (region.to_string(), regional(region)))
        .collect();
    let buckets = each_found(located, |(name, created, region)| {
        let s3 = clients[&region].clone();
        async move {
            match bucket(scope, &s3, name, created, region).await {
                Ok(b) => Ok(Some(b)),
                Err(Skip::Gone) => Ok(None),
                Err(Skip::Failed(e)) => Err(e),
            }
        }
    })
    .await?;
    Ok(S3 { buckets })
}

/// The code S3 answers for a bucket deleted since it was listed.
const NO_SUCH_BUCKET: &str = "NoSuchBucket";

/// Why a bucket is not in the result.
enum Skip {
    /// Deleted since it was listed.
    Gone,
    Failed(CallError),
}

/// A configuration read: `Some` when set, `None` when the service answers
/// `absent_code` (never configured).
fn set_or_absent<O, E>(
    result: Result<O, SdkError<E, HttpResponse>>,
    absent_code: Option<&str>,
) -> Result<Option<O>, Skip>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Err(e) if error_code(&e) == Some(NO_SUCH_BUCKET) => Err(Skip::Gone),
        result => found(result, absent_code.as_slice()).map_err(Skip::Failed),
    }
}

/// Reads one bucket's configuration through `s3`, a client for its region.
async fn bucket(
    scope: &Scope,
    s3: &Client,
    name: String,
    created: Option<String>,
    region: String,
) -> Result<Bucket, Skip> {
    let (versioning, encryption, pab, policy, acl, logging, tagging) = futures::join!(
        s3.get_bucket_versioning().bucket(&name).send(),
        s3.get_bucket_encryption().bucket(&name).send(),
        s3.get_public_access_block().bucket(&name).send(),
        s3.get_bucket_policy().bucket(&name).send(),
        s3.get_bucket_acl().bucket(&name).send(),
        s3.get_bucket_logging().bucket(&name).send(),
        s3.get_bucket_tagging().bucket(&name).send(),
    );
    let policy = set_or_absent(policy, Some("NoSuchBucketPolicy"))?;
    // Only a policy can be public; NoSuchBucketPolicy here means it was
    // deleted since it was read.
    let policy_is_public = match policy.as_ref().and_then(|p| p.policy()) {
        Some(_) => set_or_absent(
            s3.get_bucket_policy_status().bucket(&name).send().await,
            Some("NoSuchBucketPolicy"),
        )?
        .map(|s| {
            s.policy_status()
                .and_then(|p| p.is_public())
                .unwrap_or(false)
        }),
        None => None,
    };
    let versioning = set_or_absent(versioning, None)?;
    let encryption = set_or_absent(
        encryption,
        Some("ServerSideEncryptionConfigurationNotFoundError"),
    )?;
    let pab = set_or_absent(pab, Some("NoSuchPublicAccessBlockConfiguration"))?;
    let acl = set_or_absent(acl, None)?;
    let logging = set_or_absent(logging, None)?;
    let tagging = set_or_absent(tagging, Some("NoSuchTagSet"))?;
    Ok(Bucket {
        arn: format!("arn:{}:s3:::{name}", scope.partition),
        name,
        region,
        created,
        versioning: versioning
            .as_ref()
            .and_then(|v| v.status())
            .map(|s| s.as_str().to_string()),
        encryption: encryption.as_ref().and_then(|e| {
            e.server_side_encryption_configuration()?
                .rules()
                .iter()
                .find_map(|rule| {
                    let default = rule.apply_server_side_encryption_by_default()?;
                    Some(BucketEncryption {
                        sse_algorithm: default.sse_algorithm().as_str().to_string(),
                        kms_key_id: default.kms_master_key_id().map(str::to_string),
                        bucket_key_enabled: rule.bucket_key_enabled(),
                    })
                })
        }),
        public_access_block: pab
            .as_ref()
            .and_then(|p| p.public_access_block_configuration())
            .map(|c| PublicAccessBlock {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            }),
        policy: policy.as_ref().and_then(|p| p.policy()).map(|text| {
            // Kept as a string if it is not JSON, so a policy never looks absent.
            serde_json::from_str(text)
                .unwrap_or_else(|_| serde_json::Value::String(text.to_string()))
        }),
        policy_is_public,
        acl_grants: acl
            .as_ref()
            .map(|a| a.grants())
            .unwrap_or_default()
            .iter()
            .filter_map(acl_grant)
            .collect(),
        logging_enabled: logging.as_ref().map(|l| l.logging_enabled().is_some()),
        tags: tagging.as_ref().map_or_else(Default::default, |t| {
            tags_from(t.tag_set(), |t| (Some(t.key()), Some(t.value())))
        }),
    })
}

/// A grant of a bucket ACL, its grantee named by URI, id or e-mail address.
fn acl_grant(g: &aws_sdk_s3::types::Grant) -> Option<AclGrant> {
    let grantee = g.grantee()?;
    Some(AclGrant {
        grantee_type: grantee.r#type().as_str().to_string(),
        grantee: grantee
            .uri()
            .or(grantee.id())
            .or(grantee.email_address())
            .unwrap_or_default()
            .to_string(),
        permission: g.permission()?.as_str().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::ErrorClass;
    use aws_sdk_s3::error::ErrorMetadata;
    use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
    use aws_sdk_s3::operation::get_bucket_encryption::{
        GetBucketEncryptionError, GetBucketEncryptionOutput,
    };
    use aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput;
    use aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput;
    use aws_sdk_s3::operation::get_bucket_policy::{GetBucketPolicyError, GetBucketPolicyOutput};
    use aws_sdk_s3::operation::get_bucket_policy_status::GetBucketPolicyStatusOutput;
    use aws_sdk_s3::operation::get_bucket_tagging::{
        GetBucketTaggingError, GetBucketTaggingOutput,
    };
    use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
    use aws_sdk_s3::operation::get_public_access_block::{
        GetPublicAccessBlockError, GetPublicAccessBlockOutput,
    };
    use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
    use aws_sdk_s3::types::{
        BucketLocationConstraint, BucketVersioningStatus, Grant, Grantee, LoggingEnabled,
        Permission, PolicyStatus, PublicAccessBlockConfiguration, ServerSideEncryption,
        ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
        Tag, Type,
    };
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_types::DateTime;
    use serde_json::json;
    use std::sync::{Arc, Mutex};

    /// Configured everywhere: versioned, KMS-encrypted, blocked, with a policy, logs, tags.
    const FULL: &str = "krci-artifacts";
    /// Never configured: every read answers its "absent" code.
    const BARE: &str = "legacy-eu-logs";
    /// Deleted between ListBuckets and its own reads.
    const GONE: &str = "tmp-deleted";

    fn scope() -> Scope {
        Scope::for_test("111122223333", "global")
    }

    /// A client answering from `rules`, first match wins (no `test-util` feature needed).
    fn mocked(rules: &[Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_s3, rules)
    }

    fn absent(code: &'static str) -> ErrorMetadata {
        ErrorMetadata::builder()
            .code(code)
            .message("absent")
            .build()
    }

    const OWNER: &str = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

    fn owner_grant() -> Grant {
        Grant::builder()
            .grantee(
                Grantee::builder()
                    .r#type(Type::CanonicalUser)
                    .id(OWNER)
                    .build()
                    .unwrap(),
            )
            .permission(Permission::FullControl)
            .build()
    }

    fn rules() -> Vec<Rule> {
        vec![
            mock!(Client::list_buckets).then_output(|| {
                ListBucketsOutput::builder()
                    .buckets(
                        aws_sdk_s3::types::Bucket::builder()
                            .name(FULL)
                            .bucket_region("eu-central-1")
                            .creation_date(DateTime::from_secs(1_700_000_000))
                            .build(),
                    )
                    // moto, and AWS before BucketRegion: the region comes from GetBucketLocation.
                    .buckets(aws_sdk_s3::types::Bucket::builder().name(BARE).build())
                    .buckets(
                        aws_sdk_s3::types::Bucket::builder()
                            .name(GONE)
                            .bucket_region("eu-west-1")
                            .build(),
                    )
                    .build()
            }),
            mock!(Client::get_bucket_location)
                .match_requests(|r| r.bucket() == Some(BARE))
                .then_output(|| {
                    GetBucketLocationOutput::builder()
                        .location_constraint(BucketLocationConstraint::Eu)
                        .build()
                }),
            // us-east-1 answers with no constraint at all.
            mock!(Client::get_bucket_location).then_output(|| GetBucketLocationOutput::builder().build()),
            mock!(Client::get_bucket_versioning)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketVersioningOutput::builder()
                        .status(BucketVersioningStatus::Enabled)
                        .build()
                }),
            mock!(Client::get_bucket_versioning).then_output(|| GetBucketVersioningOutput::builder().build()),
            mock!(Client::get_bucket_encryption)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketEncryptionOutput::builder()
                        .server_side_encryption_configuration(
                            ServerSideEncryptionConfiguration::builder()
                                .rules(
                                    ServerSideEncryptionRule::builder()
                                        .apply_server_side_encryption_by_default(
                                            ServerSideEncryptionByDefault::builder()
                                                .sse_algorithm(ServerSideEncryption::AwsKms)
                                                .kms_master_key_id("arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                                                .build()
                                                .unwrap(),
                                        )
                                        .bucket_key_enabled(true)
                                        .build(),
                                )
                                .build()
                                .unwrap(),
                        )
                        .build()
                }),
            mock!(Client::get_bucket_encryption).then_error(|| {
                GetBucketEncryptionError::generic(absent("ServerSideEncryptionConfigurationNotFoundError"))
            }),
            mock!(Client::get_public_access_block)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetPublicAccessBlockOutput::builder()
                        .public_access_block_configuration(
                            PublicAccessBlockConfiguration::builder()
                                .block_public_acls(true)
                                .ignore_public_acls(true)
                                .block_public_policy(true)
                                .restrict_public_buckets(false)
                                .build(),
                        )
                        .build()
                }),
            mock!(Client::get_public_access_block).then_error(|| {
                GetPublicAccessBlockError::generic(absent("NoSuchPublicAccessBlockConfiguration"))
            }),
            mock!(Client::get_bucket_policy)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketPolicyOutput::builder()
                        .policy(r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::krci-artifacts","arn:aws:s3:::krci-artifacts/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#)
                        .build()
                }),
            mock!(Client::get_bucket_policy)
                .match_requests(|r| r.bucket() == Some(GONE))
                .then_error(|| GetBucketPolicyError::generic(absent("NoSuchBucket"))),
            mock!(Client::get_bucket_policy)
                .then_error(|| GetBucketPolicyError::generic(absent("NoSuchBucketPolicy"))),
            mock!(Client::get_bucket_logging)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketLoggingOutput::builder()
                        .logging_enabled(
                            LoggingEnabled::builder()
                                .target_bucket("krci-access-logs")
                                .target_prefix("krci-artifacts/")
                                .build()
                                .unwrap(),
                        )
                        .build()
                }),
            mock!(Client::get_bucket_logging).then_output(|| GetBucketLoggingOutput::builder().build()),
            mock!(Client::get_bucket_policy_status)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketPolicyStatusOutput::builder()
                        .policy_status(PolicyStatus::builder().is_public(false).build())
                        .build()
                }),
            mock!(Client::get_bucket_acl)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketAclOutput::builder()
                        .grants(owner_grant())
                        .grants(
                            Grant::builder()
                                .grantee(
                                    Grantee::builder()
                                        .r#type(Type::Group)
                                        .uri("http://acs.amazonaws.com/groups/s3/LogDelivery")
                                        .build()
                                        .unwrap(),
                                )
                                .permission(Permission::Write)
                                .build(),
                        )
                        .build()
                }),
            mock!(Client::get_bucket_acl)
                .then_output(|| GetBucketAclOutput::builder().grants(owner_grant()).build()),
            mock!(Client::get_bucket_tagging)
                .match_requests(|r| r.bucket() == Some(FULL))
                .then_output(|| {
                    GetBucketTaggingOutput::builder()
                        .tag_set(Tag::builder().key("app").value("krci").build().unwrap())
                        .build()
                        .unwrap()
                }),
            mock!(Client::get_bucket_tagging)
                .then_error(|| GetBucketTaggingError::generic(absent("NoSuchTagSet"))),
        ]
    }

    #[tokio::test]
    async fn absent_configuration_is_none_and_set_configuration_is_mapped() {
        let client = mocked(&rules());
        let regions = Arc::new(Mutex::new(Vec::new()));
        let asked = regions.clone();
        let got = read(&scope(), &client, |region| {
            asked.lock().unwrap().push(region.to_string());
            client.clone()
        })
        .await
        .unwrap();

        // One client per distinct region: the bare and the gone bucket share eu-west-1.
        let mut asked = regions.lock().unwrap().clone();
        asked.sort();
        assert_eq!(asked, vec!["eu-central-1", "eu-west-1"]);

        let [full, bare] = got.buckets.as_slice() else {
            panic!("two buckets expected: {:?}", got.buckets)
        };
        assert_eq!(
            *full,
            Bucket {
                arn: "arn:aws:s3:::krci-artifacts".into(),
                name: FULL.into(),
                region: "eu-central-1".into(),
                created: Some("2023-11-14T22:13:20Z".into()),
                versioning: Some("Enabled".into()),
                encryption: Some(BucketEncryption {
                    sse_algorithm: "aws:kms".into(),
                    kms_key_id: Some(
                        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into()
                    ),
                    bucket_key_enabled: Some(true),
                }),
                public_access_block: Some(PublicAccessBlock {
                    block_public_acls: true,
                    ignore_public_acls: true,
                    block_public_policy: true,
                    restrict_public_buckets: false,
                }),
                policy: Some(json!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": ["arn:aws:s3:::krci-artifacts", "arn:aws:s3:::krci-artifacts/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                    }]
                })),
                policy_is_public: Some(false),
                acl_grants: vec![
                    AclGrant {
                        grantee_type: "CanonicalUser".into(),
                        grantee: OWNER.into(),
                        permission: "FULL_CONTROL".into(),
                    },
                    AclGrant {
                        grantee_type: "Group".into(),
                        grantee: "http://acs.amazonaws.com/groups/s3/LogDelivery".into(),
                        permission: "WRITE".into(),
                    },
                ],
                logging_enabled: Some(true),
                tags: [("app".to_string(), "krci".to_string())].into(),
            }
        );
        assert_eq!(
            *bare,
            Bucket {
                arn: "arn:aws:s3:::legacy-eu-logs".into(),
                name: BARE.into(),
                region: "eu-west-1".into(),
                created: None,
                versioning: None,
                encryption: None,
                public_access_block: None,
                policy: None,
                policy_is_public: None,
                acl_grants: vec![AclGrant {
                    grantee_type: "CanonicalUser".into(),
                    grantee: OWNER.into(),
                    permission: "FULL_CONTROL".into(),
                }],
                logging_enabled: Some(false),
                tags: Default::default(),
            }
        );
    }

    #[tokio::test]
    async fn any_other_error_fails_the_whole_service() {
        let denied = mock!(Client::get_bucket_policy).then_error(|| {
            GetBucketPolicyError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
        });
        let client = mocked(&[vec![denied], rules()].concat());
        let err = read(&scope(), &client, |_| client.clone())
            .await
            .unwrap_err();
        assert_eq!(err.class, ErrorClass::AccessDenied);
    }

    #[test]
    fn location_constraints_name_regions() {
        assert_eq!(crate::aws::bucket_region(None), "us-east-1");
        assert_eq!(crate::aws::bucket_region(Some("")), "us-east-1");
        assert_eq!(crate::aws::bucket_region(Some("EU")), "eu-west-1");
        assert_eq!(
            crate::aws::bucket_region(Some("ap-southeast-2")),
            "ap-southeast-2"
        );
    }
}
