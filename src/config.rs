//! `archaudit.toml` -> validated [`Config`]. The raw file is deserialized with
//! unknown keys refused, then every value is checked; every error names the
//! file, the line and the key.
//!
//! ```toml
//! accounts = ["571293840655", "318465720941"]  # audited without --org (flags win)
//! regions = ["eu-central-1", "us-east-1"]        # or ["all"]: the enabled regions
//! role_name = "OrganizationAccountAccessRole"
//! external_id = "archaudit"
//! concurrency = 32
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

use crate::engine::{Catalogue, Severity};
use crate::snapshot::Snapshot;
use anyhow::{anyhow, bail, Result};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default tag that names an account's architecture role.
pub const ROLE_TAG: &str = "archaudit:role";

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

/// Which resources drift from Terraform leaves out.
#[derive(Debug, Clone)]
pub struct DriftSettings {
    /// Leave out resources AWS or a controller creates (default VPC,
    /// service-linked roles, load balancers of the AWS Load Balancer
    /// Controller, ...): see `drift::terraform`.
    pub builtin_ignores: bool,
    pub ignore: Vec<DriftIgnore>,
}

impl Default for DriftSettings {
    fn default() -> Self {
        DriftSettings {
            builtin_ignores: true,
            ignore: Vec::new(),
        }
    }
}

/// One `[[drift.ignore]]` entry: every criterion given must match.
#[derive(Debug, Clone)]
pub struct DriftIgnore {
    /// The ARN glob as written, and its matcher.
    pub resource: Option<(String, GlobMatcher)>,
    /// A tag key, and the value it must have (any value when `None`).
    pub tag: Option<(String, Option<String>)>,
    /// A Terraform resource type, e.g. `aws_iam_role`.
    pub kind: Option<String>,
    pub reason: String,
    /// Line of the entry, for messages.
    pub line: usize,
}

/// Collection settings; the matching flags win over them.
#[derive(Debug, Clone, Default)]
pub struct CollectSettings {
    pub accounts: Vec<String>,
    /// `["all"]` means the enabled regions.
    pub regions: Option<Vec<String>>,
    pub role_name: Option<String>,
    pub external_id: Option<String>,
    pub concurrency: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct RoleMapping {
    pub tag_key: String,
    pub by_id: BTreeMap<String, String>,
    pub matchers: Vec<RoleMatcher>,
}

impl Default for RoleMapping {
    fn default() -> Self {
        RoleMapping {
            tag_key: ROLE_TAG.to_string(),
            by_id: BTreeMap::new(),
            matchers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RoleMatcher {
    pub role: String,
    pub name: Option<GlobMatcher>,
    pub tag: Option<(String, String)>,
}

/// Rule selection and severity overrides; each id or area keeps its line.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    pub enable: Vec<(String, usize)>,
    pub disable: Vec<(String, usize)>,
    pub severity: Vec<(String, Severity, usize)>,
}

#[derive(Debug, Clone)]
pub struct Suppression {
    pub rule: String,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The glob as written, and its matcher.
    pub resource: Option<(String, GlobMatcher)>,
    pub reason: String,
    pub expires: Option<jiff::civil::Date>,
    /// Line of the `[[suppress]]` entry, for messages.
    pub line: usize,
}

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
    roles: RawRoles,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
    #[serde(default)]
    drift: RawDrift,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDrift {
    builtin_ignores: Option<bool>,
    #[serde(default)]
    ignore: Vec<Spanned<RawDriftIgnore>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDriftIgnore {
    resource: Option<Spanned<String>>,
    tag: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    reason: Spanned<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRoles {
    tag_key: Option<Spanned<String>>,
    #[serde(default)]
    accounts: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default, rename = "match")]
    matchers: Vec<Spanned<RawMatch>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    role: Spanned<String>,
    name: Option<Spanned<String>>,
    tag: Option<RawTag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    key: String,
    value: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    rule: Spanned<String>,
    account: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    resource: Option<Spanned<String>>,
    reason: Spanned<String>,
    expires: Option<Spanned<String>>,
}

/// Turns byte spans into `file:line: key: problem` messages.
struct Source<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn error<T>(
        &self,
        span: &Spanned<T>,
        key: &str,
        problem: impl std::fmt::Display,
    ) -> anyhow::Error {
        anyhow!(
            "{}:{}: {key}: {problem}",
            self.origin,
            self.line(span.span().start)
        )
    }
}

fn is_role_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// IAM role names: 1-64 of letters, digits and `+=,.@_-`.
pub fn is_iam_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A region name such as `eu-central-1`, or `global`.
pub fn is_region(s: &str) -> bool {
    s == crate::snapshot::GLOBAL_REGION
        || (s.split('-').count() >= 3
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
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
        let src = Source { origin, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| src.line(s.start)).unwrap_or(1);
            anyhow!("{origin}:{line}: {}", e.message().trim_end())
        })?;

