//! `archaudit.toml` -> validated [`Config`]. The raw file is deserialized with
//! unknown keys refused, then each section is validated into its typed form
//! (one file per section). Every problem is reported at once, one line each:
//! `file:line: key: problem`. Values that flags can give too are checked in
//! [`values`] only.
//!
//! The config stands below the engine: it names rules and areas as text, and
//! the engine checks them against the catalogue (`Catalogue::configure`).
//!
//! ```toml
//! accounts = ["571293840655", "318465720941"]  # audited without --org (flags win)
//! regions = ["eu-central-1", "us-east-1"]        # or ["all"]: the enabled regions
//! role_name = "OrganizationAccountAccessRole"
//! external_id = "archaudit"
//! concurrency = 256                     # AWS calls in flight over the run (flag: --concurrency)
//!
//! [roles]
//! tag_key = "archaudit:role"             # accounts tagged with it get its value (default)
//! accounts = { "571293840655" = "production" }   # by account id (wins over everything)
//! [[roles.match]]                        # by Organizations account name (glob) ...
//! name = "krci-shared*"
//! role = "shared"
//! [[roles.match]]                        # ... or by an account tag
//! tag = { key = "Environment", value = "dev" }
//! role = "development"
//!
//! [rules]
//! enable = ["EKS", "WAF001"]             # only these ids or areas (default: all)
//! disable = ["observability", "TF007"]
//! severity = { ECR003 = "medium" }
//!
//! [[suppress]]
//! rule = "IAM001"
//! account = "571293840655"               # optional
//! region = "global"                      # optional
//! resource = "arn:aws:iam::*:user/ci-*"  # optional ARN glob
//! reason = "break-glass user, SEC-123"   # required
//! expires = "2027-01-31"                 # optional; expired: no longer suppresses
//!
//! [drift]                                # drift from Terraform (--tfstate)
//! builtin_ignores = true                 # AWS- and controller-created resources (default)
//! [[drift.ignore]]                       # give resource, tag and/or type: all must match
//! resource = "arn:aws:iam::*:role/legacy-*"   # ARN glob
//! tag = "team=data"                      # a tag key, or key=value
//! type = "aws_iam_role"                  # a Terraform resource type
//! reason = "created by the data team's CloudFormation"   # required
//! ```

mod collection;
mod drift;
pub mod problems;
mod roles;
mod rules;
mod suppress;
pub mod values;

pub use collection::CollectSettings;
pub use drift::{DriftIgnore, DriftSettings};
pub use roles::{RoleMapping, RoleMatcher, ROLE_TAG};
pub use rules::RuleSelection;
pub use suppress::Suppression;

use crate::snapshot::Snapshot;
use anyhow::{anyhow, Result};
use problems::Problems;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The validated configuration. `Config::default()` is "no file".
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from, for messages.
    pub path: Option<PathBuf>,
    pub collect: CollectSettings,
    pub roles: RoleMapping,
    pub rules: RuleSelection,
    pub suppressions: Vec<Suppression>,
    pub drift: DriftSettings,
}

/// The file as written: every section raw, with the spans of its values.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    accounts: Vec<Spanned<String>>,
    regions: Option<Vec<Spanned<String>>>,
    role_name: Option<Spanned<String>>,
    external_id: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    #[serde(default)]
    roles: roles::RawRoles,
    #[serde(default)]
    rules: rules::RawRules,
    #[serde(default)]
    suppress: Vec<Spanned<suppress::RawSuppression>>,
    #[serde(default)]
    drift: drift::RawDrift,
}

impl Config {
    /// Reads `path`; every error names it.
    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::limits::read_text(path, "config", crate::limits::MAX_CONFIG_BYTES)?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses and validates config text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let mut problems = Problems::new(origin, text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| problems.line(s.start)).unwrap_or(1);
            anyhow!("{origin}:{line}: {}", e.message().trim_end())
        })?;
        let p = &mut problems;
        let config = Config {
            path: None,
            collect: collection::RawCollect {
                accounts: raw.accounts,
                regions: raw.regions,
                role_name: raw.role_name,
                external_id: raw.external_id,
                concurrency: raw.concurrency,
            }
            .validate(p),
            roles: raw.roles.validate(p),
            rules: raw.rules.validate(p),
            suppressions: suppress::validate(raw.suppress, p),
            drift: raw.drift.validate(p),
        };
        problems.finish()?;
        Ok(config)
    }

    /// How messages name the file.
    pub fn origin(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "config".to_string(), |p| p.display().to_string())
    }

    /// Each account's architecture role (see [`RoleMapping::assign`]).
    pub fn assign_roles(&self, snapshot: &Snapshot) -> BTreeMap<String, String> {
        self.roles.assign(snapshot)
    }
}
