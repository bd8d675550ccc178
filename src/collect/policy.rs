//! The least-privilege IAM policies an audit needs (`archaudit policy`), generated
//! from the operation lists the collectors declare: each `src/collect/<service>.rs`
//! names in `OPERATIONS` every AWS operation it sends and the IAM action it needs.
//!
//! Two identities need permissions: the role assumed in every audited (member)
//! account, which only reads, and the identity that runs the audit, which lists
//! the organization, assumes that role and writes to the audit bucket.
//!
//! Tests keep the lists honest: the aws-smithy-mocks collector tests fail on an
//! unlisted operation ([`ListedOnly`]), the live tests check every call that reached
//! the endpoint against the printed policies, and a unit test checks that every
//! listed operation is still called.

use super::{MEMBER_OPERATIONS, ORGANIZATION_OPERATIONS};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One AWS API operation and the IAM action that allows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The SDK's service name, as in the operation's metadata (`ECR`, `Elastic Load Balancing v2`).
    pub service: &'static str,
    /// The API operation (`DescribeRepositories`).
    pub name: &'static str,
    /// The IAM action (`ecr:DescribeRepositories`); mostly `<prefix>:<name>`, but not
    /// always (S3 GetBucketEncryption needs `s3:GetEncryptionConfiguration`).
    pub action: &'static str,
}

impl Operation {
    pub const fn new(service: &'static str, name: &'static str, action: &'static str) -> Self {
        Operation {
            service,
            name,
            action,
        }
    }

    /// The IAM service prefix (`ecr`), which is also the service's SigV4 signing name.
    pub fn prefix(&self) -> &'static str {
        self.action.split(':').next().unwrap_or_default()
    }
}

/// A collector's `OPERATIONS`: the SDK's service name (as in an operation's
/// metadata), the IAM prefix, then each operation, whose IAM action is
/// `<prefix>:<Operation>` unless given (`GetBucketEncryption =
/// "GetEncryptionConfiguration"`).
macro_rules! operations_of {
    ($service:literal, $prefix:literal: $($name:ident $(= $action:literal)?),+ $(,)?) => {
        &[$(crate::collect::policy::Operation::new(
            $service,
            stringify!($name),
            crate::collect::policy::operations_of!(@action $prefix, $name $(, $action)?),
        )),+]
    };
    (@action $prefix:literal, $name:ident) => {
        concat!($prefix, ":", stringify!($name))
    };
    (@action $prefix:literal, $name:ident, $action:literal) => {
        concat!($prefix, ":", $action)
    };
}
pub(crate) use operations_of;

/// Sent by the assume-role credentials provider (`aws::assume_role_config`) for
/// every account but the caller's own.
const ROLE_OPERATIONS: &[Operation] = &[Operation::new("STS", "AssumeRole", "sts:AssumeRole")];

/// What `s3://` inputs and outputs in the audit bucket need: objects read and
/// written (snapshots, shards, reports, Terraform state), the bucket listed (a
/// `check s3://bucket/prefix/` reads every snapshot under the prefix) and located.
const BUCKET_OBJECT_ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject"];
const BUCKET_ACTIONS: &[&str] = &["s3:GetBucketLocation", "s3:ListBucket"];

/// The partitions an ARN may name.
pub const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov"];

/// Every operation sent in an audited account.
pub fn member_operations() -> impl Iterator<Item = &'static Operation> {
    MEMBER_OPERATIONS.iter().flat_map(|(_, ops)| ops.iter())
}

/// Every operation the identity running the audit sends itself (besides reading
/// its own account, which needs the member operations).
pub fn runner_operations() -> impl Iterator<Item = &'static Operation> {
    ORGANIZATION_OPERATIONS
        .iter()
        .chain(ROLE_OPERATIONS)
        .chain(super::OPERATIONS.iter().filter(|o| o.service == "STS"))
}

/// Every operation archaudit sends to AWS, member and runner.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    member_operations().chain(runner_operations())
}

fn actions<'a>(ops: impl Iterator<Item = &'a Operation>) -> Vec<&'a str> {
    let set: BTreeSet<&str> = ops.map(|o| o.action).collect();
    set.into_iter().collect()
}

/// The read-only policy of the role assumed in each audited account: every action
/// the collectors need, sorted, on every resource (List and Describe calls take
/// no resource-level permissions).
pub fn member_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ArchauditReadOnly",
            "Effect": "Allow",
            "Action": actions(member_operations()),
            "Resource": "*",
        }],
    })
}