        let mut collect = CollectSettings::default();
        for id in raw.accounts {
            if !is_account_id(id.get_ref()) {
                return Err(src.error(
                    &id,
                    "accounts",
                    format!("{:?} is not a 12-digit account id", id.get_ref()),
                ));
            }
            collect.accounts.push(id.into_inner());
        }
        if let Some(regions) = raw.regions {
            let mut list = Vec::new();
            for r in regions {
                if r.get_ref() != "all"
                    && (r.get_ref() == crate::snapshot::GLOBAL_REGION || !is_region(r.get_ref()))
                {
                    return Err(src.error(
                        &r,
                        "regions",
                        format!("{:?} is not a region name (or `all`)", r.get_ref()),
                    ));
                }
                list.push(r.into_inner());
            }
            collect.regions = Some(list);
        }
        if let Some(name) = raw.role_name {
            if !is_iam_name(name.get_ref()) {
                return Err(src.error(
                    &name,
                    "role_name",
                    format!("{:?} is not an IAM role name", name.get_ref()),
                ));
            }
            collect.role_name = Some(name.into_inner());
        }
        if let Some(id) = raw.external_id {
            if id.get_ref().trim().is_empty() {
                return Err(src.error(&id, "external_id", "must not be empty"));
            }
            collect.external_id = Some(id.into_inner());
        }
        if let Some(n) = raw.concurrency {
            let value = *n.get_ref();
            if !(1..=1024).contains(&value) {
                return Err(src.error(
                    &n,
                    "concurrency",
                    format!("{value} is not between 1 and 1024"),
                ));
            }
            collect.concurrency = Some(value as usize);
        }

        let mut roles = RoleMapping::default();
        if let Some(tag_key) = raw.roles.tag_key {
            if tag_key.get_ref().trim().is_empty() {
                return Err(src.error(&tag_key, "roles.tag_key", "must not be empty"));
            }
            roles.tag_key = tag_key.into_inner();
        }
        for (id, role) in raw.roles.accounts {
            if !is_account_id(id.get_ref()) {
                return Err(src.error(
                    &id,
                    "roles.accounts",
                    format!("{:?} is not a 12-digit account id", id.get_ref()),
                ));
            }
            if !is_role_name(role.get_ref()) {
                return Err(src.error(
                    &role,
                    &format!("roles.accounts.{}", id.get_ref()),
                    format!("{:?} is not a lowercase role name", role.get_ref()),
                ));
            }
            roles.by_id.insert(id.into_inner(), role.into_inner());
        }
        for (i, m) in raw.roles.matchers.into_iter().enumerate() {
            let key = format!("roles.match[{i}]");
            let span = m.span();
            let m = m.into_inner();
            if !is_role_name(m.role.get_ref()) {
                return Err(src.error(
                    &m.role,
                    &format!("{key}.role"),
                    format!("{:?} is not a lowercase role name", m.role.get_ref()),
                ));
            }
            let name = match m.name {
                Some(pattern) => Some(
                    Glob::new(pattern.get_ref())
                        .map_err(|e| {
                            src.error(&pattern, &format!("{key}.name"), format!("bad glob: {e}"))
                        })?
                        .compile_matcher(),
                ),
                None => None,
            };
            if name.is_none() && m.tag.is_none() {
                bail!(
                    "{origin}:{}: {key}: give `name` (a glob) or `tag` (key and value)",
                    src.line(span.start)
                );
            }
            roles.matchers.push(RoleMatcher {
                role: m.role.into_inner(),
                name,
                tag: m.tag.map(|t| (t.key, t.value)),
            });
        }

