//! Drift from Terraform: the snapshot's live resources against the given
//! states, for the resource types archaudit models.
//!
//! - **unmanaged**: live, in no given state (only in accounts some given
//!   state manages resources in, and never while a state could not be read);
//! - **missing**: in a state, not live (only where the snapshot read the
//!   resource's service in its account and region: unread is not evaluated);
//! - **changed**: a compared attribute differs from the state's value
//!   ([`COMPARED`]: one line per attribute, read from the state resource that
//!   holds it: a bucket's versioning from its `aws_s3_bucket_versioning`,
//!   never from the deprecated attribute of `aws_s3_bucket`), or a tag differs
//!   from the state's `tags_all`. Each change names the block that holds it,
//!   which is where the finding is located.
//!
//! The records become `input.terraform` of the drift rules (rules/drift/),
//! which turn them into findings like any other rule's. Values of attributes
//! a state marks sensitive are compared but never written: such a change
//! reads "(sensitive) changed".

use crate::config::{DriftIgnore, DriftSettings};
use crate::engine::{StateError, TerraformInput};
use crate::snapshot::{AccountSnapshot, CoverageStatus, Snapshot, Tags, GLOBAL_REGION};
use crate::terraform::state::{Attribute, Mode, State};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Terraform types that are another name for a modelled type.
const ALIASES: &[(&str, &str)] = &[
    ("aws_alb", "aws_lb"),
    ("aws_alb_listener", "aws_lb_listener"),
    ("aws_default_vpc", "aws_vpc"),
    ("aws_default_subnet", "aws_subnet"),
    ("aws_elasticsearch_domain", "aws_opensearch_domain"),
];

/// The modelled types and the snapshot section (coverage service) of each.
const MODELLED: &[(&str, &str)] = &[
    ("aws_acm_certificate", "acm"),
    ("aws_cloudwatch_log_group", "logs"),
    ("aws_db_instance", "rds"),
    ("aws_dynamodb_table", "dynamodb"),
    ("aws_ec2_client_vpn_endpoint", "ec2-client-vpn"),
    ("aws_ecr_repository", "ecr"),
    ("aws_efs_file_system", "efs"),
    ("aws_eks_cluster", "eks"),
    ("aws_eks_node_group", "eks"),
    ("aws_flow_log", "ec2"),
    ("aws_iam_openid_connect_provider", "iam"),
    ("aws_iam_role", "iam"),
    ("aws_iam_server_certificate", "iam"),
    ("aws_iam_user", "iam"),
    ("aws_launch_template", "ec2"),
    ("aws_lb", "elbv2"),
    ("aws_lb_listener", "elbv2"),
    ("aws_opensearch_domain", "opensearch"),
    ("aws_rds_cluster", "rds"),
    ("aws_s3_bucket", "s3"),
    ("aws_secretsmanager_secret", "secretsmanager"),
    ("aws_ssm_parameter", "ssm"),
    ("aws_subnet", "ec2"),
    ("aws_vpc", "ec2"),
    ("aws_wafv2_web_acl", "wafv2"),
];

/// What `terraform import` (and an `import` block's `id`) takes for each
/// modelled type: the provider documentation's "Import" section of each
/// resource. Every type TFD001 can report has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportId {
    Arn,
    /// A field of the live resource (a JSON pointer into it).
    Field(&'static str),
    /// `CLUSTER:NODE_GROUP`.
    NodeGroup,
    /// `ID/NAME/SCOPE`.
    WebAcl,
}

const IMPORT_IDS: &[(&str, ImportId)] = &[
    ("aws_acm_certificate", ImportId::Arn),
    ("aws_cloudwatch_log_group", ImportId::Field("/name")),
    ("aws_db_instance", ImportId::Field("/id")),
    ("aws_dynamodb_table", ImportId::Field("/name")),
    ("aws_ec2_client_vpn_endpoint", ImportId::Field("/id")),
    ("aws_ecr_repository", ImportId::Field("/name")),
    ("aws_efs_file_system", ImportId::Field("/id")),
    ("aws_eks_cluster", ImportId::Field("/name")),
    ("aws_eks_node_group", ImportId::NodeGroup),
    ("aws_flow_log", ImportId::Field("/id")),
    ("aws_iam_openid_connect_provider", ImportId::Arn),
    ("aws_iam_role", ImportId::Field("/name")),
    ("aws_iam_server_certificate", ImportId::Field("/name")),
    ("aws_iam_user", ImportId::Field("/name")),
    ("aws_launch_template", ImportId::Field("/id")),
    ("aws_lb", ImportId::Arn),
    ("aws_lb_listener", ImportId::Arn),
    ("aws_opensearch_domain", ImportId::Field("/name")),
    ("aws_rds_cluster", ImportId::Field("/id")),
    ("aws_s3_bucket", ImportId::Field("/name")),
    ("aws_secretsmanager_secret", ImportId::Arn),
    ("aws_ssm_parameter", ImportId::Field("/name")),
    ("aws_subnet", ImportId::Field("/id")),
    ("aws_vpc", ImportId::Field("/id")),
    ("aws_wafv2_web_acl", ImportId::WebAcl),
];

/// How a live value is put in the state's terms before comparing.
#[derive(Debug, Clone, Copy)]
enum Norm {
    /// Scalars as text; `true`/`false` in any case are booleans.
    Plain,
    /// Nothing (or an empty value) reads as this value: what AWS means by
    /// an attribute it does not return (log retention 0 "never expires",
    /// versioning never enabled is `Disabled`, an unset flag is `false`).
    Or(&'static str),
    /// The first item of a list (a listener's default certificate).
    First,
    /// Whether the live value is this string (scheme `internal` -> `internal = true`).
    Is(&'static str),
    /// A JSON document (a policy): the state holds it as text, the snapshot
    /// parsed. Compared as documents, not as text: key order, a single value
    /// or a list of one, and the order of list items do not matter.
    Json,
}

/// The state resource that holds a compared attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The resource itself.
    Itself,
    /// A sibling resource of the provider that holds one setting of the
    /// resource (`aws_s3_bucket_versioning` for a bucket's versioning): its
    /// `link` attribute names the resource (by name or ARN), in the same state.
    Sibling {
        kind: &'static str,
        link: &'static str,
    },
}

impl Holder {
    /// The holder's Terraform type, for a compared resource of type `kind`.
    fn kind<'a>(&self, kind: &'a str) -> &'a str {
        match self {
            Holder::Itself => kind,
            Holder::Sibling { kind, .. } => kind,
        }
    }
}

