//! A rule's metadata, read from the OPA `# METADATA` block at the top of its
//! Rego file: the rule file is its own documentation.
//!
//! ```text
//! # METADATA
//! # title: Internet-facing ALB without a WAF web ACL
//! # description: ...
//! # custom:
//! #   id: WAF001
//! #   name: alb-without-waf
//! #   severity: high
//! #   roles: [any]
//! #   services: [elbv2, wafv2]
//! #   references: [...]
//! #   remediation: ...
//! package archaudit.rules.alb_without_waf
//! ```

pub use crate::severity::Severity;
use crate::snapshot::is_known_service;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The role value that makes a rule apply to every account.
pub const ANY_ROLE: &str = "any";

/// One rule of the catalogue: metadata plus where its source lives.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub name: String,
    /// The folder under `rules/`: waf, iam, eks, topology, ...
    pub area: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// Architecture roles the rule applies to; `any` for every account.
    pub roles: Vec<String>,
    /// Snapshot sections the rule reads; unread sections make it not evaluated.
    /// Empty for organization-level rules that read only `input.org`.
    pub services: Vec<String>,
    pub references: Vec<String>,
    pub remediation: String,
    /// How often a finding is a true problem: very-high, high, medium, low.
    pub precision: String,
    /// Repository-relative path for built-in rules, the given path for user rules.
    pub path: String,
    /// 1-based line of the first `deny` rule.
    pub line: usize,
    /// The Rego package, e.g. `archaudit.rules.alb_without_waf`.
    pub package: String,
    pub builtin: bool,
    #[serde(skip)]
    pub source: String,
}

impl Rule {
    /// Whether the rule applies to an account of this role (`None`: unassigned).
    pub fn applies_to(&self, role: Option<&str>) -> bool {
        self.roles.iter().any(|r| r == ANY_ROLE)
            || role.is_some_and(|role| self.roles.iter().any(|r| r == role))
    }

    /// Whether the rule reads `input.terraform` (drift from Terraform state).
    pub fn reads_terraform(&self) -> bool {
        self.services.iter().any(|s| s == super::TERRAFORM_INPUT)
    }

    /// The Rego path holding the rule's findings.
    pub fn deny_path(&self) -> String {
        format!("data.{}.deny", self.package)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetadata {
    title: String,
    description: String,
    custom: RawCustom,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustom {
    id: String,
    name: String,
    severity: String,
    roles: Vec<String>,
    services: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    remediation: String,
    #[serde(default = "default_precision")]
    precision: String,
}

fn default_precision() -> String {
    "high".to_string()
}

const PRECISIONS: &[&str] = &["very-high", "high", "medium", "low"];

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_rule_id(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let rest = &s[letters..];
    (2..=5).contains(&letters) && rest.len() == 3 && rest.bytes().all(|b| b.is_ascii_digit())
}

/// Parses and validates a rule file. `path` names it in errors; `area` is the
/// folder it lives in.
pub fn parse_rule(path: &str, area: &str, source: &str, builtin: bool) -> Result<Rule> {
    parse_rule_inner(path, area, source, builtin).with_context(|| format!("rule file {path}"))
}

fn parse_rule_inner(path: &str, area: &str, source: &str, builtin: bool) -> Result<Rule> {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "# METADATA")
        .context("no `# METADATA` block (an OPA annotation with title, description and custom: id, name, severity, roles, services, remediation)")?;
    let mut yaml = String::new();
    for line in &lines[start + 1..] {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            break;
        };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    let raw: RawMetadata =
        serde_yaml::from_str(&yaml).map_err(|e| anyhow::anyhow!("bad METADATA block: {e}"))?;
    let c = raw.custom;

    if !is_rule_id(&c.id) {
        bail!(
            "id {:?} is not of the form AREA000 (2-5 capitals, 3 digits)",
            c.id
        );
    }
    if !is_kebab(&c.name) {
        bail!("name {:?} is not kebab-case", c.name);
    }
    let severity: Severity = c.severity.parse()?;
    if c.roles.is_empty() {
        bail!("roles is empty: list roles, or `any`");
    }
    for role in &c.roles {
        if !is_kebab(role) {
            bail!("role {role:?} is not a lowercase name");
        }
    }
    for service in &c.services {
        if !is_known_service(service) && service != super::TERRAFORM_INPUT {
            bail!("unknown service {service:?} in services");
        }
    }
    if !PRECISIONS.contains(&c.precision.as_str()) {
        bail!("precision {:?} is not one of {PRECISIONS:?}", c.precision);
    }
    if raw.title.trim().is_empty()
        || raw.description.trim().is_empty()
        || c.remediation.trim().is_empty()
    {
        bail!("title, description and remediation must not be empty");
    }

    let package = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("package "))
        .map(str::trim)
        .context("no `package` line")?
        .to_string();
    let expected = format!("archaudit.rules.{}", c.name.replace('-', "_"));
    if package != expected {
        bail!("package is {package:?}, expected {expected:?} (from the rule's name)");
    }
    let line = lines
        .iter()
        .position(|l| l.trim_start().starts_with("deny contains"))
        .context("no `deny contains ... if` rule")?
        + 1;

    Ok(Rule {
        id: c.id,
        name: c.name,
        area: area.to_string(),
        title: raw.title.trim().to_string(),
        description: raw.description.trim().to_string(),
        severity,
        roles: c.roles,
        services: c.services,
        references: c.references,
        remediation: c.remediation.trim_end().to_string(),
        precision: c.precision,
        path: path.to_string(),
        line,
        package,
        builtin,
        source: source.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# METADATA
# title: Example
# description: An example.
# custom:
#   id: EX001
#   name: example-problem
#   severity: low
#   roles: [any]
#   services: [s3]
#   remediation: Fix it.
package archaudit.rules.example_problem

import rego.v1

deny contains f if {
	some b in input.s3.buckets
	f := {"resource": b.arn, "message": "x"}
}
"#;

    #[test]
    fn parses_metadata_and_locates_deny() {
        let rule = parse_rule("rules/ex/example-problem.rego", "ex", GOOD, true).unwrap();
        assert_eq!(rule.id, "EX001");
        assert_eq!(rule.severity, Severity::Low);
        assert_eq!(rule.services, vec!["s3"]);
        assert_eq!(rule.line, 15);
        assert_eq!(
            rule.deny_path(),
            "data.archaudit.rules.example_problem.deny"
        );
        assert!(rule.applies_to(None));
    }

    #[test]
    fn rejects_bad_metadata_with_the_reason() {
        let cases = [
            (GOOD.replace("EX001", "ex-1"), "is not of the form"),
            (
                GOOD.replace("severity: low", "severity: urgent"),
                "unknown severity",
            ),
            (GOOD.replace("[s3]", "[s4]"), "unknown service"),
            (
                GOOD.replace("package archaudit.rules.example_problem", "package other"),
                "expected \"archaudit.rules.example_problem\"",
            ),
            (
                GOOD.replace("# METADATA", "# NOTES"),
                "no `# METADATA` block",
            ),
            (
                GOOD.replace("#   remediation: Fix it.\n", ""),
                "missing field `remediation`",
            ),
            (
                GOOD.replace("#   id: EX001", "#   id: EX001\n#   colour: red"),
                "unknown field `colour`",
            ),
        ];
        for (source, expected) in cases {
            let err = parse_rule("r.rego", "ex", &source, false).unwrap_err();
            let msg = format!("{err:#}");
            assert!(
                msg.contains(expected),
                "{msg:?} should contain {expected:?}"
            );
            assert!(msg.starts_with("rule file r.rego"), "{msg}");
        }
    }
}
