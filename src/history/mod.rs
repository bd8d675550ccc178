//! History: what changed between two runs of the audit (`archaudit diff`,
//! `--baseline`): [`resources`] added, removed and changed field by field, and
//! [`findings`] new, updated, unchanged and resolved. Either run is a snapshot
//! (evaluated again) or a JSON report of an earlier run ([`Input`]).
//!
//! What changed outside Terraform is `crate::drift`.

pub mod findings;
pub mod resources;

pub use findings::{BaselineState, FindingsDiff, RunFindings};
pub use resources::{diff_snapshots, FieldChange, ResourceChange, ResourceDiff, ResourceRef};

use crate::engine::{AccountInfo, CoverageGap, Evaluation, Finding, Suppressed};
use crate::snapshot::{parse_snapshot, Snapshot};
use anyhow::{bail, Result};
use serde::Deserialize;

/// What `diff` and `--baseline` compare: a snapshot (re-evaluated with the
/// current rules), or a JSON report of an earlier run (its findings as they were).
pub enum Input {
    Snapshot(Snapshot),
    Report(ReportRun),
}

/// An earlier run read back from its JSON report.
pub struct ReportRun {
    pub generated_at: String,
    pub evaluation: Evaluation,
    pub suppressed: Vec<Suppressed>,
}

/// Just enough of a JSON report (docs/json-report.md) to compare findings.
#[derive(Deserialize)]
struct JsonReport {
    tool: JsonTool,
    snapshot_generated_at: String,
    summary: JsonSummary,
    accounts: Vec<AccountInfo>,
    findings: Vec<Finding>,
    #[serde(default)]
    suppressed: Vec<JsonSuppressed>,
    #[serde(default)]
    coverage_gaps: Vec<CoverageGap>,
}

#[derive(Deserialize)]
struct JsonTool {
    name: String,
}

#[derive(Deserialize)]
struct JsonSummary {
    resources: usize,
    rules_run: usize,
    checks: usize,
    checks_not_evaluated: usize,
}

#[derive(Deserialize)]
struct JsonSuppressed {
    #[serde(flatten)]
    finding: Finding,
    reason: String,
    expires: Option<String>,
}

/// Parses a snapshot or an archaudit JSON report (JSON, or zstd-compressed JSON,
/// at most `max_bytes` decompressed); `origin` names the source in errors.
pub fn parse_input(bytes: &[u8], origin: &str, max_bytes: u64) -> Result<Input> {
    let bytes = crate::snapshot::decode(bytes, origin, max_bytes)?;
    #[derive(Deserialize)]
    struct Probe {
        tool: Option<serde_json::Value>,
        findings: Option<serde_json::Value>,
    }
    let probe: Option<Probe> = serde_json::from_slice(&bytes).ok();
    if !probe.is_some_and(|p| p.tool.is_some() && p.findings.is_some()) {
        return Ok(Input::Snapshot(parse_snapshot(&bytes, origin)?));
    }
    let report: JsonReport = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{origin}: invalid archaudit JSON report: {e}"))?;
    if report.tool.name != env!("CARGO_PKG_NAME") {
        bail!(
            "{origin}: a report of {:?}, not of archaudit",
            report.tool.name
        );
    }
    Ok(Input::Report(ReportRun {
        generated_at: report.snapshot_generated_at,
        evaluation: Evaluation {
            findings: report.findings,
            gaps: report.coverage_gaps,
            accounts: report.accounts,
            rules_run: report.summary.rules_run,
            resources: report.summary.resources,
            checks: report.summary.checks,
            checks_not_evaluated: report.summary.checks_not_evaluated,
            evaluated: None,
        },
        suppressed: report
            .suppressed
            .into_iter()
            .map(|s| Suppressed {
                finding: s.finding,
                reason: s.reason,
                expires: s.expires,
            })
            .collect(),
    }))
}