/// One compared attribute: Terraform type of the live resource, the state
/// resource that holds the attribute, its path there (dots; list items by
/// index), the snapshot field (a JSON pointer into the resource), and how
/// the live value reads in the state's terms.
pub struct Compared {
    pub kind: &'static str,
    pub holder: Holder,
    pub state: &'static str,
    pub live: &'static str,
    norm: Norm,
    /// Compared only where the holder's state attribute (first) has one of
    /// these values: a listener's TLS policy only on a TLS listener.
    only_when: Option<(&'static str, &'static [&'static str])>,
}

const fn c(kind: &'static str, state: &'static str, live: &'static str, norm: Norm) -> Compared {
    held(kind, Holder::Itself, state, live, norm)
}

/// A row compared only where the state's `attribute` is one of `values`.
const fn when(row: Compared, attribute: &'static str, values: &'static [&'static str]) -> Compared {
    Compared {
        only_when: Some((attribute, values)),
        ..row
    }
}

const fn held(
    kind: &'static str,
    holder: Holder,
    state: &'static str,
    live: &'static str,
    norm: Norm,
) -> Compared {
    Compared {
        kind,
        holder,
        state,
        live,
        norm,
        only_when: None,
    }
}

/// The split S3 resources (provider 4.0 and later): each setting of a
/// bucket lives in a resource of its own, named by `bucket`. The bucket's
/// own attributes of the same names (`versioning`,
/// `server_side_encryption_configuration`, `policy`) are deprecated and
/// left stale by an apply: they are never read.
const S3_VERSIONING: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_versioning",
    link: "bucket",
};
const S3_ENCRYPTION: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_server_side_encryption_configuration",
    link: "bucket",
};
const S3_PUBLIC_ACCESS_BLOCK: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_public_access_block",
    link: "bucket",
};
const S3_POLICY: Holder = Holder::Sibling {
    kind: "aws_s3_bucket_policy",
    link: "bucket",
};

/// The attributes compared for "changed". Adding one is one line; a setting
/// held by a sibling resource names it as its holder. Tags are compared for
/// every resource whose own tags the snapshot holds (see [`compare_tags`]).
pub const COMPARED: &[Compared] = &[
    c(
        "aws_lb",
        "enable_deletion_protection",
        "/attributes/deletion_protection.enabled",
        Norm::Or("false"),
    ),
    c("aws_lb", "internal", "/scheme", Norm::Is("internal")),
    c(
        "aws_lb",
        "drop_invalid_header_fields",
        "/attributes/routing.http.drop_invalid_header_fields.enabled",
        Norm::Or("false"),
    ),
    c("aws_lb_listener", "port", "/port", Norm::Plain),
    c("aws_lb_listener", "protocol", "/protocol", Norm::Plain),
    // AWS gives a policy to TLS listeners only (moto to every one, and the
    // provider writes that into the state).
    when(
        c("aws_lb_listener", "ssl_policy", "/ssl_policy", Norm::Plain),
        "protocol",
        &["HTTPS", "TLS"],
    ),
    c(
        "aws_lb_listener",
        "certificate_arn",
        "/certificates",
        Norm::First,
    ),
    held(
        "aws_s3_bucket",
        S3_VERSIONING,
        "versioning_configuration.0.status",
        "/versioning",
        Norm::Or("Disabled"),
    ),
    held(
        "aws_s3_bucket",
        S3_ENCRYPTION,
        "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
        "/encryption/sse_algorithm",
        Norm::Plain,
    ),
    held(
        "aws_s3_bucket",
        S3_ENCRYPTION,
        "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
        "/encryption/kms_key_id",
        Norm::Plain,
    ),
    held(
        "aws_s3_bucket",
        S3_ENCRYPTION,
        "rule.0.bucket_key_enabled",
        "/encryption/bucket_key_enabled",
        Norm::Or("false"),
    ),
    held(
        "aws_s3_bucket",
        S3_PUBLIC_ACCESS_BLOCK,
        "block_public_acls",
        "/public_access_block/block_public_acls",
        Norm::Plain,
    ),
    held(
        "aws_s3_bucket",
        S3_PUBLIC_ACCESS_BLOCK,
        "block_public_policy",
        "/public_access_block/block_public_policy",
        Norm::Plain,
    ),
    held(
        "aws_s3_bucket",
        S3_PUBLIC_ACCESS_BLOCK,
        "ignore_public_acls",
        "/public_access_block/ignore_public_acls",
        Norm::Plain,
    ),
    held(
        "aws_s3_bucket",
        S3_PUBLIC_ACCESS_BLOCK,
        "restrict_public_buckets",
        "/public_access_block/restrict_public_buckets",
        Norm::Plain,
    ),
    held("aws_s3_bucket", S3_POLICY, "policy", "/policy", Norm::Json),
    c(
        "aws_dynamodb_table",
        "point_in_time_recovery.0.enabled",
        "/point_in_time_recovery",
        Norm::Plain,
    ),
    c(
        "aws_dynamodb_table",
        "deletion_protection_enabled",
        "/deletion_protection",
        Norm::Plain,
    ),
    c(
        "aws_ecr_repository",
        "image_tag_mutability",
        "/image_tag_mutability",
        Norm::Plain,
    ),
    c(
        "aws_ecr_repository",
        "image_scanning_configuration.0.scan_on_push",
        "/scan_on_push",
        Norm::Plain,
    ),
    c("aws_eks_cluster", "version", "/version", Norm::Plain),
    c(
        "aws_eks_cluster",
        "vpc_config.0.endpoint_public_access",
        "/endpoint_public_access",
        Norm::Plain,
    ),
    c(
        "aws_eks_cluster",
        "vpc_config.0.endpoint_private_access",
        "/endpoint_private_access",
        Norm::Plain,
    ),
    c(
        "aws_db_instance",
        "storage_encrypted",
        "/storage_encrypted",
        Norm::Plain,
    ),
    c(
        "aws_db_instance",
        "publicly_accessible",
        "/publicly_accessible",
        Norm::Plain,
    ),
    c("aws_db_instance", "multi_az", "/multi_az", Norm::Plain),
    c(
        "aws_db_instance",
        "deletion_protection",
        "/deletion_protection",
        Norm::Plain,
    ),
    c(
        "aws_db_instance",
        "backup_retention_period",
        "/backup_retention_period",
        Norm::Plain,
    ),
    c(
        "aws_db_instance",
        "instance_class",
        "/instance_class",
        Norm::Plain,
    ),
    c(
        "aws_rds_cluster",
        "storage_encrypted",
        "/storage_encrypted",
        Norm::Plain,
    ),
    c(
        "aws_rds_cluster",
        "deletion_protection",
        "/deletion_protection",
        Norm::Plain,
    ),
    c(
        "aws_rds_cluster",
        "backup_retention_period",
        "/backup_retention_period",
        Norm::Plain,
    ),
    c(
        "aws_efs_file_system",
        "encrypted",
        "/encrypted",
        Norm::Plain,
    ),
    c(
        "aws_cloudwatch_log_group",
        "retention_in_days",
        "/retention_in_days",
        Norm::Or("0"),
    ),
    c("aws_ssm_parameter", "type", "/type", Norm::Plain),
    c("aws_iam_role", "path", "/path", Norm::Plain),
    c("aws_wafv2_web_acl", "scope", "/scope", Norm::Plain),
];

/// The state attributes that hold a resource's tags: `tags_all` (the
/// provider's default tags included, as the live resource carries them),
/// else `tags` (states of providers before 3.38).
const TAG_ATTRIBUTES: &[&str] = &["tags_all", "tags"];

/// Live tag keys that are never compared: AWS's own (`aws:`, which the
/// provider drops too).
const AWS_TAG_PREFIX: &str = "aws:";

/// Modelled types whose own tags the snapshot does not hold (a listener
/// carries its load balancer's, for the ignore list): their tags are not
/// compared.
const TAGS_NOT_READ: &[&str] = &[
    "aws_cloudwatch_log_group",
    "aws_iam_server_certificate",
    "aws_lb_listener",
    "aws_ssm_parameter",
];

