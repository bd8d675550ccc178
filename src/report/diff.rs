//! `archaudit diff`: resources added, removed and changed between two runs, and
//! findings new, updated, unchanged, resolved and not re-evaluated. Each
//! reporter's `emit_diff` writes it: table, JSON and Markdown here, SARIF
//! through [`super::SarifReporter`] with `baselineState`.

use super::json::{listed, JsonFinding, Tool};
use super::markdown::{escape, Doc};
use super::table::text;
use super::{plural, Report, TableReporter};
use crate::engine::{Finding, Severity};
use crate::history::{FieldChange, ResourceDiff, ResourceRef};
use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// The JSON diff's schema version (docs/json-report.md, "diff").
pub const DIFF_SCHEMA_VERSION: &str = "1.0";

/// Longest value shown in a table or Markdown cell; JSON has them whole.
const MAX_VALUE_CHARS: usize = 120;

/// Two runs compared: the new run's report (with its baseline) and the resources.
pub struct DiffReport<'a> {
    /// The new run, with `baseline` set to the comparison.
    pub report: &'a Report<'a>,
    pub old_source: &'a str,
    pub old_generated_at: &'a str,
    pub new_source: &'a str,
    /// `None` when one side is a JSON report (no resources to compare).
    pub resources: Option<&'a ResourceDiff>,
}

impl DiffReport<'_> {
    fn baseline(&self) -> &crate::report::Baseline {
        self.report
            .baseline
            .expect("a diff report always has a baseline")
    }
}

