//! The snapshot: everything the collectors read from an organization, as our own
//! serde types (the SDK's types are not `Serialize`), holding only what rules need
//! plus identity (ARN, id, name, tags, region).
//!
//! Collections are `Vec`s sorted by ARN (see [`Snapshot::normalize`]) and tags are
//! `BTreeMap`s, so a saved snapshot and every report built from it are
//! deterministic. Optional scalars are *absent* from the JSON when unknown, never
//! `null`: Rego's `not x.f` is only true for an undefined field. Service sections
//! are always present (possibly empty), so a rule that counts resources never sees
//! an undefined collection; whether a section was actually read is recorded in
//! [`AccountSnapshot::coverage`], and rules over unread data are not evaluated.
//!
//! Secret values and parameter values are never part of the model.

mod acm;
mod amp;
mod coverage;
mod dynamodb;
mod ec2;
mod ecr;
mod efs;
mod eks;
mod elbv2;
mod grafana;
mod iam;
mod io;
mod logs;
mod opensearch;
mod rds;
mod s3;
mod secretsmanager;
mod shard;
mod ssm;
mod validate;
mod wafv2;

pub use acm::*;
pub use amp::*;
pub use coverage::*;
pub use dynamodb::*;
pub use ec2::*;
pub use ecr::*;
pub use efs::*;
pub use eks::*;
pub use elbv2::*;
pub use grafana::*;
pub use iam::*;
pub use io::*;
pub use logs::*;
pub use opensearch::*;
pub use rds::*;
pub use s3::*;
pub use secretsmanager::*;
pub use shard::*;
pub use ssm::*;
pub use validate::{is_account_id, is_region_name, is_rfc3339, validate};
pub use wafv2::*;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

/// Major.minor. A reader accepts any minor version of its own major version.
/// 1.1 added `shard`.
pub const SCHEMA_VERSION: &str = "1.1";

/// Resource tags, ordered by key.
pub type Tags = BTreeMap<String, String>;

/// The pseudo-region of global services (IAM, S3's bucket list, Organizations).
pub const GLOBAL_REGION: &str = "global";

/// A whole organization (or one shard of it) as read at `generated_at`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema_version: String,
    /// RFC 3339 time the collection started; rules measure ages against it.
    pub generated_at: String,
    pub organization: Option<Organization>,
    /// Set by `collect --shard I/N`: this snapshot holds one shard's accounts.
    pub shard: Option<ShardRecord>,
    pub accounts: Vec<AccountSnapshot>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub arn: Option<String>,
    pub management_account_id: String,
}

/// An AWS account as Organizations (or the config) describes it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub arn: Option<String>,
    pub email: Option<String>,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`.
    pub status: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// One account: who it is, which regions were read, what could be read, and the data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountSnapshot {
    pub account: Account,
    pub regions: Vec<String>,
    pub coverage: Vec<CoverageEntry>,
    pub acm: Acm,
    pub amp: Amp,
    pub dynamodb: Dynamodb,
    pub ec2: Ec2,
    pub ecr: Ecr,
    pub efs: Efs,
    pub eks: Eks,
    pub elbv2: Elbv2,
    pub grafana: Grafana,
    pub iam: Iam,
    pub logs: Logs,
    pub opensearch: OpenSearch,
    pub rds: Rds,
    pub s3: S3,
    pub secretsmanager: SecretsManager,
    pub ssm: Ssm,
    pub wafv2: Wafv2,
}

impl AccountSnapshot {
    /// Number of top-level resources held, for the report's summary.
    pub fn resource_count(&self) -> usize {
        self.acm.len()
            + self.amp.len()
            + self.dynamodb.len()
            + self.ec2.len()
            + self.ecr.len()
            + self.efs.len()
            + self.eks.len()
            + self.elbv2.len()
            + self.grafana.len()
            + self.iam.len()
            + self.logs.len()
            + self.opensearch.len()
            + self.rds.len()
            + self.s3.len()
            + self.secretsmanager.len()
            + self.ssm.len()
            + self.wafv2.len()
    }

    /// Sorts every collection so that serialization is deterministic.
    pub fn normalize(&mut self) {
        self.regions.sort();
        self.regions.dedup();
        self.coverage
            .sort_by(|a, b| (&a.region, &a.service).cmp(&(&b.region, &b.service)));
        self.acm.normalize();
        self.amp.normalize();
        self.dynamodb.normalize();
        self.ec2.normalize();
        self.ecr.normalize();
        self.efs.normalize();
        self.eks.normalize();
        self.elbv2.normalize();
        self.grafana.normalize();
        self.iam.normalize();
        self.logs.normalize();
        self.opensearch.normalize();
        self.rds.normalize();
        self.s3.normalize();
        self.secretsmanager.normalize();
        self.ssm.normalize();
        self.wafv2.normalize();
    }
}

impl Snapshot {
    pub fn new(generated_at: String) -> Self {
        Snapshot {
            schema_version: SCHEMA_VERSION.to_string(),
            generated_at,
            organization: None,
            shard: None,
            accounts: Vec::new(),
        }
    }

    pub fn normalize(&mut self) {
        self.accounts
            .sort_by(|a, b| a.account.id.cmp(&b.account.id));
        for account in &mut self.accounts {
            account.normalize();
        }
    }

    pub fn resource_count(&self) -> usize {
        self.accounts.iter().map(|a| a.resource_count()).sum()
    }
}

/// Sorts a collection by a key, so every section's `normalize` reads the same.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    items.sort_by_key(|item| key(item));
}

/// Implements `len` (resource count) and `normalize` (sort by ARN) for a section
/// whose collections are all `Vec`s of resources with an `arn`.
macro_rules! section {
    ($ty:ty { $($field:ident),+ $(,)? }) => {
        impl $ty {
            pub fn len(&self) -> usize {
                0 $(+ self.$field.len())+
            }
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
            pub fn normalize(&mut self) {
                $(crate::snapshot::sort_by_key(&mut self.$field, |r| r.arn.clone());)+
            }
            /// Adds another region's resources.
            pub fn extend(&mut self, other: Self) {
                $(self.$field.extend(other.$field);)+
            }
        }
    };
}
pub(crate) use section;
