//! The Markdown report, for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a
//! pull-request comment: a heading with the verdict, the counts, one findings
//! table per account, then suppressed findings and coverage gaps. Long lists
//! fold into `<details>`, and tables are capped so the report stays inside a
//! comment's size limit (the JSON and SARIF reports hold everything).

use super::{plural, Report, Reporter};
use crate::engine::Finding;
use crate::terraform::Located;
use anyhow::Result;
use std::io::Write;

/// Tables longer than this fold into `<details>`.
const FOLD_AFTER: usize = 10;
/// Rows shown per table; the rest are counted.
const MAX_ROWS: usize = 100;

pub struct MarkdownReporter;

/// Escapes text for a table cell: Markdown punctuation is backslash-escaped
/// (so `|` cannot end the cell and backticks cannot open code), raw HTML
/// cannot form, and line breaks become `<br>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '\\' | '`' | '*' | '_' | '|' | '[' | ']' | '<' | '>' | '&' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Writes a table with `header`, folded when long, capped at `MAX_ROWS`.
pub(super) fn table(
    out: &mut dyn Write,
    summary: &str,
    header: &[&str],
    rows: &[Vec<String>],
) -> Result<()> {
    let fold = rows.len() > FOLD_AFTER;
    if fold {
        writeln!(out, "<details><summary>{}</summary>\n", escape(summary))?;
    }
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(header.len()))?;
    for row in rows.iter().take(MAX_ROWS) {
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    if rows.len() > MAX_ROWS {
        writeln!(
            out,
            "\n… and {} more: the JSON and SARIF reports list them all.",
            rows.len() - MAX_ROWS
        )?;
    }
    if fold {
        writeln!(out, "\n</details>")?;
    }
    writeln!(out)?;
    Ok(())
}

fn terraform_cell(report: &Report, f: &Finding) -> Option<String> {
    let located = report.locations?.locate_finding(f);
    Some(match located {
        Located::Declared(loc) => {
            escape(&format!("{}:{} ({})", loc.uri, loc.start_line, loc.address))
        }
        Located::Managed { address } => escape(&address),
        Located::Unmanaged => "unmanaged".to_string(),
        Located::NotAResource => "-".to_string(),
    })
}

impl Reporter for MarkdownReporter {
    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let e = report.evaluation;
        let counts: Vec<String> = report
            .counts()
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        let head = if e.findings.is_empty() {
            "no findings".to_string()
        } else {
            format!(
                "{} ({})",
                plural(e.findings.len(), "finding"),
                counts.join(", ")
            )
        };
        writeln!(out, "## archaudit: {head}\n")?;

        let mut facts = Vec::new();
        if let Some(thresholds) = report.thresholds() {
            let verdict = if report.failed() { "FAILED" } else { "passed" };
            facts.push(format!("**{verdict}** ({})", escape(&thresholds)));
        }
        if report.incomplete() {
            facts.push("**incomplete**".to_string());
        }
        facts.push(plural(e.accounts.len(), "account"));
        facts.push(format!("{} evaluated", plural(e.resources, "resource")));
        facts.push(format!("{} run", plural(e.rules_run, "rule")));
        facts.push(format!(
            "{} of {} not evaluated",
            e.checks_not_evaluated,
            plural(e.checks, "check")
        ));
        if !report.suppressed.is_empty() {
            facts.push(format!("{} suppressed", report.suppressed.len()));
        }
        facts.push(format!("snapshot of {}", escape(report.generated_at)));
        writeln!(out, "{}\n", facts.join(" · "))?;
        if let Some(baseline) = report.baseline {
            writeln!(out, "{}\n", escape(&baseline.summary()))?;
        }

        if !e.findings.is_empty() {
            writeln!(out, "| Severity | Findings |\n| --- | ---: |")?;
            for (severity, n) in report.counts() {
                writeln!(out, "| {severity} | {n} |")?;
            }
            writeln!(out)?;
        }

