//! The Markdown report, for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a
//! pull-request comment: a heading with the verdict, the counts, one findings
//! table per account, then suppressed findings and coverage gaps. Long lists
//! fold into `<details>`. Every piece of data goes through
//! [`escape::markdown_capped`](super::escape::markdown_capped), and a [`Doc`]
//! keeps the whole report inside GitHub's comment limit, saying what it left
//! out (the JSON and SARIF reports hold everything).

use super::escape::{self, thousands};
use super::{plural, DiffReport, Report, Reporter};
use crate::engine::Finding;
use crate::terraform::Located;
use anyhow::Result;
use std::io::Write;

/// Tables longer than this fold into `<details>`.
const FOLD_AFTER: usize = 10;
/// Rows shown per table; the rest are counted.
const MAX_ROWS: usize = 100;
/// GitHub's limit for a comment body, in characters; counted here in bytes,
/// which are never fewer.
pub const MAX_REPORT_BYTES: usize = 65_536;
/// The longest value in a cell or heading, in bytes of Markdown.
pub const MAX_CELL_BYTES: usize = 512;
/// Kept free for the note that closes a cut report.
const CLOSING_ROOM: usize = 600;
/// Kept free behind a table's rows: the `… and N more` line and `</details>`.
const TABLE_CLOSING_ROOM: usize = 160;

pub struct MarkdownReporter;

/// Escapes text for a heading or a table cell (see [`escape::markdown`]).
pub fn escape(text: &str) -> String {
    escape::markdown(text)
}

/// A Markdown document under construction that stays within
/// [`MAX_REPORT_BYTES`]: a table that does not fit is cut at a row, and once
/// one is cut, later sections are left out; [`Doc::finish`] says what is
/// missing and where to find it.
pub(super) struct Doc {
    text: String,
    /// Rows not shown because the report was full.
    rows_left_out: usize,
    /// Values shortened to [`MAX_CELL_BYTES`].
    values_cut: usize,
    full: bool,
}

impl Doc {
    pub(super) fn new() -> Doc {
        Doc {
            text: String::new(),
            rows_left_out: 0,
            values_cut: 0,
            full: false,
        }
    }

    /// Bytes still free before the closing room.
    fn room(&self) -> usize {
        (MAX_REPORT_BYTES - CLOSING_ROOM).saturating_sub(self.text.len())
    }

    /// Untrusted text for a cell, heading or line, escaped and capped.
    pub(super) fn data(&mut self, text: &str) -> String {
        let (escaped, cut) = escape::markdown_capped(text, MAX_CELL_BYTES);
        if cut > 0 {
            self.values_cut += 1;
        }
        escaped
    }

    /// Appends a paragraph or heading (with a blank line after it) when it
    /// fits; returns whether it did.
    pub(super) fn block(&mut self, markdown: &str) -> bool {
        if self.full || markdown.len() + 2 > self.room() {
            self.full = true;
            return false;
        }
        self.text.push_str(markdown);
        self.text.push_str("\n\n");
        true
    }

    /// Writes `heading` (if any) and a table of already escaped `rows`, folded
    /// when long, capped at `MAX_ROWS`, and cut where the report is full.
    pub(super) fn table(
        &mut self,
        heading: Option<&str>,
        summary: &str,
        header: &[&str],
        rows: &[Vec<String>],
    ) {
        let fold = rows.len() > FOLD_AFTER;
        let mut top = String::new();
        if let Some(heading) = heading {
            top.push_str(heading);
            top.push_str("\n\n");
        }
        if fold {
            top.push_str(&format!("<details><summary>{summary}</summary>\n\n"));
        }
        top.push_str(&format!("| {} |\n", header.join(" | ")));
        top.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
        let first = rows.first().map_or(0, |r| row_line(r).len());
        if self.full || top.len() + first + TABLE_CLOSING_ROOM > self.room() {
            self.full = true;
            self.rows_left_out += rows.len();
            return;
        }
        self.text.push_str(&top);
        let mut shown = 0;
        for row in rows.iter().take(MAX_ROWS) {
            let line = row_line(row);
            if line.len() + TABLE_CLOSING_ROOM > self.room() {
                self.full = true;
                break;
            }
            self.text.push_str(&line);
            shown += 1;
        }
        let rest = rows.len() - shown;
        if self.full {
            self.rows_left_out += rest;
            self.text.push_str(&format!(
                "\n… and {} more, left out to keep this report within the size of a GitHub comment.\n",
                thousands(rest)
            ));
        } else if rest > 0 {
            self.text.push_str(&format!(
                "\n… and {} more: the JSON and SARIF reports list them all.\n",
                thousands(rest)
            ));
        }
        if fold {
            self.text.push_str("\n</details>\n");
        }
        self.text.push('\n');
    }

    /// The document, closed by a note on what was left out or shortened.
    pub(super) fn finish(mut self) -> String {
        let mut notes = Vec::new();
        if self.rows_left_out > 0 {
            notes.push(format!("{} not shown", plural(self.rows_left_out, "row")));
        }
        if self.values_cut > 0 {
            notes.push(format!(
                "{} cut to {MAX_CELL_BYTES} characters",
                plural(self.values_cut, "value")
            ));
        }
        if !notes.is_empty() {
            let what = if self.full {
                "This report was cut to stay within GitHub's 65,536-character comment limit"
            } else {
                "This report shortens long values"
            };
            self.text.push_str(&format!(
                "---\n\n**{what}**: {}. `--format json` (or `--format sarif`) gives the complete report.\n",
                notes.join(", ")
            ));
        }
        self.text
    }
}