/// Whether the tags of a (modelled) type are compared with the state's.
pub fn tags_compared(kind: &str) -> bool {
    modelled(kind).is_some_and(|k| !TAGS_NOT_READ.contains(&k))
}

impl Compared {
    /// The state resource type that holds the attribute.
    pub fn holder_kind(&self) -> &'static str {
        self.holder.kind(self.kind)
    }

    /// A state value of the attribute as archaudit compares and shows it
    /// (`None`: not set).
    pub fn state_value(&self, value: &Value) -> Option<String> {
        state_value(value, self)
    }

    /// Whether the attribute is compared for a state instance of its holder
    /// with these attributes (see `only_when`).
    pub fn applies(&self, attributes: &Value) -> bool {
        self.only_when.is_none_or(|(attribute, values)| {
            attributes
                .get(attribute)
                .and_then(Value::as_str)
                .is_some_and(|v| values.contains(&v))
        })
    }

    /// A value of the attribute's path in a state instance's attributes.
    pub fn in_attributes<'v>(&self, attributes: &'v Value) -> Option<&'v Value> {
        let pointer: String = self.state.split('.').map(|p| format!("/{p}")).collect();
        attributes.pointer(&pointer)
    }
}

/// Tags that mark a resource created by AWS or by a controller, not by
/// Terraform: left out of "unmanaged" unless `builtin_ignores = false`.
pub const BUILTIN_IGNORED_TAGS: &[(&str, &str)] = &[
    (
        "elbv2.k8s.aws/cluster",
        "created by the AWS Load Balancer Controller",
    ),
    (
        "ingress.k8s.aws/stack",
        "created by the AWS Load Balancer Controller",
    ),
    (
        "service.k8s.aws/stack",
        "created by the AWS Load Balancer Controller",
    ),
    ("karpenter.sh/nodepool", "created by Karpenter"),
    ("karpenter.k8s.aws/ec2nodeclass", "created by Karpenter"),
    ("aws:eks:cluster-name", "created by EKS"),
    ("eks:nodegroup-name", "created by an EKS managed node group"),
    ("aws:cloudformation:stack-name", "managed by CloudFormation"),
];

/// The canonical modelled type of a Terraform type, if archaudit models it.
pub fn modelled(kind: &str) -> Option<&'static str> {
    let kind = ALIASES
        .iter()
        .find(|(alias, _)| *alias == kind)
        .map_or(kind, |(_, k)| k);
    MODELLED.iter().find(|(k, _)| *k == kind).map(|(k, _)| *k)
}

fn service_of(kind: &str) -> &'static str {
    MODELLED
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, s)| s)
}

/// Whether a state attribute must be kept for comparing (see
/// [`crate::terraform::state::parse_state_keeping`]): a compared attribute
/// of a modelled type or of a sibling that holds one, the sibling's link,
/// and the tags of a modelled type.
pub fn keep_attribute(kind: &str, name: &str) -> bool {
    let top = |path: &str| path.split('.').next() == Some(name);
    match modelled(kind) {
        Some(kind) => {
            TAG_ATTRIBUTES.contains(&name)
                || COMPARED.iter().any(|c| {
                    c.kind == kind
                        && c.holder == Holder::Itself
                        && (top(c.state) || c.only_when.is_some_and(|(a, _)| a == name))
                })
        }
        None => COMPARED.iter().any(|c| match c.holder {
            Holder::Sibling { kind: k, link } => {
                k == kind
                    && (top(c.state) || link == name || c.only_when.is_some_and(|(a, _)| a == name))
            }
            Holder::Itself => false,
        }),
    }
}

/// `arn:...:log-group:NAME:*` and `...:log-group:NAME` are the same log group.
fn norm_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// (region, account) of an ARN.
fn arn_region_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let _partition = parts.next()?;
    let _service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    parts.next()?;
    Some((region, account))
}

/// One live resource of a modelled type.
struct Live<'a> {
    kind: &'static str,
    arn: &'a str,
    region: String,
    name: String,
    /// What a state instance without an `arn` may name it by (`id`, `name`).
    idents: Vec<&'a str>,
    /// Its tags, or (for a listener) those of what it belongs to, which tell
    /// who made it.
    tags: &'a Tags,
    /// Whether `tags` are the resource's own, read from AWS: then they are
    /// compared with the state's.
    own_tags: bool,
    value: Value,
}

fn live<'a, T: Serialize>(
    kind: &'static str,
    arn: &'a str,
    region: &str,
    name: String,
    idents: Vec<&'a str>,
    tags: &'a Tags,
    item: &T,
) -> Live<'a> {
    Live {
        kind,
        arn,
        region: if matches!(service_of(kind), "iam" | "s3") {
            GLOBAL_REGION.to_string()
        } else {
            region.to_string()
        },
        name,
        idents,
        tags,
        own_tags: tags_compared(kind),
        // Our own snapshot types always serialize.
        value: serde_json::to_value(item).unwrap_or(Value::Null),
    }
}

