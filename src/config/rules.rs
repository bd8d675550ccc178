//! `[rules]`: which rules run (by id or area) and severity overrides. The
//! names are checked against the catalogue when it is loaded (the engine's
//! `Catalogue::configure`): user rules can add ids and areas.

use super::problems::Problems;
use crate::severity::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Rule selection and severity overrides; each id or area keeps its line.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    pub enable: Vec<(String, usize)>,
    pub disable: Vec<(String, usize)>,
    pub severity: Vec<(String, Severity, usize)>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl RawRules {
    pub fn validate(self, p: &mut Problems) -> RuleSelection {
        let mut rules = RuleSelection::default();
        for (list, out, key) in [
            (self.enable, &mut rules.enable, "rules.enable"),
            (self.disable, &mut rules.disable, "rules.disable"),
        ] {
            for item in list {
                if item.get_ref().trim().is_empty() {
                    p.at(item.span(), key, "empty rule id or area");
                } else {
                    out.push((item.get_ref().clone(), p.line(item.span().start)));
                }
            }
        }
        for (id, severity) in self.severity {
            let key = format!("rules.severity.{}", id.get_ref());
            if let Some(parsed) = p.check(&severity, &key, |s| {
                s.parse::<Severity>().map_err(|e| e.to_string())
            }) {
                let line = p.line(id.span().start);
                rules.severity.push((id.into_inner(), parsed, line));
            }
        }
        rules
    }
}
