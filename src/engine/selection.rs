//! The config's `[rules]` and `[[suppress]]` against the catalogue: every
//! rule id and area the config names must exist (all unknown ones are
//! reported at once, with suggestions), then the selection and severity
//! overrides are applied.

use super::{Catalogue, Rule};
use crate::config::Config;
use anyhow::{anyhow, Result};

impl Catalogue {
    /// Checks every rule id and area `config` names, then keeps the selected
    /// rules and applies the severity overrides.
    pub fn configure(&mut self, config: &Config) -> Result<()> {
        let origin = config.origin();
        let selection = &config.rules;
        let known = |name: &str| {
            self.rules
                .iter()
                .any(|r| r.id.eq_ignore_ascii_case(name) || r.area == name)
        };
        let mut problems = Vec::new();
        let mut unknown = |key: &str, name: &str, line: usize| {
            let hint = self.suggest(name);
            let hint = if hint.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", hint.join(", "))
            };
            problems.push(format!(
                "{origin}:{line}: {key}: unknown rule id or area {name:?}{hint}"
            ));
        };
        for (key, list) in [
            ("rules.enable", &selection.enable),
            ("rules.disable", &selection.disable),
        ] {
            for (name, line) in list {
                if !known(name) {
                    unknown(key, name, *line);
                }
            }
        }
        for (id, _, line) in &selection.severity {
            if self.find(id).is_none() {
                unknown(&format!("rules.severity.{id}"), id, *line);
            }
        }
        for s in &config.suppressions {
            if self.find(&s.rule).is_none() {
                unknown("suppress.rule", &s.rule, s.line);
            }
        }
        if !problems.is_empty() {
            return Err(anyhow!(crate::config::problems::join(&problems)));
        }

        let selected = |list: &[(String, usize)], r: &Rule| {
            list.iter()
                .any(|(n, _)| r.id.eq_ignore_ascii_case(n) || r.area == *n)
        };
        if !selection.enable.is_empty() {
            self.retain(|r| selected(&selection.enable, r));
        }
        self.retain(|r| !selected(&selection.disable, r));
        for rule in &mut self.rules {
            if let Some((_, severity, _)) = selection
                .severity
                .iter()
                .find(|(id, _, _)| rule.id.eq_ignore_ascii_case(id))
            {
                rule.severity = *severity;
            }
        }
        Ok(())
    }
}
