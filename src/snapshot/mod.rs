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
//!
//! This model is the rules' input contract: a rule reads `input.<section>`
//! for its account (plus `input.account`, `input.now` and `input.org`). One
//! file per service holds its section (the services are listed once, in
//! `crate::services`). Identity fields mean the same everywhere and are not
//! documented again on each type:
//!
//! - `arn`: the resource's ARN, its identity (findings name it, a diff
//!   matches by it); a few resources without one get the ARN AWS would
//!   format (an ECR registry, a Grafana workspace);
//! - `region`: the region it was read in (IAM resources have none; an S3
//!   bucket has its own);
//! - `id`, `name`: as AWS gives them;
//! - `tags`: key to value, empty when there are none.
//!
//! Times are RFC 3339 strings (`2026-11-24T06:00:00Z`); enumerations keep
//! AWS's spelling, listed on each field.

mod coverage;
mod io;
mod section;
mod shard;
mod stream;
mod terraform;
pub(crate) mod tree;
mod validate;

pub use coverage::*;
pub use io::*;
pub use section::{
    coverage_keys, is_global_service, is_known_service, service_of, Part, Section, Service,
};
pub(crate) use section::{section, sort_by_key};
pub use shard::*;
pub use stream::{load_whole, Accounts, SnapshotSource, SnapshotStream};
pub use terraform::*;
pub use validate::{is_account_id, is_region_name, is_rfc3339, validate};

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

/// Writes, from the service registry, the service modules, [`AccountSnapshot`]
/// with one field per section, and [`SERVICES`].
macro_rules! sections {
    ($($name:ident: $ty:ident $(after $dep:ident)?),+ $(,)?) => {
        $(
            mod $name;
            pub use $name::*;
        )+

        /// One account: who it is, which regions were read, what could be read, and
        /// one section per service of the registry (always present, possibly empty).
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct AccountSnapshot {
            pub account: Account,
            /// The regions read, sorted.
            pub regions: Vec<String>,
            /// What was read: one entry per (region, coverage key) collected, and an
            /// `account` entry when the whole account could not be read.
            pub coverage: Vec<CoverageEntry>,
            $(
                #[doc = concat!("The `", stringify!($name), "` section: see [`", stringify!($ty), "`].")]
                pub $name: $ty,
            )+
        }

        impl AccountSnapshot {
            /// Number of top-level resources held, for the report's summary.
            pub fn resource_count(&self) -> usize {
                0 $(+ self.$name.len())+
            }

            /// Sorts every collection so that serialization is deterministic.
            pub fn normalize(&mut self) {
                self.regions.sort();
                self.regions.dedup();
                self.coverage
                    .sort_by(|a, b| (&a.region, &a.service).cmp(&(&b.region, &b.service)));
                $(self.$name.normalize();)+
            }
        }

        /// The services of the registry, in its order.
        pub static SERVICES: &[Service] = &[$(
            Service {
                name: stringify!($name),
                global: <$ty as Section>::GLOBAL,
                parts: <$ty as Section>::PARTS,
                terraform: <$ty as Section>::TERRAFORM,
                invalid_value: <$ty as Section>::invalid_value,
            },
        )+];
    };
}
crate::services::services!(sections);

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