/// Every live resource of a modelled type in an account.
fn live_resources(a: &AccountSnapshot) -> Vec<Live<'_>> {
    static NO_TAGS: std::sync::OnceLock<Tags> = std::sync::OnceLock::new();
    let none = NO_TAGS.get_or_init(Tags::new);
    let mut out = Vec::new();
    for x in &a.acm.certificates {
        out.push(live(
            "aws_acm_certificate",
            &x.arn,
            &x.region,
            x.domain_name.clone(),
            vec![],
            &x.tags,
            x,
        ));
    }
    for x in &a.logs.log_groups {
        out.push(live(
            "aws_cloudwatch_log_group",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            none,
            x,
        ));
    }
    for x in &a.rds.instances {
        out.push(live(
            "aws_db_instance",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.rds.clusters {
        out.push(live(
            "aws_rds_cluster",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.dynamodb.tables {
        out.push(live(
            "aws_dynamodb_table",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.ec2.client_vpn_endpoints {
        out.push(live(
            "aws_ec2_client_vpn_endpoint",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.ec2.vpcs {
        out.push(live(
            "aws_vpc",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.ec2.subnets {
        out.push(live(
            "aws_subnet",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.ec2.flow_logs {
        out.push(live(
            "aws_flow_log",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.ec2.launch_templates {
        out.push(live(
            "aws_launch_template",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.ecr.repositories {
        out.push(live(
            "aws_ecr_repository",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.efs.file_systems {
        out.push(live(
            "aws_efs_file_system",
            &x.arn,
            &x.region,
            x.id.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    for x in &a.eks.clusters {
        out.push(live(
            "aws_eks_cluster",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
        for ng in &x.node_groups {
            let name = format!("{}/{}", x.name, ng.name);
            out.push(live(
                "aws_eks_node_group",
                &ng.arn,
                &x.region,
                name,
                vec![],
                &ng.tags,
                ng,
            ));
        }
    }
    for x in &a.elbv2.load_balancers {
        out.push(live(
            "aws_lb",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
        for l in &x.listeners {
            let name = format!("{} :{}", x.name, l.port);
            // The snapshot holds no listener tags: the load balancer's tell who made it.
            out.push(live(
                "aws_lb_listener",
                &l.arn,
                &x.region,
                name,
                vec![],
                &x.tags,
                l,
            ));
        }
    }
    for x in &a.iam.roles {
        out.push(live(
            "aws_iam_role",
            &x.arn,
            GLOBAL_REGION,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.iam.users {
        out.push(live(
            "aws_iam_user",
            &x.arn,
            GLOBAL_REGION,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.iam.oidc_providers {
        out.push(live(
            "aws_iam_openid_connect_provider",
            &x.arn,
            GLOBAL_REGION,
            x.url.clone(),
            vec![],
            &x.tags,
            x,
        ));
    }
    for x in &a.iam.server_certificates {
        out.push(live(
            "aws_iam_server_certificate",
            &x.arn,
            GLOBAL_REGION,
            x.name.clone(),
            vec![&x.name, &x.id],
            none,
            x,
        ));
    }
    for x in &a.opensearch.domains {
        out.push(live(
            "aws_opensearch_domain",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.s3.buckets {
        out.push(live(
            "aws_s3_bucket",
            &x.arn,
            GLOBAL_REGION,
            x.name.clone(),
            vec![&x.name],
            &x.tags,
            x,
        ));
    }
    for x in &a.secretsmanager.secrets {
        out.push(live(
            "aws_secretsmanager_secret",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![],
            &x.tags,
            x,
        ));
    }
    for x in &a.ssm.parameters {
        out.push(live(
            "aws_ssm_parameter",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.name],
            none,
            x,
        ));
    }
    for x in &a.wafv2.web_acls {
        out.push(live(
            "aws_wafv2_web_acl",
            &x.arn,
            &x.region,
            x.name.clone(),
            vec![&x.id],
            &x.tags,
            x,
        ));
    }
    out
}

/// Why a live resource is AWS- or controller-created, if it is.
fn builtin_reason(l: &Live, default_vpcs: &BTreeSet<&str>) -> Option<String> {
    let field = |name: &str| l.value.get(name).and_then(Value::as_str);
    let reason = match l.kind {
        "aws_vpc" if l.value.get("is_default") == Some(&Value::Bool(true)) => {
            Some("the default VPC (created by AWS)")
        }
        "aws_subnet" if field("vpc_id").is_some_and(|v| default_vpcs.contains(v)) => {
            Some("a subnet of the default VPC (created by AWS)")
        }
        "aws_iam_role" if field("path").is_some_and(|p| p.starts_with("/aws-service-role/")) => {
            Some("a service-linked role (created by AWS)")
        }
        "aws_iam_role" if field("path").is_some_and(|p| p.starts_with("/aws-reserved/")) => {
            Some("an IAM Identity Center role (created by AWS)")
        }
        "aws_iam_role" if field("name") == Some("OrganizationAccountAccessRole") => {
            Some("the role Organizations creates in a new account")
        }
        "aws_secretsmanager_secret" if field("owning_service").is_some() => {
            Some("a secret managed by another AWS service")
        }
        _ => None,
    };
    reason.map(str::to_string).or_else(|| {
        BUILTIN_IGNORED_TAGS
            .iter()
            .find(|(key, _)| l.tags.contains_key(*key))
            .map(|(key, why)| format!("{why} (tag {key})"))
    })
}

/// The id `terraform import` takes for a live resource; empty when the
/// snapshot lacks a part of it.
fn import_id(l: &Live) -> String {
    let field = |pointer: &str| l.value.pointer(pointer).and_then(Value::as_str);
    let kind = IMPORT_IDS
        .iter()
        .find(|(k, _)| *k == l.kind)
        .map(|(_, i)| *i);
    match kind {
        Some(ImportId::Arn) => l.arn.to_string(),
        Some(ImportId::Field(pointer)) => field(pointer).unwrap_or_default().to_string(),
        // archaudit names a node group `CLUSTER/NAME`; neither part holds a `/`.
        Some(ImportId::NodeGroup) => l.name.replacen('/', ":", 1),
        Some(ImportId::WebAcl) => match (field("/id"), field("/name"), field("/scope")) {
            (Some(id), Some(name), Some(scope)) => format!("{id}/{name}/{scope}"),
            _ => String::new(),
        },
        None => String::new(),
    }
}

impl DriftIgnore {
    /// Whether the entry covers a resource (tags: `None` when not live).
    pub fn matches(&self, kind: &str, arn: &str, tags: Option<&Tags>) -> bool {
        self.kind
            .as_ref()
            .is_none_or(|k| modelled(k).unwrap_or(k) == kind)
            && self.resource.as_ref().is_none_or(|(_, g)| g.is_match(arn))
            && self.tag.as_ref().is_none_or(|(key, value)| {
                tags.and_then(|t| t.get(key))
                    .is_some_and(|v| value.as_ref().is_none_or(|want| want == v))
            })
    }
}

fn user_ignored(settings: &DriftSettings, kind: &str, arn: &str, tags: Option<&Tags>) -> bool {
    settings.ignore.iter().any(|i| i.matches(kind, arn, tags))
}

/// A live resource in no given state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmanaged {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// What an `import` block's `id` takes for it (see `--import-blocks`).
    #[serde(skip)]
    pub import_id: String,
}

/// A state's resource that is not live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub address: String,
    /// The state's origin (path or s3:// uri).
    pub state: String,
}

/// A managed resource whose compared attributes differ from its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// The block that holds the first change: where the finding is located.
    pub address: String,
    pub state: String,
    pub changes: Vec<Change>,
}

/// One attribute that differs. Values are absent when sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub attribute: String,
    /// The address of the block that holds the attribute: the resource's
    /// own, or a sibling's (`aws_s3_bucket_versioning.state`).
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    pub sensitive: bool,
}

impl Change {
    fn new(
        attribute: String,
        address: &str,
        sensitive: bool,
        state: Option<String>,
        live: Option<String>,
    ) -> Change {
        let shown = |v: Option<String>| Some(v.unwrap_or_else(|| "(not set)".into()));
        Change {
            attribute,
            address: address.to_string(),
            state: if sensitive { None } else { shown(state) },
            live: if sensitive { None } else { shown(live) },
            sensitive,
        }
    }
}

/// An account's drift: what its `input.terraform` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountDrift {
    pub unmanaged: Vec<Unmanaged>,
    pub missing: Vec<Missing>,
    pub changed: Vec<Changed>,
}

/// Drift of every account some state manages, by account id, plus the
/// states that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    pub accounts: BTreeMap<String, AccountDrift>,
    pub errors: Vec<StateError>,
}

impl Drift {
    /// The drift rules' input.
    pub fn input(&self) -> TerraformInput {
        TerraformInput {
            accounts: self
                .accounts
                .iter()
                .map(|(id, d)| (id.clone(), serde_json::to_value(d).unwrap_or(Value::Null)))
                .collect(),
            errors: self.errors.clone(),
        }
    }
}

/// One managed instance of a state.
struct Entry<'a> {
    /// The type, canonical when modelled.
    kind: &'a str,
    modelled: bool,
    address: String,
    /// The index of its state, and the state's origin.
    state: usize,
    origin: &'a str,
    arn: Option<&'a str>,
    account: Option<&'a str>,
    region: Option<&'a str>,
    id: Option<&'a str>,
    name: Option<&'a str>,
    attributes: &'a BTreeMap<String, Attribute>,
}

/// The managed instances of the states. `owner` maps live ARNs to their
/// account: an S3 ARN names no account, the live bucket does.
fn entries<'a>(states: &'a [State], owner: &HashMap<&str, &'a str>) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    for (index, state) in states.iter().enumerate() {
        let first = out.len();
        let mut accounts = BTreeSet::new();
        let mut regions = BTreeSet::new();
        for r in state.resources.iter().filter(|r| r.mode == Mode::Managed) {
            let kind = modelled(&r.kind);
            for i in &r.instances {
                let arn = i.arn.as_deref().or(i
                    .id
                    .as_deref()
                    .filter(|id| arn_region_account(id).is_some()));
                let parts = arn.and_then(arn_region_account);
                if let Some((region, _)) = parts {
                    if !region.is_empty() {
                        regions.insert(region);
                    }
                }
                let account = parts
                    .map(|(_, a)| a)
                    .filter(|a| !a.is_empty())
                    .or_else(|| arn.and_then(|arn| owner.get(norm_arn(arn)).copied()));
                accounts.extend(account);
                out.push(Entry {
                    kind: kind.unwrap_or(&r.kind),
                    modelled: kind.is_some(),
                    address: r.address(i),
                    state: index,
                    origin: &state.origin,
                    arn,
                    account,
                    region: parts.map(|(r, _)| r).filter(|r| !r.is_empty()),
                    id: i.id.as_deref(),
                    name: i.name.as_deref(),
                    attributes: &i.attributes,
                });
            }
        }
        // An instance without an ARN is in the state's account and region
        // when the state's ARNs show only one.
        let account = (accounts.len() == 1).then(|| *accounts.first().expect("one"));
        let region = (regions.len() == 1).then(|| *regions.first().expect("one"));
        for e in &mut out[first..] {
            if e.account.is_none() {
                e.account = account;
            }
            if e.arn.is_none() {
                e.region = region;
            }
        }
    }
    out
}

/// A scalar as text; `None` for null, empty strings and missing values.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
            Some(s.to_ascii_lowercase())
        }
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// A JSON document with its keys sorted, every list sorted, and a list of
/// one read as its item: IAM's policy grammar gives neither order nor
/// "one or a list" a meaning.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(canonical).collect();
            if items.len() == 1 {
                return items.remove(0);
            }
            items.sort_by_cached_key(|v| v.to_string());
            Value::Array(items)
        }
        other => other.clone(),
    }
}

/// A document as compact text, canonical; text that is not JSON as itself.
fn document(value: Option<&Value>) -> Option<String> {
    let parsed = match value? {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v) => v,
            Err(_) => return Some(s.clone()),
        },
        other => other.clone(),
    };
    Some(canonical(&parsed).to_string())
}

/// A value (state or live) in the comparison's terms.
fn read(value: Option<&Value>, norm: Norm) -> Option<String> {
    match norm {
        Norm::Plain => scalar(value),
        Norm::Or(default) => scalar(value).or_else(|| Some(default.to_string())),
        Norm::First => scalar(value.and_then(|v| v.get(0))),
        Norm::Is(want) => Some((value.and_then(Value::as_str) == Some(want)).to_string()),
        Norm::Json => document(value),
    }
}

fn live_value(value: &Value, c: &Compared) -> Option<String> {
    read(value.pointer(c.live), c.norm)
}

fn state_value(value: &Value, c: &Compared) -> Option<String> {
    match c.norm {
        // The state holds what the live value reads as.
        Norm::First | Norm::Is(_) => scalar(Some(value)),
        norm => read(Some(value), norm),
    }
}

/// The state instances of a live resource: the one matched, and the
/// siblings that hold its settings, by (state, type, link value).
struct Holders<'e, 'a> {
    entries: &'e [Entry<'a>],
    siblings: HashMap<(usize, &'a str, &'a str), usize>,
}

impl<'e, 'a> Holders<'e, 'a> {
    fn new(entries: &'e [Entry<'a>]) -> Self {
        let mut siblings = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for c in COMPARED {
                let Holder::Sibling { kind, link } = c.holder else {
                    continue;
                };
                if kind != e.kind {
                    continue;
                }
                if let Some(Value::String(v)) = e.attributes.get(link).map(|a| &a.value) {
                    siblings.entry((e.state, kind, v.as_str())).or_insert(i);
                }
            }
        }
        Holders { entries, siblings }
    }

    /// The instance holding `c` for the live resource matched to `entry`.
    fn of(&self, entry: &'e Entry<'a>, c: &Compared, live: &Live) -> Option<&'e Entry<'a>> {
        match c.holder {
            Holder::Itself => Some(entry),
            Holder::Sibling { kind, .. } => [live.name.as_str(), live.arn]
                .into_iter()
                .chain(live.idents.iter().copied())
                .find_map(|v| self.siblings.get(&(entry.state, kind, v)))
                .map(|&i| &self.entries[i]),
        }
    }
}

/// The compared attributes of a matched pair that differ, each with the
/// address of the block that holds it.
fn changes(holders: &Holders, entry: &Entry, live: &Live, settings: &DriftSettings) -> Vec<Change> {
    let mut out = Vec::new();
    for c in COMPARED.iter().filter(|c| c.kind == entry.kind) {
        let Some(holder) = holders.of(entry, c, live) else {
            continue; // the setting is not managed by this state
        };
        let mut path = c.state.split('.');
        let top = path.next().unwrap_or_default();
        if let Some((name, values)) = c.only_when {
            let value = holder.attributes.get(name).and_then(|a| a.value.as_str());
            if !value.is_some_and(|v| values.contains(&v)) {
                continue;
            }
        }
        let Some(attribute) = holder.attributes.get(top) else {
            continue; // not in this state (another provider version): not compared
        };
        let pointer: String = path.map(|p| format!("/{p}")).collect();
        let Some(state_value) = attribute.value.pointer(&pointer) else {
            continue;
        };
        let state = c.state_value(state_value);
        let live_v = live_value(&live.value, c);
        if state != live_v {
            out.push(Change::new(
                c.state.to_string(),
                &holder.address,
                attribute.sensitive,
                state,
                live_v,
            ));
        }
    }
    if live.own_tags {
        out.extend(tag_changes(entry, live, settings));
    }
    out
}

/// Tags that differ, one change per key (`tags.KEY`). The state's
/// `tags_all` holds what the provider last read, the provider's default
/// tags included; a `null` and an empty map are the same. AWS's own `aws:`
/// tags, and those a controller adds (unless `builtin_ignores = false`), are
/// not compared.
fn tag_changes(entry: &Entry, live: &Live, settings: &DriftSettings) -> Vec<Change> {
    let Some((name, attribute)) = TAG_ATTRIBUTES
        .iter()
        .find_map(|name| entry.attributes.get(*name).map(|a| (*name, a)))
    else {
        return Vec::new(); // tags not in this state: not compared
    };
    let ignored = |key: &str| {
        key.starts_with(AWS_TAG_PREFIX)
            || (settings.builtin_ignores && BUILTIN_IGNORED_TAGS.iter().any(|(k, _)| *k == key))
    };
    let compared = |key: &str| !ignored(key);
    let state: BTreeMap<&str, Option<String>> = match &attribute.value {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| compared(k))
            .map(|(k, v)| (k.as_str(), scalar(Some(v))))
            .collect(),
        _ => BTreeMap::new(),
    };
    let live_tags: BTreeMap<&str, Option<String>> = live
        .tags
        .iter()
        .filter(|(k, _)| compared(k))
        .map(|(k, v)| (k.as_str(), Some(v.clone()).filter(|v| !v.is_empty())))
        .collect();
    if attribute.sensitive {
        return if live_tags == state {
            Vec::new()
        } else {
            vec![Change::new(name.into(), &entry.address, true, None, None)]
        };
    }
    let keys: BTreeSet<&str> = state.keys().chain(live_tags.keys()).copied().collect();
    keys.into_iter()
        .filter_map(|key| {
            let state = state.get(key).cloned().flatten();
            let live = live_tags.get(key).cloned().flatten();
            (state != live)
                .then(|| Change::new(format!("tags.{key}"), &entry.address, false, state, live))
        })
        .collect()
}

/// Drift of the snapshot against the states. `errors` names the states that
/// could not be read (they make "unmanaged" not evaluated).
pub fn compute(
    snapshot: &Snapshot,
    states: &[State],
    errors: Vec<StateError>,
    settings: &DriftSettings,
) -> Drift {
    let live: Vec<Vec<Live>> = snapshot.accounts.iter().map(live_resources).collect();
    let owner: HashMap<&str, &str> = snapshot
        .accounts
        .iter()
        .zip(&live)
        .flat_map(|(a, live)| {
            live.iter()
                .map(|l| (norm_arn(l.arn), a.account.id.as_str()))
        })
        .collect();
    let entries = entries(states, &owner);
    let holders = Holders::new(&entries);
    let in_scope: BTreeSet<&str> = entries.iter().filter_map(|e| e.account).collect();
    let mut by_arn: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_ident: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        match e.arn {
            Some(arn) => by_arn.entry(norm_arn(arn)).or_default().push(i),
            None => {
                for ident in [e.id, e.name].into_iter().flatten() {
                    by_ident.entry((e.kind, ident)).or_default().push(i);
                }
            }
        }
    }

    let mut matched = vec![false; entries.len()];
    let mut drift = Drift {
        accounts: BTreeMap::new(),
        errors,
    };
    for (account, live) in snapshot.accounts.iter().zip(&live) {
        let id = account.account.id.as_str();
        if !in_scope.contains(id) {
            continue;
        }
        let out = drift.accounts.entry(id.to_string()).or_default();
        let default_vpcs: BTreeSet<&str> = account
            .ec2
            .vpcs
            .iter()
            .filter(|v| v.is_default)
            .map(|v| v.id.as_str())
            .collect();
        for l in live {
            let found: Vec<usize> = match by_arn.get(norm_arn(l.arn)) {
                Some(found) => found.clone(),
                None => l
                    .idents
                    .iter()
                    .filter_map(|ident| by_ident.get(&(l.kind, *ident)))
                    .flatten()
                    .copied()
                    .filter(|&i| entries[i].account == Some(id))
                    .collect(),
            };
            for &i in &found {
                matched[i] = true;
            }
            if found.is_empty() {
                let ignored = (settings.builtin_ignores
                    && builtin_reason(l, &default_vpcs).is_some())
                    || user_ignored(settings, l.kind, l.arn, Some(l.tags));
                if !ignored {
                    out.unmanaged.push(Unmanaged {
                        resource: l.arn.to_string(),
                        region: l.region.clone(),
                        kind: l.kind.to_string(),
                        name: l.name.clone(),
                        import_id: import_id(l),
                    });
                }
                continue;
            }
            if user_ignored(settings, l.kind, l.arn, Some(l.tags)) {
                continue;
            }
            let Some(entry) = found
                .iter()
                .map(|&i| &entries[i])
                .find(|e| e.kind == l.kind)
            else {
                continue;
            };
            let changes = changes(&holders, entry, l, settings);
            if let Some(first) = changes.first() {
                out.changed.push(Changed {
                    resource: l.arn.to_string(),
                    region: l.region.clone(),
                    kind: l.kind.to_string(),
                    name: l.name.clone(),
                    address: first.address.clone(),
                    state: entry.origin.to_string(),
                    changes,
                });
            }
        }
    }

    for (e, _) in entries
        .iter()
        .zip(&matched)
        .filter(|(e, m)| e.modelled && !**m)
    {
        let (Some(account_id), Some(out)) =
            (e.account, e.account.and_then(|a| drift.accounts.get_mut(a)))
        else {
            continue;
        };
        let Some(account) = snapshot
            .accounts
            .iter()
            .find(|a| a.account.id == account_id)
        else {
            continue;
        };
        let service = service_of(e.kind);
        let global = matches!(service, "iam" | "s3");
        let region = if global {
            GLOBAL_REGION
        } else {
            match e.region {
                Some(r) if account.regions.iter().any(|x| x == r) => r,
                _ => continue, // a region not read, or unknown: not evaluated
            }
        };
        let read = account
            .coverage
            .iter()
            .any(|c| c.region == region && c.service == service && c.status == CoverageStatus::Ok);
        let resource = match (e.arn, e.kind, e.id) {
            (Some(arn), _, _) => arn.to_string(),
            (None, "aws_s3_bucket", Some(bucket)) => format!("arn:aws:s3:::{bucket}"),
            _ => continue, // nothing to name it by
        };
        if !read || user_ignored(settings, e.kind, &resource, None) {
            continue;
        }
        out.missing.push(Missing {
            resource,
            region: region.to_string(),
            kind: e.kind.to_string(),
            address: e.address.clone(),
            state: e.origin.to_string(),
        });
    }
    if !drift.errors.is_empty() {
        // A state not read may manage any of them: unmanaged is not evaluated.
        for d in drift.accounts.values_mut() {
            d.unmanaged.clear();
        }
    }
    for d in drift.accounts.values_mut() {
        d.unmanaged.sort_by(|a, b| a.resource.cmp(&b.resource));
        d.missing
            .sort_by(|a, b| (&a.resource, &a.address).cmp(&(&b.resource, &b.address)));
        d.changed.sort_by(|a, b| a.resource.cmp(&b.resource));
    }
    drift
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::state::parse_state_keeping;

    #[test]
    fn every_compared_attribute_belongs_to_a_modelled_type() {
        for c in COMPARED {
            assert_eq!(modelled(c.kind), Some(c.kind), "{}", c.kind);
            assert!(c.live.starts_with('/'), "{}: a JSON pointer", c.live);
            let top = c.state.split('.').next().unwrap();
            assert!(keep_attribute(c.holder.kind(c.kind), top), "{}", c.state);
            if let Holder::Sibling { kind, link } = c.holder {
                assert_eq!(modelled(kind), None, "{kind}: a sibling is not modelled");
                assert!(keep_attribute(kind, link));
                // The deprecated attribute of the same name is never read.
                assert!(!keep_attribute(c.kind, top), "{}", c.state);
            }
        }
        assert!(keep_attribute("aws_alb", "enable_deletion_protection"));
        assert!(keep_attribute("aws_ecr_repository", "tags_all"));
        assert!(!keep_attribute("aws_s3_bucket", "versioning"));
        assert!(!keep_attribute(
            "aws_s3_bucket",
            "server_side_encryption_configuration"
        ));
        assert!(!keep_attribute("aws_db_instance", "password"));
        assert!(!keep_attribute("aws_kms_key", "policy"));
        assert!(!keep_attribute("aws_s3_bucket_versioning", "mfa"));
    }

    fn parsed(text: &str) -> State {
        parse_state_keeping(text.as_bytes(), "s.tfstate", &keep_attribute).unwrap()
    }

    fn bucket_live<'a>(tags: &'a Tags, value: Value) -> Live<'a> {
        Live {
            kind: "aws_s3_bucket",
            arn: "arn:aws:s3:::krci-states",
            region: GLOBAL_REGION.into(),
            name: "krci-states".into(),
            idents: vec![],
            tags,
            own_tags: true,
            value,
        }
    }

    fn drift_of(state: &State, live: &Live, settings: &DriftSettings) -> Vec<Change> {
        let entries = entries(std::slice::from_ref(state), &HashMap::new());
        let holders = Holders::new(&entries);
        let bucket = entries.iter().find(|e| e.kind == live.kind).unwrap();
        changes(&holders, bucket, live, settings)
    }

    /// A bucket as the provider writes it right after an apply: the
    /// deprecated `versioning` and `policy` of `aws_s3_bucket` are stale
    /// (read before the sibling resources were created).
    const SPLIT_BUCKET: &str = r#"{"version": 4, "resources": [
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket", "name": "state",
       "instances": [{"attributes": {"arn": "arn:aws:s3:::krci-states", "id": "krci-states",
         "bucket": "krci-states", "versioning": [{"enabled": false, "mfa_delete": false}],
         "policy": "", "tags": null, "tags_all": {"SysName": "KubeRocketCI"}}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "versioning_configuration": [{"mfa_delete": "", "status": "Enabled"}]}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "block_public_acls": true, "block_public_policy": true,
         "ignore_public_acls": true, "restrict_public_buckets": true}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::krci-states\",\"arn:aws:s3:::krci-states/*\"]}]}"}}]},
      {"mode": "managed", "type": "aws_s3_bucket_versioning", "name": "other",
       "instances": [{"attributes": {"id": "other", "bucket": "other",
         "versioning_configuration": [{"status": "Suspended"}]}}]}
    ]}"#;

    #[test]
    fn split_s3_settings_are_read_from_the_sibling_that_holds_them() {
        let state = parsed(SPLIT_BUCKET);
        let tags = Tags::from([("SysName".to_string(), "KubeRocketCI".to_string())]);
        let pab = serde_json::json!({"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true});
        // The same policy, keys reordered and a list of one as its item.
        let policy = serde_json::json!({"Statement": [{"Resource": ["arn:aws:s3:::krci-states/*",
            "arn:aws:s3:::krci-states"], "Action": ["s3:*"], "Principal": "*", "Effect": "Deny"}],
            "Version": "2012-10-17"});
        let settings = DriftSettings::default();
        let same = serde_json::json!({"versioning": "Enabled", "public_access_block": pab, "policy": policy});
        assert_eq!(
            drift_of(&state, &bucket_live(&tags, same), &settings),
            vec![]
        );

        let changed = serde_json::json!({"versioning": "Suspended",
            "public_access_block": {"block_public_acls": false, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true}});
        let changes = drift_of(&state, &bucket_live(&tags, changed), &settings);
        let shown: Vec<(&str, &str, &str, &str)> = changes
            .iter()
            .map(|c| {
                (
                    c.address.as_str(),
                    c.attribute.as_str(),
                    c.state.as_deref().unwrap(),
                    c.live.as_deref().unwrap(),
                )
            })
            .collect();
        let policy_text = r#"{"Statement":{"Action":"s3:*","Effect":"Deny","Principal":"*","Resource":["arn:aws:s3:::krci-states","arn:aws:s3:::krci-states/*"]},"Version":"2012-10-17"}"#;
        assert_eq!(
            shown,
            vec![
                (
                    "module.shared.aws_s3_bucket_versioning.state",
                    "versioning_configuration.0.status",
                    "Enabled",
                    "Suspended"
                ),
                (
                    "module.shared.aws_s3_bucket_public_access_block.state",
                    "block_public_acls",
                    "true",
                    "false"
                ),
                (
                    "module.shared.aws_s3_bucket_policy.state",
                    "policy",
                    policy_text,
                    "(not set)"
                ),
            ]
        );
    }

    #[test]
    fn versioning_never_enabled_reads_disabled_and_unheld_settings_are_not_compared() {
        let state = parsed(
            r#"{"version": 4, "resources": [
              {"mode": "managed", "type": "aws_s3_bucket", "name": "logs",
               "instances": [{"attributes": {"arn": "arn:aws:s3:::krci-states", "bucket": "krci-states"}}]},
              {"mode": "managed", "type": "aws_s3_bucket_versioning", "name": "logs",
               "instances": [{"attributes": {"bucket": "krci-states",
                 "versioning_configuration": [{"status": "Disabled"}]}}]}]}"#,
        );
        let tags = Tags::new();
        // No public access block, policy or encryption in the state: whatever is
        // live there is not Terraform's to report.
        let live = serde_json::json!({"policy": {"Statement": []},
            "encryption": {"sse_algorithm": "aws:kms"}});
        let settings = DriftSettings::default();
        assert_eq!(
            drift_of(&state, &bucket_live(&tags, live), &settings),
            vec![]
        );
        let enabled = serde_json::json!({"versioning": "Enabled"});
        let changes = drift_of(&state, &bucket_live(&tags, enabled), &settings);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].state.as_deref(), Some("Disabled"));
        assert_eq!(changes[0].address, "aws_s3_bucket_versioning.logs");
    }

    #[test]
    fn tags_compare_against_tags_all_without_aws_and_controller_tags() {
        let state = parsed(SPLIT_BUCKET);
        let settings = DriftSettings::default();
        let value = serde_json::json!({"versioning": "Enabled", "policy": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::krci-states", "arn:aws:s3:::krci-states/*"]}]},
            "public_access_block": {"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true}});
        let tags = Tags::from([
            ("SysName".to_string(), "KubeRocketCI".to_string()),
            ("aws:cloudformation:stack-id".to_string(), "x".to_string()),
            ("karpenter.sh/nodepool".to_string(), "default".to_string()),
            ("Owner".to_string(), "team-a".to_string()),
        ]);
        let changes = drift_of(&state, &bucket_live(&tags, value.clone()), &settings);
        assert_eq!(
            changes,
            vec![Change {
                attribute: "tags.Owner".into(),
                address: "module.shared.aws_s3_bucket.state".into(),
                state: Some("(not set)".into()),
                live: Some("team-a".into()),
                sensitive: false
            }]
        );
        let no_builtin = DriftSettings {
            builtin_ignores: false,
            ..DriftSettings::default()
        };
        let attributes: Vec<String> =
            drift_of(&state, &bucket_live(&tags, value.clone()), &no_builtin)
                .into_iter()
                .map(|c| c.attribute)
                .collect();
        assert_eq!(attributes, vec!["tags.Owner", "tags.karpenter.sh/nodepool"]);
        // The default tag removed live; a null `tags` beside `tags_all` is no tag at all.
        let none = Tags::new();
        let changes = drift_of(&state, &bucket_live(&none, value.clone()), &settings);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].attribute, "tags.SysName");
        assert_eq!(changes[0].live.as_deref(), Some("(not set)"));
        // Without tags in the state (a hand-written or pre-3.38 state), tags are not compared.
        let untagged = parsed(&SPLIT_BUCKET.replace(
            r#""tags": null, "tags_all": {"SysName": "KubeRocketCI"}"#,
            r#""x": 1"#,
        ));
        assert_eq!(
            drift_of(&untagged, &bucket_live(&tags, value), &settings),
            vec![]
        );
    }

    #[test]
    fn every_type_tfd001_reports_has_an_import_id() {
        for (kind, _) in MODELLED {
            assert!(
                IMPORT_IDS.iter().any(|(k, _)| k == kind),
                "{kind}: no import id"
            );
        }
        let tags = Tags::new();
        let of = |kind: &'static str, arn: &'static str, name: &str, value: Value| {
            import_id(&Live {
                kind,
                arn,
                region: "eu-central-1".into(),
                name: name.into(),
                idents: vec![],
                tags: &tags,
                own_tags: true,
                value,
            })
        };
        let acl = "arn:aws:wafv2:eu-central-1:1:regional/webacl/ExternalACL/2b7c1e44";
        assert_eq!(
            of(
                "aws_wafv2_web_acl",
                acl,
                "ExternalACL",
                serde_json::json!({"id": "2b7c1e44", "name": "ExternalACL", "scope": "REGIONAL"})
            ),
            "2b7c1e44/ExternalACL/REGIONAL"
        );
        assert_eq!(
            of(
                "aws_eks_node_group",
                "arn:aws:eks:eu-central-1:1:nodegroup/krci/system/4c1",
                "krci/system",
                serde_json::json!({"name": "system"})
            ),
            "krci:system"
        );
        let template = "arn:aws:ec2:eu-central-1:1:launch-template/lt-042a88ebd467a9615";
        assert_eq!(
            of(
                "aws_launch_template",
                template,
                "runner",
                serde_json::json!({"id": "lt-042a88ebd467a9615", "name": "runner"})
            ),
            "lt-042a88ebd467a9615"
        );
        let lb = "arn:aws:elasticloadbalancing:eu-central-1:1:loadbalancer/app/a/1";
        assert_eq!(of("aws_lb", lb, "a", serde_json::json!({})), lb);
        assert_eq!(
            of(
                "aws_ssm_parameter",
                "arn:aws:ssm:eu-central-1:1:parameter/a/b",
                "/a/b",
                serde_json::json!({"name": "/a/b"})
            ),
            "/a/b"
        );
    }

    #[test]
    fn a_listener_policy_is_compared_on_tls_listeners_only() {
        let state = parsed(
            r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_lb_listener", "name": "http",
              "instances": [{"attributes": {"arn": "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
                "port": 80, "protocol": "HTTP", "ssl_policy": "ELBSecurityPolicy-2016-08"}}]}]}"#,
        );
        let tags = Tags::new();
        let live = |protocol: &str| Live {
            kind: "aws_lb_listener",
            arn: "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
            region: "eu-central-1".into(),
            name: "a :80".into(),
            idents: vec![],
            tags: &tags,
            own_tags: false,
            value: serde_json::json!({"port": 80, "protocol": protocol}),
        };
        let http = entries(std::slice::from_ref(&state), &HashMap::new());
        let settings = DriftSettings::default();
        // The policy an endpoint put on an HTTP listener is not compared.
        let found = changes(&Holders::new(&http), &http[0], &live("HTTP"), &settings);
        assert_eq!(found, vec![]);
        let https = parsed(
            &r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_lb_listener", "name": "http",
              "instances": [{"attributes": {"arn": "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
                "port": 80, "protocol": "HTTP", "ssl_policy": "ELBSecurityPolicy-2016-08"}}]}]}"#
                .replace("\"HTTP\"", "\"HTTPS\""),
        );
        let tls = entries(std::slice::from_ref(&https), &HashMap::new());
        let attributes: Vec<String> =
            changes(&Holders::new(&tls), &tls[0], &live("HTTPS"), &settings)
                .into_iter()
                .map(|c| c.attribute)
                .collect();
        assert_eq!(attributes, vec!["ssl_policy"]);
    }

    #[test]
    fn sensitive_changes_hide_both_values() {
        let state = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_ssm_parameter",
          "name": "p", "instances": [{"attributes": {"arn": "arn:aws:ssm:eu-central-1:1:parameter/a",
          "name": "/a", "type": "String", "value": "hunter2"},
          "sensitive_attributes": [[{"type": "get_attr", "value": "type"}], [{"type": "get_attr", "value": "value"}]]}]}]}"#;
        let state = parse_state_keeping(state.as_bytes(), "s", &keep_attribute).unwrap();
        let instance = &state.resources[0].instances[0];
        assert_eq!(instance.attributes.len(), 1, "only `type` is compared");
        assert!(!format!("{state:?}").contains("String"));
        let entries = entries(std::slice::from_ref(&state), &HashMap::new());
        let tags = Tags::new();
        let live = Live {
            kind: "aws_ssm_parameter",
            arn: "arn:aws:ssm:eu-central-1:1:parameter/a",
            region: "eu-central-1".into(),
            name: "/a".into(),
            idents: vec![],
            tags: &tags,
            own_tags: false,
            value: serde_json::json!({"type": "SecureString"}),
        };
        assert_eq!(
            changes(
                &Holders::new(&entries),
                &entries[0],
                &live,
                &DriftSettings::default()
            ),
            vec![Change {
                attribute: "type".into(),
                address: "aws_ssm_parameter.p".into(),
                state: None,
                live: None,
                sensitive: true
            }]
        );
    }

    #[test]
    fn live_values_read_in_the_state_terms() {
        let row = |kind, state| {
            COMPARED
                .iter()
                .find(|c| c.kind == kind && c.state == state)
                .unwrap()
        };
        let v = serde_json::json!({"scheme": "internal",
            "certificates": ["arn:c1", "arn:c2"], "attributes": {"deletion_protection.enabled": "TRUE"}});
        assert_eq!(
            live_value(
                &v,
                row("aws_s3_bucket", "versioning_configuration.0.status")
            )
            .as_deref(),
            Some("Disabled")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "internal")).as_deref(),
            Some("true")
        );
        assert_eq!(
            live_value(&v, row("aws_lb_listener", "certificate_arn")).as_deref(),
            Some("arn:c1")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "enable_deletion_protection")).as_deref(),
            Some("true")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "drop_invalid_header_fields")).as_deref(),
            Some("false"),
            "an attribute the endpoint does not return is AWS's default"
        );
        assert_eq!(
            live_value(&v, row("aws_cloudwatch_log_group", "retention_in_days")).as_deref(),
            Some("0")
        );
        assert_eq!(live_value(&v, row("aws_lb_listener", "ssl_policy")), None);
        assert_eq!(
            document(Some(&Value::from("not json {"))).as_deref(),
            Some("not json {")
        );
    }
}
