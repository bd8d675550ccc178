//! `[drift]`: which resources drift from Terraform (`--tfstate`) leaves out.

use super::problems::Problems;
use super::values::{self, Pattern};
use serde::Deserialize;
use toml::Spanned;

/// Which resources drift from Terraform leaves out.
#[derive(Debug, Clone)]
pub struct DriftSettings {
    /// Leave out resources AWS or a controller creates (default VPC,
    /// service-linked roles, load balancers of the AWS Load Balancer
    /// Controller, ...): see `crate::drift`.
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
    /// An ARN glob.
    pub resource: Option<Pattern>,
    /// A tag key, and the value it must have (any value when `None`).
    pub tag: Option<(String, Option<String>)>,
    /// A Terraform resource type, e.g. `aws_iam_role`.
    pub kind: Option<String>,
    pub reason: String,
    /// Line of the entry, for messages.
    pub line: usize,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDrift {
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

/// `key` or `key=value`.
fn tag(s: &str) -> Result<(String, Option<String>), String> {
    let (k, v) = match s.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(v.to_string())),
        None => (s.to_string(), None),
    };
    if k.trim().is_empty() {
        return Err("the tag key is empty".to_string());
    }
    Ok((k, v))
}

/// A Terraform AWS resource type such as `aws_iam_role`.
fn terraform_type(s: &str) -> Result<String, String> {
    let ok = s.starts_with("aws_")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not a Terraform AWS resource type (e.g. aws_iam_role)"
        ))
    }
}

impl RawDrift {
    pub fn validate(self, p: &mut Problems) -> DriftSettings {
        let mut drift = DriftSettings::default();
        if let Some(on) = self.builtin_ignores {
            drift.builtin_ignores = on;
        }
        for (i, entry) in self.ignore.into_iter().enumerate() {
            let key = format!("drift.ignore[{i}]");
            let span = entry.span();
            let e = entry.into_inner();
            let field = |f: &str| format!("{key}.{f}");
            let reason = p.check(&e.reason, &field("reason"), |r| {
                values::not_blank(r, "must say why the resource is left out")
            });
            if e.resource.is_none() && e.tag.is_none() && e.kind.is_none() {
                p.at(
                    span,
                    &key,
                    "give `resource` (an ARN glob), `tag` (key or key=value) or `type`",
                );
                continue;
            }
            let resource =
                p.check_optional(e.resource.as_ref(), &field("resource"), |g| values::glob(g));
            let tag = p.check_optional(e.tag.as_ref(), &field("tag"), |t| tag(t));
            let kind = p.check_optional(e.kind.as_ref(), &field("type"), |k| terraform_type(k));
            let (Some(reason), Some(resource), Some(tag), Some(kind)) =
                (reason, resource, tag, kind)
            else {
                continue;
            };
            drift.ignore.push(DriftIgnore {
                resource,
                tag,
                kind,
                reason,
                line: p.line(span.start),
            });
        }
        drift
    }
}