/// One table row of escaped cells.
fn row_line(row: &[String]) -> String {
    format!("| {} |\n", row.join(" | "))
}

fn terraform_cell(doc: &mut Doc, report: &Report, f: &Finding) -> Option<String> {
    let located = report.locations?.locate_finding(f);
    Some(match located {
        Located::Declared(loc) => {
            doc.data(&format!("{}:{} ({})", loc.uri, loc.start_line, loc.address))
        }
        Located::Managed { address } => doc.data(&address),
        Located::Unmanaged => "unmanaged".to_string(),
        Located::NotAResource => "-".to_string(),
    })
}

impl Reporter for MarkdownReporter {
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
        super::diff::write_markdown(out, diff)
    }

    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let mut doc = Doc::new();
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
        doc.block(&format!("## archaudit: {head}"));

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
        facts.push(format!("snapshot of {}", doc.data(report.generated_at)));
        doc.block(&facts.join(" · "));
        if let Some(baseline) = report.baseline {
            let summary = doc.data(&baseline.summary());
            doc.block(&summary);
        }

        if !e.findings.is_empty() {
            let mut counts = String::from("| Severity | Findings |\n| --- | ---: |");
            for (severity, n) in report.counts() {
                counts.push_str(&format!("\n| {severity} | {n} |"));
            }
            doc.block(&counts);
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
            let heading = format!("### {}", doc.data(&title));
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
                        doc.data(&format!("{} {}", f.rule_id, f.rule_name)),
                        doc.data(&f.region),
                        doc.data(&f.resource),
                        doc.data(&f.message),
                    ];
                    row.extend(terraform_cell(&mut doc, report, f));
                    if let Some(state) = report.baseline_state(f) {
                        row.insert(0, state.as_str().to_string());
                    }
                    row
                })
                .collect();
            doc.table(
                Some(&heading),
                &plural(rows.len(), "finding"),
                &header,
                &rows,
            );
        }

        if !report.suppressed.is_empty() {
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
                        doc.data(&format!("{} {}", f.rule_id, f.rule_name)),
                        doc.data(&f.account_id),
                        doc.data(&f.resource),
                        doc.data(&reason),
                    ]
                })
                .collect();
            doc.table(
                Some("### Suppressed"),
                &plural(rows.len(), "suppressed finding"),
                &["Severity", "Rule", "Account", "Resource", "Reason"],
                &rows,
            );
        }

        if !report.notes.is_empty() {
            let mut warnings = String::from("### Suppression warnings\n");
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
                let line = doc.data(&format!(
                    "Suppression of {} at config line {} ({:?}) {what}.",
                    note.rule, note.line, note.reason
                ));
                warnings.push_str(&format!("\n- {line}"));
            }
            doc.block(&warnings);
        }

        if !e.gaps.is_empty() {
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
                        doc.data(&g.account_id),
                        doc.data(&g.region),
                        doc.data(&g.service),
                        doc.data(&error),
                        doc.data(&rules),
                    ]
                })
                .collect();
            doc.table(
                Some(
                    "### Coverage gaps\n\nWhat could not be read, and the rules not evaluated there.",
                ),
                &plural(rows.len(), "coverage gap"),
                &[
                    "Account",
                    "Region",
                    "Service",
                    "Error",
                    "Rules not evaluated",
                ],
                &rows,
            );
        }
        out.write_all(doc.finish().as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, cell: &str) -> Vec<Vec<String>> {
        (0..n)
            .map(|i| vec![i.to_string(), cell.to_string()])
            .collect()
    }

    #[test]
    fn a_doc_stays_within_a_comment_and_says_what_it_left_out() {
        let mut doc = Doc::new();
        assert!(doc.block("## archaudit: 250 findings"));
        let cell = doc.data(&"x".repeat(5_000));
        assert!(cell.len() <= MAX_CELL_BYTES);
        for account in 0..3 {
            doc.table(
                Some(&format!("### account {account}")),
                "250 findings",
                &["#", "Message"],
                &rows(250, &cell),
            );
        }
        let text = doc.finish();
        assert!(text.len() <= MAX_REPORT_BYTES, "{}", text.len());
        assert!(text.contains("### account 0"));
        // The first table is capped at MAX_ROWS but fits; the second is cut
        // where the report is full; the third is left out.
        assert!(text.contains("… and 150 more: the JSON and SARIF reports list them all."));
        assert!(text
            .contains("more, left out to keep this report within the size of a GitHub comment."));
        assert!(!text.contains("### account 2"));
        assert_eq!(
            text.matches("<details>").count(),
            text.matches("</details>").count()
        );
        let note = text.lines().last().unwrap();
        assert!(
            note.starts_with(
                "**This report was cut to stay within GitHub's 65,536-character comment limit**: "
            ),
            "{note}"
        );
        assert!(note.contains("1 value cut to 512 characters"), "{note}");
        assert!(
            note.ends_with("`--format json` (or `--format sarif`) gives the complete report."),
            "{note}"
        );
    }

    #[test]
    fn a_small_doc_has_no_note() {
        let mut doc = Doc::new();
        doc.block("## archaudit: no findings");
        doc.table(None, "1 finding", &["A"], &[vec!["a".to_string()]]);
        assert_eq!(
            doc.finish(),
            "## archaudit: no findings\n\n| A |\n| --- |\n| a |\n\n"
        );
    }
}