/// The policy of the identity that runs `archaudit audit --org` or `collect --org`.
#[derive(Debug, Clone)]
pub struct RunnerPolicy {
    /// The role assumed in each member account.
    pub assumed_role: String,
    /// The bucket of snapshots and reports, read and written.
    pub bucket: Option<String>,
    pub partition: String,
}

impl RunnerPolicy {
    pub fn policy(&self) -> Value {
        let p = &self.partition;
        let mut statements = vec![
            json!({
                "Sid": "ReadOrganization",
                "Effect": "Allow",
                "Action": actions(ORGANIZATION_OPERATIONS.iter()),
                "Resource": "*",
            }),
            json!({
                "Sid": "IdentifyCaller",
                "Effect": "Allow",
                "Action": actions(runner_operations().filter(|o| o.name == "GetCallerIdentity")),
                "Resource": "*",
            }),
            json!({
                "Sid": "AssumeAuditRole",
                "Effect": "Allow",
                "Action": actions(ROLE_OPERATIONS.iter()),
                "Resource": format!("arn:{p}:iam::*:role/{}", self.assumed_role),
            }),
        ];
        if let Some(bucket) = &self.bucket {
            statements.push(json!({
                "Sid": "AuditBucketObjects",
                "Effect": "Allow",
                "Action": BUCKET_OBJECT_ACTIONS,
                "Resource": format!("arn:{p}:s3:::{bucket}/*"),
            }));
            statements.push(json!({
                "Sid": "AuditBucket",
                "Effect": "Allow",
                "Action": BUCKET_ACTIONS,
                "Resource": format!("arn:{p}:s3:::{bucket}"),
            }));
        }
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

/// An S3 bucket name as S3 accepts it for new buckets (3-63 characters: lowercase
/// letters, digits, dots and hyphens, starting and ending with a letter or digit).
pub fn is_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && !name.contains("..")
}

/// Fails (panics: test code only) when a mocked collector test sends an operation
/// that no `OPERATIONS` list names, so APIs moto lacks are kept in the policy too.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListedOnly;

#[cfg(test)]
impl aws_smithy_runtime_api::client::interceptors::Intercept for ListedOnly {
    fn name(&self) -> &'static str {
        "archaudit-listed-only"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let meta = cfg
            .load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
            .expect("every SDK operation carries its metadata");
        assert!(
            operations().any(|o| o.service == meta.service() && o.name == meta.name()),
            "{} {} is sent but listed in no OPERATIONS (src/collect/): add it with its IAM action",
            meta.service(),
            meta.name()
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SDK's method name for an operation: `ListWebACLs` -> `list_web_acls`,
    /// `GetOpenIDConnectProvider` -> `get_open_id_connect_provider`.
    fn snake_case(name: &str) -> String {
        let chars: Vec<char> = name.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next = chars.get(i + 1).copied();
                // A plural acronym (`ACLs`) stays one word.
                let plural =
                    next == Some('s') && chars.get(i + 2).is_none_or(|c| c.is_ascii_uppercase());
                let starts_word = prev.is_ascii_lowercase()
                    || (prev.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase())
                        && !plural);
                if starts_word {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn snake_case_follows_the_sdk_method_names() {
        for (op, method) in [
            ("ListWebACLs", "list_web_acls"),
            ("GetWebACLForResource", "get_web_acl_for_resource"),
            ("ListResourcesForWebACL", "list_resources_for_web_acl"),
            ("GetOpenIDConnectProvider", "get_open_id_connect_provider"),
            ("DescribeDBClusters", "describe_db_clusters"),
            ("ListTagsOfResource", "list_tags_of_resource"),
        ] {
            assert_eq!(snake_case(op), method);
        }
    }

    /// No stale entry: every listed operation is called, as an SDK method, in
    /// the non-test code of the file that lists it.
    #[test]
    fn every_listed_operation_is_called_where_it_is_listed() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files: Vec<&str> = MEMBER_OPERATIONS.iter().map(|(f, _)| *f).collect();
        for (file, ops) in MEMBER_OPERATIONS
            .iter()
            .chain(&[("collect/mod.rs", ORGANIZATION_OPERATIONS)])
        {
            let text = std::fs::read_to_string(src.join(file)).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for op in *ops {
                let method = format!(".{}()", snake_case(op.name));
                assert!(
                    code.contains(&method),
                    "{file} lists {} {} but never calls {method}",
                    op.service,
                    op.name
                );
            }
        }
        // And every collector file has a list.
        files.sort();
        for entry in std::fs::read_dir(src.join("collect")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if ["policy.rs", "progress.rs", "schedule.rs"].contains(&name.as_str()) {
                continue;
            }
            let file = format!("collect/{name}");
            assert!(
                files.binary_search(&file.as_str()).is_ok(),
                "{file} is not in MEMBER_OPERATIONS"
            );
        }
    }

    #[test]
    fn every_operation_is_listed_once() {
        let mut seen = BTreeSet::new();
        let runner = runner_operations().filter(|o| !member_operations().any(|m| m == *o));
        for op in member_operations().chain(runner) {
            assert!(seen.insert((op.service, op.name)), "{op:?} listed twice");
            assert!(
                op.action.split_once(':').is_some_and(|(p, a)| !p.is_empty()
                    && a.chars().next().is_some_and(|c| c.is_ascii_uppercase())),
                "{op:?}: not an IAM action"
            );
        }
    }

    #[test]
    fn member_policy_is_sorted_read_only_and_fits_a_managed_policy() {
        let policy = member_policy();
        let actions: Vec<&str> = policy["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let mut sorted = actions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(actions, sorted);
        for action in &actions {
            let verb = action.split(':').nth(1).unwrap();
            assert!(
                ["List", "Describe", "Get"]
                    .iter()
                    .any(|p| verb.starts_with(p)),
                "{action} is not a read"
            );
        }
        for (action, why) in [
            ("s3:GetEncryptionConfiguration", "GetBucketEncryption"),
            ("s3:GetBucketPublicAccessBlock", "GetPublicAccessBlock"),
            ("s3:ListAllMyBuckets", "ListBuckets"),
            ("elasticloadbalancing:DescribeLoadBalancers", "elbv2"),
            ("es:DescribeDomains", "opensearch"),
            ("aps:ListWorkspaces", "amp"),
            ("elasticfilesystem:DescribeFileSystems", "efs"),
            ("grafana:ListWorkspaces", "grafana"),
        ] {
            assert!(actions.contains(&action), "{action} ({why}) missing");
        }
        for absent in [
            "s3:GetBucketEncryption",
            "secretsmanager:GetSecretValue",
            "ssm:GetParameter",
        ] {
            assert!(!actions.contains(&absent), "{absent} listed");
        }
        assert_eq!(policy["Statement"][0]["Resource"], "*");
        // AWS counts a managed policy's size without whitespace: at most 6,144.
        assert!(policy.to_string().len() < 6144);
    }

    #[test]
    fn runner_policy_scopes_assume_role_and_the_bucket() {
        let policy = RunnerPolicy {
            assumed_role: "ArchauditAudit".into(),
            bucket: Some("acme-archaudit-reports".into()),
            partition: "aws-us-gov".into(),
        }
        .policy();
        let statements = policy["Statement"].as_array().unwrap();
        let by_sid = |sid: &str| statements.iter().find(|s| s["Sid"] == sid).unwrap();
        assert_eq!(
            by_sid("ReadOrganization")["Action"],
            json!([
                "organizations:DescribeOrganization",
                "organizations:ListAccounts",
                "organizations:ListTagsForResource"
            ])
        );
        assert_eq!(
            by_sid("AssumeAuditRole")["Resource"],
            "arn:aws-us-gov:iam::*:role/ArchauditAudit"
        );
        assert_eq!(
            by_sid("AuditBucketObjects")["Resource"],
            "arn:aws-us-gov:s3:::acme-archaudit-reports/*"
        );
        assert_eq!(
            by_sid("AuditBucket")["Resource"],
            "arn:aws-us-gov:s3:::acme-archaudit-reports"
        );
        let without = RunnerPolicy {
            bucket: None,
            partition: "aws".into(),
            assumed_role: "ArchauditAudit".into(),
        }
        .policy();
        assert!(!without.to_string().contains("s3:"));
    }

    #[test]
    fn bucket_names() {
        for ok in ["acme-archaudit-reports", "a.b-c", "abc"] {
            assert!(is_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "Acme",
            "-acme",
            "acme-",
            "a..b",
            "acme_reports",
            "s3://x",
        ] {
            assert!(!is_bucket_name(bad), "{bad}");
        }
    }
}