        let mut rules = RuleSelection::default();
        for (list, out, key) in [
            (raw.rules.enable, &mut rules.enable, "rules.enable"),
            (raw.rules.disable, &mut rules.disable, "rules.disable"),
        ] {
            for item in list {
                if item.get_ref().trim().is_empty() {
                    return Err(src.error(&item, key, "empty rule id or area"));
                }
                out.push((item.get_ref().clone(), src.line(item.span().start)));
            }
        }
        for (id, severity) in raw.rules.severity {
            let parsed: Severity = severity.get_ref().parse().map_err(|e| {
                src.error(&severity, &format!("rules.severity.{}", id.get_ref()), e)
            })?;
            rules
                .severity
                .push((id.get_ref().clone(), parsed, src.line(id.span().start)));
        }

        let mut suppressions = Vec::new();
        for (i, s) in raw.suppress.into_iter().enumerate() {
            let key = format!("suppress[{i}]");
            let line = src.line(s.span().start);
            let s = s.into_inner();
            if s.reason.get_ref().trim().is_empty() {
                return Err(src.error(
                    &s.reason,
                    &format!("{key}.reason"),
                    "must say why the finding is accepted",
                ));
            }
            if let Some(account) = &s.account {
                if !is_account_id(account.get_ref()) {
                    return Err(src.error(
                        account,
                        &format!("{key}.account"),
                        format!("{:?} is not a 12-digit account id", account.get_ref()),
                    ));
                }
            }
            if let Some(region) = &s.region {
                if !is_region(region.get_ref()) {
                    return Err(src.error(
                        region,
                        &format!("{key}.region"),
                        format!("{:?} is not a region name (or `global`)", region.get_ref()),
                    ));
                }
            }
            let resource = match s.resource {
                Some(pattern) => {
                    let glob = Glob::new(pattern.get_ref()).map_err(|e| {
                        src.error(
                            &pattern,
                            &format!("{key}.resource"),
                            format!("bad glob: {e}"),
                        )
                    })?;
                    Some((pattern.into_inner(), glob.compile_matcher()))
                }
                None => None,
            };
            let expires = match s.expires {
                Some(date) => Some(date.get_ref().parse::<jiff::civil::Date>().map_err(|_| {
                    src.error(
                        &date,
                        &format!("{key}.expires"),
                        format!("{:?} is not a date (YYYY-MM-DD)", date.get_ref()),
                    )
                })?),
                None => None,
            };
            suppressions.push(Suppression {
                rule: s.rule.into_inner(),
                account: s.account.map(Spanned::into_inner),
                region: s.region.map(Spanned::into_inner),
                resource,
                reason: s.reason.into_inner(),
                expires,
                line,
            });
        }

