//! Reports: one `Reporter` per format, each writing a whole [`Report`] to a
//! writer. Only this module (and the CLI) writes output.

mod catalogue;
mod json;
mod markdown;
mod sarif;
mod table;

pub use catalogue::{explain, markdown_table, render_catalogue, CatalogueFormat};
pub use json::JsonReporter;
pub use markdown::MarkdownReporter;
pub use sarif::{category as sarif_category, SarifReporter, MAX_RESULTS as SARIF_MAX_RESULTS};
pub use table::TableReporter;

use crate::engine::suppress::SuppressionNote;
use crate::engine::{Evaluation, Rule, Severity, Suppressed};
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;

/// Everything a reporter needs.
pub struct Report<'a> {
    pub evaluation: &'a Evaluation,
    pub rules: &'a [Rule],
    /// When the snapshot was taken (RFC 3339).
    pub generated_at: &'a str,
    /// The `--fail-on` threshold; `None` never fails.
    pub fail_on: Option<Severity>,
    /// Findings silenced by suppressions (not in `evaluation.findings`).
    pub suppressed: &'a [Suppressed],
    /// Expired and stale suppressions.
    pub notes: &'a [SuppressionNote],
    /// Where Terraform declares each resource (`--tf-dir`, `--tfstate`); `None`
    /// without Terraform.
    pub locations: Option<&'a crate::terraform::Locations>,
}

impl Report<'_> {
    /// Finding counts for every severity, most severe first.
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
        for f in &self.evaluation.findings {
            *counts.entry(f.severity).or_default() += 1;
        }
        Severity::ALL
            .iter()
            .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
            .collect()
    }

    /// Whether findings at or above `--fail-on` exist.
    pub fn failed(&self) -> bool {
        self.fail_on
            .is_some_and(|min| self.evaluation.findings.iter().any(|f| f.severity >= min))
    }

    /// Whether some part of the organization could not be read.
    pub fn incomplete(&self) -> bool {
        !self.evaluation.gaps.is_empty() || self.evaluation.checks_not_evaluated > 0
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Writes a report in one format.
pub trait Reporter {
    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()>;
}