/// A value for a cell: strings bare, the rest as compact JSON, long ones cut.
pub(super) fn shown(value: Option<&Value>) -> String {
    let text = match value {
        None => "(absent)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > MAX_VALUE_CHARS {
        let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

pub(super) fn resource_name(r: &ResourceRef) -> String {
    match &r.name {
        Some(name) if !r.arn.contains(name.as_str()) => format!("{name} ({})", r.arn),
        _ => r.arn.clone(),
    }
}

/// Rows of the resources part: (change, account, region, kind, resource, field, old, new).
fn resource_rows(diff: &ResourceDiff) -> Vec<[String; 8]> {
    let mut rows = Vec::new();
    let plain = |what: &str, r: &ResourceRef| {
        [
            what.to_string(),
            r.account_id.clone(),
            r.region.clone(),
            r.kind.clone(),
            resource_name(r),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    rows.extend(diff.added.iter().map(|r| plain("added", r)));
    rows.extend(diff.removed.iter().map(|r| plain("removed", r)));
    for c in &diff.changed {
        for FieldChange { field, old, new } in &c.changes {
            let r = &c.resource;
            rows.push([
                "changed".to_string(),
                r.account_id.clone(),
                r.region.clone(),
                r.kind.clone(),
                resource_name(r),
                field.clone(),
                shown(old.as_ref()),
                shown(new.as_ref()),
            ]);
        }
    }
    rows
}

/// Rows of the findings part: every finding not unchanged, with its state.
fn finding_rows(diff: &DiffReport) -> Vec<[String; 6]> {
    let d = &diff.baseline().diff;
    let row = |state: &str, f: &Finding, message: String| {
        [
            state.to_string(),
            f.severity.to_string(),
            format!("{} {}", f.rule_id, f.rule_name),
            format!("{} ({})", f.account_id, f.account_role),
            f.resource.clone(),
            message,
        ]
    };
    let mut rows = Vec::new();
    rows.extend(d.new.iter().map(|f| row("new", f, f.message.clone())));
    rows.extend(d.updated.iter().map(|u| {
        let f = &u.finding;
        let message = if u.old_severity != f.severity {
            format!("{} (was {}: {})", f.message, u.old_severity, u.old_message)
        } else {
            format!("{} (was: {})", f.message, u.old_message)
        };
        row("updated", f, message)
    }));
    rows.extend(
        d.resolved
            .iter()
            .map(|f| row("resolved", f, f.message.clone())),
    );
    rows.extend(
        d.not_reevaluated
            .iter()
            .map(|f| row("not re-evaluated", f, f.message.clone())),
    );
    rows
}

pub(super) fn resources_summary(diff: &ResourceDiff) -> String {
    let mut parts = vec![
        format!("{} added", diff.added.len()),
        format!("{} removed", diff.removed.len()),
        format!("{} changed", diff.changed.len()),
    ];
    if !diff.accounts_added.is_empty() {
        parts.push(format!(
            "accounts new in NEW: {}",
            diff.accounts_added.join(", ")
        ));
    }
    if !diff.accounts_removed.is_empty() {
        parts.push(format!(
            "accounts no longer in NEW: {}",
            diff.accounts_removed.join(", ")
        ));
    }
    format!("Resources: {}.", parts.join(", "))
}

pub(super) fn not_compared_lines(diff: &ResourceDiff) -> Vec<String> {
    diff.not_compared
        .iter()
        .map(|n| {
            format!(
                "{} {} {}: read in {} only, not compared",
                n.account_id, n.region, n.service, n.read_in
            )
        })
        .map(|line| line.replace("read in neither only", "read in neither"))
        .collect()
}

/// The diff as terminal tables.
pub(super) fn write_table(out: &mut dyn Write, diff: &DiffReport, terminal: bool) -> Result<()> {
    let tables = TableReporter {
        terminal,
        show_suppressed: false,
    };
    let table = |header: &[&str]| tables.table(header);
    writeln!(
        out,
        "Drift from {} (snapshot of {}) to {} (snapshot of {})\n",
        text(diff.old_source),
        text(diff.old_generated_at),
        text(diff.new_source),
        text(diff.report.generated_at)
    )?;
    match diff.resources {
        Some(resources) => {
            writeln!(out, "{}", text(&resources_summary(resources)))?;
            let rows = resource_rows(resources);
            if !rows.is_empty() {
                let mut t = table(&[
                    "Change", "Account", "Region", "Kind", "Resource", "Field", "Old", "New",
                ]);
                for row in rows {
                    t.add_row(row.iter().map(|c| tables.cell(c)));
                }
                writeln!(out, "{t}")?;
            }
            for line in not_compared_lines(resources) {
                writeln!(out, "Note: {}.", text(&line))?;
            }
            writeln!(out)?;
        }
        None => writeln!(
            out,
            "Resources: not compared (one side is a JSON report, which holds findings only).\n"
        )?,
    }
    let baseline = diff.baseline();
    let rows = finding_rows(diff);
    if !rows.is_empty() {
        let mut t = table(&[
            "State", "Severity", "Rule", "Account", "Resource", "Message",
        ]);
        for row in rows {
            t.add_row(row.iter().map(|c| tables.cell(c)));
        }
        writeln!(out, "{t}")?;
    }
    let d = &baseline.diff;
    writeln!(
        out,
        "Findings: {} new, {} updated, {} unchanged, {} resolved, {} not re-evaluated.",
        d.new.len(),
        d.updated.len(),
        d.unchanged.len(),
        d.resolved.len(),
        d.not_reevaluated.len()
    )?;
    if let Some(line) = diff.report.verdict() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The diff as Markdown, for a job summary (within a comment's size, like
/// the Markdown report).
pub(super) fn write_markdown(out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
    let mut doc = Doc::new();
    let d = &diff.baseline().diff;
    doc.block(&format!(
        "## archaudit diff: {} new, {} resolved",
        plural(d.new.len(), "finding"),
        plural(d.resolved.len(), "finding")
    ));
    let from = format!(
        "From {} (snapshot of {}) to {} (snapshot of {}).",
        doc.data(diff.old_source),
        doc.data(diff.old_generated_at),
        doc.data(diff.new_source),
        doc.data(diff.report.generated_at)
    );
    doc.block(&from);
    if let Some(line) = diff.report.verdict() {
        doc.block(&format!("**{}**", escape(&line)));
    }
    let escaped = |doc: &mut Doc, rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|c| doc.data(c)).collect())
            .collect()
    };
    doc.block("### Resources");
    match diff.resources {
        Some(resources) => {
            let summary = doc.data(&resources_summary(resources));
            doc.block(&summary);
            let rows = resource_rows(resources);
            if !rows.is_empty() {
                let rows = escaped(&mut doc, rows.into_iter().map(Vec::from).collect());
                doc.table(
                    None,
                    &plural(rows.len(), "resource change"),
                    &[
                        "Change", "Account", "Region", "Kind", "Resource", "Field", "Old", "New",
                    ],
                    &rows,
                );
            }
            let notes: Vec<String> = not_compared_lines(resources)
                .iter()
                .map(|line| format!("- {}", doc.data(line)))
                .collect();
            if !notes.is_empty() {
                doc.block(&notes.join("\n"));
            }
        }
        None => {
            doc.block("Not compared: one side is a JSON report, which holds findings only.");
        }
    }
    doc.block("### Findings");
    doc.block(&format!(
        "{} new · {} updated · {} unchanged · {} resolved · {} not re-evaluated",
        d.new.len(),
        d.updated.len(),
        d.unchanged.len(),
        d.resolved.len(),
        d.not_reevaluated.len()
    ));
    let rows = finding_rows(diff);
    if !rows.is_empty() {
        let rows = escaped(&mut doc, rows.into_iter().map(Vec::from).collect());
        doc.table(
            None,
            &plural(rows.len(), "finding"),
            &[
                "State", "Severity", "Rule", "Account", "Resource", "Message",
            ],
            &rows,
        );
    }
    out.write_all(doc.finish().as_bytes())?;
    Ok(())
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema_version: &'static str,
    tool: Tool,
    old: Side<'a>,
    new: Side<'a>,
    summary: DiffSummary,
    /// `null` when one side is a JSON report.
    resources: Option<&'a ResourceDiff>,
    findings: JsonFindings<'a>,
}

#[derive(Serialize)]
struct Side<'a> {
    source: &'a str,
    snapshot_generated_at: &'a str,
}

#[derive(Serialize)]
struct DiffSummary {
    resources_added: Option<usize>,
    resources_removed: Option<usize>,
    resources_changed: Option<usize>,
    findings_new: usize,
    findings_updated: usize,
    findings_unchanged: usize,
    findings_resolved: usize,
    findings_not_reevaluated: usize,
    complete: bool,
    fail_on: Option<Severity>,
    fail_on_new: Option<Severity>,
    failed: bool,
}

#[derive(Serialize)]
struct JsonFindings<'a> {
    new: Vec<JsonFinding<'a>>,
    updated: Vec<JsonUpdated<'a>>,
    unchanged: Vec<JsonFinding<'a>>,
    resolved: Vec<JsonFinding<'a>>,
    not_reevaluated: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonUpdated<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    old_severity: Severity,
    old_message: &'a str,
}

/// The diff as JSON (docs/json-report.md, "diff").
pub(super) fn write_json(out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
    let report = diff.report;
    let baseline = diff.baseline();
    let d = &baseline.diff;
    let json = JsonDiff {
        schema_version: DIFF_SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        old: Side {
            source: diff.old_source,
            snapshot_generated_at: diff.old_generated_at,
        },
        new: Side {
            source: diff.new_source,
            snapshot_generated_at: report.generated_at,
        },
        summary: DiffSummary {
            resources_added: diff.resources.map(|r| r.added.len()),
            resources_removed: diff.resources.map(|r| r.removed.len()),
            resources_changed: diff.resources.map(|r| r.changed.len()),
            findings_new: d.new.len(),
            findings_updated: d.updated.len(),
            findings_unchanged: d.unchanged.len(),
            findings_resolved: d.resolved.len(),
            findings_not_reevaluated: d.not_reevaluated.len(),
            complete: !report.incomplete(),
            fail_on: report.fail_on,
            fail_on_new: baseline.fail_on_new,
            failed: report.failed(),
        },
        resources: diff.resources,
        findings: JsonFindings {
            new: listed(&d.new, report),
            updated: d
                .updated
                .iter()
                .map(|u| JsonUpdated {
                    finding: JsonFinding::new(&u.finding, report).without_state(),
                    old_severity: u.old_severity,
                    old_message: &u.old_message,
                })
                .collect(),
            unchanged: listed(&d.unchanged, report),
            resolved: listed(&d.resolved, report),
            not_reevaluated: listed(&d.not_reevaluated, report),
        },
    };
    super::write_json(out, &json)
}