        let mut drift = DriftSettings::default();
        if let Some(on) = raw.drift.builtin_ignores {
            drift.builtin_ignores = on;
        }
        for (i, entry) in raw.drift.ignore.into_iter().enumerate() {
            let key = format!("drift.ignore[{i}]");
            let line = src.line(entry.span().start);
            let e = entry.into_inner();
            if e.reason.get_ref().trim().is_empty() {
                return Err(src.error(
                    &e.reason,
                    &format!("{key}.reason"),
                    "must say why the resource is left out",
                ));
            }
            if e.resource.is_none() && e.tag.is_none() && e.kind.is_none() {
                bail!("{origin}:{line}: {key}: give `resource` (an ARN glob), `tag` (key or key=value) or `type`");
            }
            let resource = match e.resource {
                Some(pattern) => {
                    let glob = Glob::new(pattern.get_ref()).map_err(|err| {
                        src.error(
                            &pattern,
                            &format!("{key}.resource"),
                            format!("bad glob: {err}"),
                        )
                    })?;
                    Some((pattern.into_inner(), glob.compile_matcher()))
                }
                None => None,
            };
            let tag = match e.tag {
                Some(tag) => {
                    let (k, v) = match tag.get_ref().split_once('=') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string())),
                        None => (tag.get_ref().clone(), None),
                    };
                    if k.trim().is_empty() {
                        return Err(src.error(&tag, &format!("{key}.tag"), "the tag key is empty"));
                    }
                    Some((k, v))
                }
                None => None,
            };
            if let Some(kind) = &e.kind {
                let ok = kind.get_ref().starts_with("aws_")
                    && kind
                        .get_ref()
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok {
                    return Err(src.error(
                        kind,
                        &format!("{key}.type"),
                        format!(
                            "{:?} is not a Terraform AWS resource type (e.g. aws_iam_role)",
                            kind.get_ref()
                        ),
                    ));
                }
            }
            drift.ignore.push(DriftIgnore {
                resource,
                tag,
                kind: e.kind.map(Spanned::into_inner),
                reason: e.reason.into_inner(),
                line,
            });
        }

        Ok(Config {
            path: None,
            collect,
            roles,
            rules,
            suppressions,
            drift,
        })
    }

    fn origin(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "config".to_string(), |p| p.display().to_string())
    }

    /// Checks every rule id and area the config names against the catalogue,
    /// then applies selection and severity overrides to it.
    pub fn apply_to_catalogue(&self, catalogue: &mut Catalogue) -> Result<()> {
        let origin = self.origin();
        let known = |name: &str| {
            catalogue
                .rules
                .iter()
                .any(|r| r.id.eq_ignore_ascii_case(name) || r.area == name)
        };
        let unknown = |key: &str, name: &str, line: usize| {
            let hint = catalogue.suggest(name);
            let hint = if hint.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", hint.join(", "))
            };
            anyhow!("{origin}:{line}: {key}: unknown rule id or area {name:?}{hint}")
        };
        for (name, line) in &self.rules.enable {
            if !known(name) {
                return Err(unknown("rules.enable", name, *line));
            }
        }
        for (name, line) in &self.rules.disable {
            if !known(name) {
                return Err(unknown("rules.disable", name, *line));
            }
        }
        for (id, _, line) in &self.rules.severity {
            if catalogue.find(id).is_none() {
                return Err(unknown(&format!("rules.severity.{id}"), id, *line));
            }
        }
        for s in &self.suppressions {
            if catalogue.find(&s.rule).is_none() {
                return Err(unknown("suppress.rule", &s.rule, s.line));
            }
        }

        let selected = |list: &[(String, usize)], r: &crate::engine::Rule| {
            list.iter()
                .any(|(n, _)| r.id.eq_ignore_ascii_case(n) || r.area == *n)
        };
        if !self.rules.enable.is_empty() {
            catalogue.retain(|r| selected(&self.rules.enable, r));
        }
        catalogue.retain(|r| !selected(&self.rules.disable, r));
        for rule in &mut catalogue.rules {
            if let Some((_, severity, _)) = self
                .rules
                .severity
                .iter()
                .find(|(id, _, _)| rule.id.eq_ignore_ascii_case(id))
            {
                rule.severity = *severity;
            }
        }
        Ok(())
    }

    /// Each account's architecture role: by id, else the first matcher that
    /// matches its name or tag, else its role tag. Accounts with none are absent.
    pub fn assign_roles(&self, snapshot: &Snapshot) -> BTreeMap<String, String> {
        let m = &self.roles;
        snapshot
            .accounts
            .iter()
            .filter_map(|a| {
                let acct = &a.account;
                let role = m.by_id.get(&acct.id).cloned().or_else(|| {
                    m.matchers
                        .iter()
                        .find(|r| {
                            r.name.as_ref().is_some_and(|g| g.is_match(&acct.name))
                                || r.tag
                                    .as_ref()
                                    .is_some_and(|(k, v)| acct.tags.get(k) == Some(v))
                        })
                        .map(|r| r.role.clone())
                        .or_else(|| {
                            let tagged = acct.tags.get(&m.tag_key)?.trim().to_ascii_lowercase();
                            (!tagged.is_empty()).then_some(tagged)
                        })
                })?;
                Some((acct.id.clone(), role))
            })
            .collect()
    }
}
