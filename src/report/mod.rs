//! Reports: one [`Reporter`] per format, each writing a whole [`Report`] (one
//! run) or [`DiffReport`] (two runs compared) to a writer; [`reporter`] is the
//! one place a [`Format`] picks its reporter. Only this module (and the CLI)
//! writes output.
//!
//! Adding a format: its reporter file, a [`Format`] variant, its arm in
//! [`reporter`].

mod catalogue;
mod diff;
pub mod escape;
mod html;
mod json;
mod markdown;
mod sarif;
mod table;

pub use catalogue::{explain, markdown_table, render_catalogue, CatalogueFormat};
pub use diff::DiffReport;
pub use html::HtmlReporter;
pub use json::JsonReporter;
pub use markdown::MarkdownReporter;
pub use sarif::{category as sarif_category, SarifReporter, MAX_RESULTS as SARIF_MAX_RESULTS};
pub use table::TableReporter;

use crate::engine::suppress::{NoteKind, SuppressionNote};
use crate::engine::{Evaluation, Finding, Rule, Severity, Suppressed};
use crate::history::{BaselineState, FindingsDiff, ResourceDiff};
use crate::snapshot::Snapshot;
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;

/// `1 finding`, `2 findings`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// What an expired or stale suppression does now, e.g. `expired on 2020-01-31
/// and no longer hides its 1 finding`.
pub(crate) fn note_effect(note: &SuppressionNote) -> String {
    match note.kind {
        NoteKind::Expired => format!(
            "expired on {} and no longer hides its {}",
            note.expires.as_deref().unwrap_or("?"),
            plural(note.matched, "finding")
        ),
        NoteKind::Stale => "matched no finding: remove it, or fix its match".to_string(),
    }
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

    /// The rule of id `id`: a binary search, for the catalogue keeps its
    /// rules sorted by id (a scan if someone's list is not).
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        match self.rules.binary_search_by(|r| r.id.as_str().cmp(id)) {
            Ok(i) => Some(&self.rules[i]),
            Err(_) => self.rules.iter().find(|r| r.id == id),
        }
    }
}

/// Writes `value` as indented JSON. serde_json writes token by token: through
/// a buffer of a concrete type each write is a copy, not a call through
/// `dyn Write`, which a report of many findings would pay millions of times.
pub(crate) fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()?;
    Ok(())
}

/// Writes a report in one format.
pub trait Reporter {
    /// One run's findings.
    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()>;
    /// Two runs compared (`archaudit diff`).
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()>;
}

/// The report formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables grouped by account, for people
    Table,
    /// The documented JSON report (docs/json-report.md)
    Json,
    /// SARIF 2.1.0 for GitHub code scanning
    Sarif,
    /// Markdown for a job summary or a pull-request comment
    Markdown,
    /// One self-contained HTML page (no network): the organization against the
    /// reference, a heat map, coverage, drift and filterable findings
    Html,
}

/// How a report is written, besides its format.
#[derive(Debug, Clone)]
pub struct Presentation<'a> {
    /// Writing to a terminal: colour and wrap to its width (table).
    pub terminal: bool,
    /// List suppressed findings too (table, HTML; they are always counted).
    pub show_suppressed: bool,
    /// SARIF `automationDetails.id`.
    pub category: String,
    /// The run's snapshot, when it is one: HTML draws the organization from it.
    pub snapshot: Option<&'a Snapshot>,
    /// The resources changed since the baseline (HTML shows them).
    pub resources: Option<ResourceDiff>,
}

/// The reporter of a format.
pub fn reporter(format: Format, presentation: Presentation) -> Box<dyn Reporter> {
    match format {
        Format::Table => Box::new(TableReporter {
            terminal: presentation.terminal,
            show_suppressed: presentation.show_suppressed,
        }),
        Format::Json => Box::new(JsonReporter),
        Format::Sarif => Box::new(SarifReporter::new(presentation.category)),
        Format::Markdown => Box::new(MarkdownReporter),
        Format::Html => Box::new(
            HtmlReporter::new(presentation.snapshot, presentation.show_suppressed)
                .with_resources(presentation.resources),
        ),
    }
}
