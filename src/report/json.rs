//! The JSON report: a stable, documented schema (see docs/json-report.md).
//! Fields are only ever added within a major `schema_version`.

use super::{DiffReport, Report, Reporter};
use crate::engine::suppress::SuppressionNote;
use crate::engine::{AccountInfo, CoverageGap, Finding, Severity};
use crate::history::BaselineState;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

pub const REPORT_SCHEMA_VERSION: &str = "1.0";

pub struct JsonReporter;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: &'static str,
    tool: Tool,
    snapshot_generated_at: &'a str,
    summary: Summary,
    accounts: &'a [AccountInfo],
    findings: Findings<'a>,
    coverage_gaps: &'a [CoverageGap],
    suppressed: Vec<JsonSuppressed<'a>>,
    suppression_notes: &'a [SuppressionNote],
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline<'a>>,
}

/// The comparison with `--baseline`: counts, and the findings no longer open.
#[derive(Serialize)]
struct JsonBaseline<'a> {
    source: &'a str,
    fail_on_new: Option<Severity>,
    new: usize,
    updated: usize,
    unchanged: usize,
    resolved: Vec<JsonFinding<'a>>,
    not_reevaluated: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct Tool {
    pub(super) name: &'static str,
    pub(super) version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    by_severity: BySeverity,
    suppressed: usize,
    accounts: usize,
    resources: usize,
    rules_run: usize,
    checks: usize,
    checks_not_evaluated: usize,
    complete: bool,
    fail_on: Option<Severity>,
    failed: bool,
}

/// Counts per severity, most severe first.
#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    title: &'a str,
    severity: Severity,
    account_id: &'a str,
    account_name: &'a str,
    account_role: &'a str,
    region: &'a str,
    resource: &'a str,
    message: &'a str,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    terraform_address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<BaselineState>,
}

impl<'a> JsonFinding<'a> {
    pub(super) fn new(f: &'a Finding, report: &'a Report) -> Self {
        JsonFinding {
            rule_id: &f.rule_id,
            rule_name: &f.rule_name,
            title: report.rule(&f.rule_id).map_or("", |r| r.title.as_str()),
            severity: f.severity,
            account_id: &f.account_id,
            account_name: &f.account_name,
            account_role: &f.account_role,
            region: &f.region,
            resource: &f.resource,
            message: &f.message,
            fingerprint: &f.fingerprint,
            terraform_address: f.terraform_address.as_deref(),
            baseline_state: report.baseline_state(f),
        }
    }

    pub(super) fn without_state(self) -> Self {
        JsonFinding {
            baseline_state: None,
            ..self
        }
    }
}

/// The open findings, each serialized as it is written: a large
/// organization's list is not copied into a second one first.
struct Findings<'a> {
    findings: &'a [Finding],
    report: &'a Report<'a>,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.findings
                .iter()
                .map(|f| JsonFinding::new(f, self.report)),
        )
    }
}

/// Findings listed by their state, so without a `baseline_state` of their own.
pub(super) fn listed<'a>(findings: &'a [Finding], report: &'a Report) -> Vec<JsonFinding<'a>> {
    findings
        .iter()
        .map(|f| JsonFinding::new(f, report).without_state())
        .collect()
}

impl Reporter for JsonReporter {
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
        super::diff::write_json(out, diff)
    }

    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let e = report.evaluation;
        let json = JsonReport {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            snapshot_generated_at: report.generated_at,
            summary: Summary {
                findings: e.findings.len(),
                suppressed: report.suppressed.len(),
                by_severity: {
                    let count = |s: Severity| e.findings.iter().filter(|f| f.severity == s).count();
                    BySeverity {
                        critical: count(Severity::Critical),
                        high: count(Severity::High),
                        medium: count(Severity::Medium),
                        low: count(Severity::Low),
                    }
                },
                accounts: e.accounts.len(),
                resources: e.resources,
                rules_run: e.rules_run,
                checks: e.checks,
                checks_not_evaluated: e.checks_not_evaluated,
                complete: !report.incomplete(),
                fail_on: report.fail_on,
                failed: report.failed(),
            },
            accounts: &e.accounts,
            findings: Findings {
                findings: &e.findings,
                report,
            },
            coverage_gaps: &e.gaps,
            suppressed: report
                .suppressed
                .iter()
                .map(|s| JsonSuppressed {
                    finding: JsonFinding::new(&s.finding, report),
                    reason: &s.reason,
                    expires: s.expires.as_deref(),
                })
                .collect(),
            suppression_notes: report.notes,
            baseline: report.baseline.map(|b| JsonBaseline {
                source: &b.source,
                fail_on_new: b.fail_on_new,
                new: b.diff.new.len(),
                updated: b.diff.updated.len(),
                unchanged: b.diff.unchanged.len(),
                resolved: listed(&b.diff.resolved, report),
                not_reevaluated: listed(&b.diff.not_reevaluated, report),
            }),
        };
        super::write_json(out, &json)
    }
}
