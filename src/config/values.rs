//! The values that come both from flags and from `archaudit.toml`, each
//! checked here and nowhere else (account ids and region names as the
//! snapshot checks them: `crate::snapshot::validate`). A check returns the problem as a phrase
//! (`"5712" is not a 12-digit account id`); the caller names where the value
//! came from (`--account`, or `file:line: accounts`).

use std::sync::OnceLock;

/// The most AWS calls in flight at once that `--concurrency` accepts.
pub const MAX_CONCURRENCY: usize = 1024;

/// AWS calls in flight at once over the run when neither flag nor config
/// sets it: what one process's sockets and memory take easily. AWS's own
/// limits are per account, region and service; the collection scheduler
/// (`collect::schedule`) bounds and adapts those under this cap. At 256, a
/// quarter as many accounts (64) are read at once, which reads 1,000 accounts
/// in under 2 minutes when each account's IAM allows 2 calls/s
/// (`benches/scale.py`, release build: 86.5 s, 471 MB peak; 128 took 323 s).
pub const DEFAULT_CONCURRENCY: usize = 256;

pub use crate::snapshot::{is_account_id, is_region_name};

pub fn account_id(s: &str) -> Result<String, String> {
    if is_account_id(s) {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not a 12-digit account id"))
    }
}

/// A region name such as `eu-central-1`, or `global`.
pub fn is_region(s: &str) -> bool {
    s == crate::snapshot::GLOBAL_REGION || is_region_name(s)
}

/// A region to read: a region name, or `all` (the account's enabled regions).
pub fn region_to_read(s: &str) -> Result<String, String> {
    if s == "all" || is_region_name(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not a region name (e.g. eu-central-1), or `all`"
        ))
    }
}

/// IAM role names: 1-64 of letters, digits and `+=,.@_-`.
pub fn is_iam_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// The IAM role archaudit assumes in each audited account.
pub fn assumed_role_name(s: &str) -> Result<String, String> {
    if is_iam_name(s) {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not an IAM role name"))
    }
}

/// How many AWS calls may be in flight at once over the run.
pub fn concurrency(n: i128) -> Result<usize, String> {
    match usize::try_from(n) {
        Ok(n) if (1..=MAX_CONCURRENCY).contains(&n) => Ok(n),
        _ => Err(format!("{n} is not between 1 and {MAX_CONCURRENCY}")),
    }
}

/// Text that must say something (a reason, an external id, a tag key).
pub fn not_blank(s: &str, problem: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err(problem.to_string())
    } else {
        Ok(s.to_string())
    }
}

/// An architecture role (`production`, `shared`, ...): lowercase letters, digits, `-`.
pub fn architecture_role(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not a lowercase role name"))
    }
}

/// An ARN (or account name) glob, checked when the config is read.
pub fn glob(s: &str) -> Result<Pattern, String> {
    globset::Glob::new(s)
        .map(|glob| Pattern {
            glob,
            matcher: OnceLock::new(),
        })
        .map_err(|e| format!("bad glob: {e}"))
}

/// A glob of the config, compiled (into a regex) the first time it is
/// matched: a config may hold thousands of suppressions, and only those whose
/// rule, account and region match a finding ever try their resource glob.
#[derive(Debug, Clone)]
pub struct Pattern {
    glob: globset::Glob,
    matcher: OnceLock<globset::GlobMatcher>,
}

impl Pattern {
    pub fn is_match(&self, text: &str) -> bool {
        self.matcher
            .get_or_init(|| self.glob.compile_matcher())
            .is_match(text)
    }
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}
