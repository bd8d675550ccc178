//! The top-level keys: which accounts and regions to read and how (flags win
//! over them).

use super::problems::Problems;
use super::values;
use toml::Spanned;

/// Collection settings; the matching flags win over them.
#[derive(Debug, Clone, Default)]
pub struct CollectSettings {
    pub accounts: Vec<String>,
    /// `["all"]` means the enabled regions.
    pub regions: Option<Vec<String>>,
    /// The IAM role assumed in each account (`role_name`).
    pub assumed_role: Option<String>,
    pub external_id: Option<String>,
    pub concurrency: Option<usize>,
}

/// The top-level keys as written.
pub(super) struct RawCollect {
    pub accounts: Vec<Spanned<String>>,
    pub regions: Option<Vec<Spanned<String>>>,
    pub role_name: Option<Spanned<String>>,
    pub external_id: Option<Spanned<String>>,
    pub concurrency: Option<Spanned<i64>>,
}

impl RawCollect {
    pub fn validate(self, p: &mut Problems) -> CollectSettings {
        CollectSettings {
            accounts: self
                .accounts
                .iter()
                .filter_map(|id| p.check(id, "accounts", |s| values::account_id(s)))
                .collect(),
            regions: self.regions.map(|list| {
                list.iter()
                    .filter_map(|r| p.check(r, "regions", |s| values::region_to_read(s)))
                    .collect()
            }),
            assumed_role: self
                .role_name
                .and_then(|n| p.check(&n, "role_name", |s| values::assumed_role_name(s))),
            external_id: self.external_id.and_then(|id| {
                p.check(&id, "external_id", |s| {
                    values::not_blank(s, "must not be empty")
                })
            }),
            concurrency: self
                .concurrency
                .and_then(|n| p.check(&n, "concurrency", |n| values::concurrency(i128::from(*n)))),
        }
    }
}