        let with_terraform = report.locations.is_some();
        for account in &e.accounts {
            // Evaluation sorts findings most severe first; filtering keeps that order.
            let findings: Vec<&Finding> = e
                .findings
                .iter()
                .filter(|f| f.account_id == account.id)
                .collect();
            if findings.is_empty() {
                continue;
            }
            let title = format!(
                "{} ({}), role {}: {}",
                account.name,
                account.id,
                account.role,
                plural(findings.len(), "finding")
            );
            writeln!(out, "### {}\n", escape(&title))?;
            let mut header = vec!["Severity", "Rule", "Region", "Resource", "Message"];
            if with_terraform {
                header.push("Terraform");
            }
            if report.baseline.is_some() {
                header.insert(0, "Baseline");
            }
            let rows: Vec<Vec<String>> = findings
                .iter()
                .map(|f| {
                    let mut row = vec![
                        f.severity.to_string(),
                        escape(&format!("{} {}", f.rule_id, f.rule_name)),
                        escape(&f.region),
                        escape(&f.resource),
                        escape(&f.message),
                    ];
                    row.extend(terraform_cell(report, f));
                    if let Some(state) = report.baseline_state(f) {
                        row.insert(0, state.as_str().to_string());
                    }
                    row
                })
                .collect();
            table(out, &plural(rows.len(), "finding"), &header, &rows)?;
        }

        if !report.suppressed.is_empty() {
            writeln!(out, "### Suppressed\n")?;
            let rows: Vec<Vec<String>> = report
                .suppressed
                .iter()
                .map(|s| {
                    let f = &s.finding;
                    let reason = match &s.expires {
                        Some(date) => format!("{} (until {date})", s.reason),
                        None => s.reason.clone(),
                    };
                    vec![
                        f.severity.to_string(),
                        escape(&format!("{} {}", f.rule_id, f.rule_name)),
                        escape(&f.account_id),
                        escape(&f.resource),
                        escape(&reason),
                    ]
                })
                .collect();
            table(
                out,
                &plural(rows.len(), "suppressed finding"),
                &["Severity", "Rule", "Account", "Resource", "Reason"],
                &rows,
            )?;
        }

        if !report.notes.is_empty() {
            writeln!(out, "### Suppression warnings\n")?;
            for note in report.notes {
                let what = match note.kind {
                    crate::engine::suppress::NoteKind::Expired => format!(
                        "expired on {} and no longer hides its {}",
                        note.expires.as_deref().unwrap_or("?"),
                        plural(note.matched, "finding")
                    ),
                    crate::engine::suppress::NoteKind::Stale => {
                        "matched no finding: remove it, or fix its match".to_string()
                    }
                };
                writeln!(
                    out,
                    "- {}",
                    escape(&format!(
                        "Suppression of {} at config line {} ({:?}) {what}.",
                        note.rule, note.line, note.reason
                    ))
                )?;
            }
            writeln!(out)?;
        }

        if !e.gaps.is_empty() {
            writeln!(
                out,
                "### Coverage gaps\n\nWhat could not be read, and the rules not evaluated there.\n"
            )?;
            let rows: Vec<Vec<String>> = e
                .gaps
                .iter()
                .map(|g| {
                    let error = match &g.message {
                        Some(m) => format!("{}: {m}", g.error),
                        None => g.error.to_string(),
                    };
                    let rules = if g.rules_not_evaluated.is_empty() {
                        "-".to_string()
                    } else {
                        g.rules_not_evaluated.join(" ")
                    };
                    vec![
                        escape(&g.account_id),
                        escape(&g.region),
                        escape(&g.service),
                        escape(&error),
                        escape(&rules),
                    ]
                })
                .collect();
            table(
                out,
                &plural(rows.len(), "coverage gap"),
                &[
                    "Account",
                    "Region",
                    "Service",
                    "Error",
                    "Rules not evaluated",
                ],
                &rows,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cells() {
        assert_eq!(escape("a|b `c`"), "a\\|b \\`c\\`");
        assert_eq!(escape("<script>\nx"), "\\<script\\><br>x");
        assert_eq!(escape("AWSIRSA_Shared"), "AWSIRSA\\_Shared");
    }
}
