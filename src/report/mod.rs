//! Reports: one `Reporter` per format, each writing a whole [`Report`] to a
//! writer. Only this module (and the CLI) writes output.

mod catalogue;
mod diff;
pub mod escape;
mod json;
mod markdown;
mod sarif;
mod table;

pub use catalogue::{explain, markdown_table, render_catalogue, CatalogueFormat};
pub use diff::{write_diff_json, write_diff_markdown, write_diff_table, DiffReport};
pub use json::JsonReporter;
pub use markdown::MarkdownReporter;
pub use sarif::{category as sarif_category, SarifReporter, MAX_RESULTS as SARIF_MAX_RESULTS};
pub use table::TableReporter;

use crate::drift::{BaselineState, FindingsDiff};
use crate::engine::suppress::SuppressionNote;
use crate::engine::{Evaluation, Finding, Rule, Severity, Suppressed};
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;

/// `1 finding`, `2 findings`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

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
    /// The comparison with `--baseline`, if one was given.
    pub baseline: Option<&'a Baseline>,
}

/// Findings compared with a baseline run (`--baseline`, `diff`).
pub struct Baseline {
    /// The baseline as the user named it.
    pub source: String,
    pub diff: FindingsDiff,
    /// The state of each current finding, by fingerprint.
    pub states: BTreeMap<String, BaselineState>,
    /// The `--fail-on-new` threshold: only new findings at or above it fail.
    pub fail_on_new: Option<Severity>,
}

impl Baseline {
    pub fn new(source: String, diff: FindingsDiff, fail_on_new: Option<Severity>) -> Self {
        Baseline {
            source,
            states: diff.states(),
            diff,
            fail_on_new,
        }
    }

    /// Whether new findings at or above `--fail-on-new` exist.
    pub fn failed(&self) -> bool {
        self.fail_on_new
            .is_some_and(|min| self.diff.new.iter().any(|f| f.severity >= min))
    }

    /// One line: counts of each state.
    pub fn summary(&self) -> String {
        let d = &self.diff;
        format!(
            "Against the baseline {}: {} new, {} updated, {} unchanged, {} resolved, {} not re-evaluated.",
            self.source,
            d.new.len(),
            d.updated.len(),
            d.unchanged.len(),
            d.resolved.len(),
            d.not_reevaluated.len()
        )
    }
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

    /// Whether findings at or above `--fail-on` exist, or new findings at or
    /// above `--fail-on-new`.
    pub fn failed(&self) -> bool {
        self.fail_on
            .is_some_and(|min| self.evaluation.findings.iter().any(|f| f.severity >= min))
            || self.baseline.is_some_and(Baseline::failed)
    }

    /// `Result: FAILED (--fail-on high).`, when a threshold is set.
    pub fn verdict(&self) -> Option<String> {
        self.thresholds().map(|t| {
            let verdict = if self.failed() { "FAILED" } else { "passed" };
            format!("Result: {verdict} ({t}).")
        })
    }

    /// A finding's state against the baseline, when there is one.
    pub fn baseline_state(&self, finding: &Finding) -> Option<BaselineState> {
        let baseline = self.baseline?;
        Some(
            baseline
                .states
                .get(&finding.fingerprint)
                .copied()
                .unwrap_or(BaselineState::New),
        )
    }

    /// The verdict line's thresholds, e.g. `--fail-on high, --fail-on-new medium`.
    pub fn thresholds(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(min) = self.fail_on {
            parts.push(format!("--fail-on {min}"));
        }
        if let Some(min) = self.baseline.and_then(|b| b.fail_on_new) {
            parts.push(format!("--fail-on-new {min}"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// Whether some part of the organization could not be read, or no
    /// account was there to read: an empty snapshot checks nothing.
    pub fn incomplete(&self) -> bool {
        !self.evaluation.gaps.is_empty()
            || self.evaluation.checks_not_evaluated > 0
            || self.evaluation.accounts.is_empty()
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Writes a report in one format.
pub trait Reporter {
    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()>;
}
