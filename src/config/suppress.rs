//! `[[suppress]]`: findings a team has accepted, each with a reason and an
//! optional expiry. Applying them to findings is the engine's job
//! (`engine::suppress`).

use super::problems::Problems;
use super::values::{self, Pattern};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone)]
pub struct Suppression {
    pub rule: String,
    pub account: Option<String>,
    pub region: Option<String>,
    /// An ARN glob.
    pub resource: Option<Pattern>,
    pub reason: String,
    pub expires: Option<jiff::civil::Date>,
    /// Line of the `[[suppress]]` entry, for messages.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSuppression {
    rule: Spanned<String>,
    account: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    resource: Option<Spanned<String>>,
    reason: Spanned<String>,
    expires: Option<Spanned<String>>,
}

/// Validates every entry; an entry with a problem is left out (and the
/// problem reported).
pub(super) fn validate(raw: Vec<Spanned<RawSuppression>>, p: &mut Problems) -> Vec<Suppression> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, entry) in raw.into_iter().enumerate() {
        let line = p.line(entry.span().start);
        let s = entry.into_inner();
        let key = |field: &str| format!("suppress[{i}].{field}");
        let reason = p.check(&s.reason, &key("reason"), |r| {
            values::not_blank(r, "must say why the finding is accepted")
        });
        let account = p.check_optional(s.account.as_ref(), &key("account"), |a| {
            values::account_id(a)
        });
        let region = p.check_optional(s.region.as_ref(), &key("region"), |r| {
            if values::is_region(r) {
                Ok(r.clone())
            } else {
                Err(format!("{r:?} is not a region name (or `global`)"))
            }
        });
        let resource = p.check_optional(s.resource.as_ref(), &key("resource"), |g| values::glob(g));
        let expires = p.check_optional(s.expires.as_ref(), &key("expires"), |d| values::date(d));
        let (Some(reason), Some(account), Some(region), Some(resource), Some(expires)) =
            (reason, account, region, resource, expires)
        else {
            continue;
        };
        out.push(Suppression {
            rule: s.rule.into_inner(),
            account,
            region,
            resource,
            reason,
            expires,
            line,
        });
    }
    out
}
