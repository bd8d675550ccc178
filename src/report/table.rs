//! The terminal report: one table of findings per account (with its role),
//! most severe first; then coverage gaps; then a summary line. Colour only when
//! writing to a terminal. Data reaches the output only through [`text`] and
//! [`TableReporter::cell`], which neutralise control characters (see
//! [`super::escape`]); the colours are archaudit's own.

use super::escape::{terminal, terminal_capped};
use super::{note_effect, plural, DiffReport, Report, Reporter};
use crate::engine::{Finding, Severity, UNASSIGNED};
use crate::history::BaselineState;
use anyhow::Result;
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};
use std::io::Write;

/// The longest value in a cell, in characters; the rest is counted.
pub const MAX_CELL_CHARS: usize = 1_000;

/// Untrusted text for a line of the report: neutralised and capped.
pub(super) fn text(data: &str) -> String {
    terminal_capped(data, MAX_CELL_CHARS)
}

pub struct TableReporter {
    /// Colour and wrap to the terminal's width.
    pub terminal: bool,
    /// List suppressed findings (they are always counted).
    pub show_suppressed: bool,
}

impl TableReporter {
    pub(super) fn table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        if self.terminal {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
        }
        table.set_header(header.iter().map(|h| self.bold(h)));
        table
    }

    /// A cell of untrusted text: neutralised and capped.
    pub(super) fn cell(&self, data: &str) -> Cell {
        Cell::new(text(data))
    }

    fn bold(&self, text: &str) -> Cell {
        let cell = Cell::new(terminal(text));
        if self.terminal {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }

    fn bold_if(&self, bold: bool, text: &str) -> Cell {
        if bold {
            self.bold(text)
        } else {
            Cell::new(text)
        }
    }

    fn severity(&self, severity: Severity) -> Cell {
        let cell = Cell::new(severity.as_str());
        if !self.terminal {
            return cell;
        }
        match severity {
            Severity::Critical => cell.fg(Color::Magenta).add_attribute(Attribute::Bold),
            Severity::High => cell.fg(Color::Red),
            Severity::Medium => cell.fg(Color::Yellow),
            Severity::Low => cell.fg(Color::Cyan),
        }
    }
}

impl Reporter for TableReporter {
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
        super::diff::write_table(out, diff, self.terminal)
    }

    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let e = report.evaluation;
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
            writeln!(
                out,
                "{} ({}), role {}: {}",
                text(&account.name),
                text(&account.id),
                text(&account.role),
                plural(findings.len(), "finding")
            )?;
            let mut header = vec!["Severity", "Rule", "Region", "Resource", "Message"];
            if report.baseline.is_some() {
                header.insert(0, "Baseline");
            }
            let mut table = self.table(&header);
            for f in findings {
                let mut row = vec![
                    self.severity(f.severity),
                    self.cell(&format!("{} {}", f.rule_id, f.rule_name)),
                    self.cell(&f.region),
                    self.cell(&f.resource),
                    self.cell(&f.message),
                ];
                if let Some(state) = report.baseline_state(f) {
                    row.insert(0, self.bold_if(state == BaselineState::New, state.as_str()));
                }
                table.add_row(row);
            }
            writeln!(out, "{table}\n")?;
        }

        if self.show_suppressed && !report.suppressed.is_empty() {
            writeln!(out, "Suppressed findings")?;
            let mut table = self.table(&["Severity", "Rule", "Account", "Resource", "Reason"]);
            for s in report.suppressed {
                let f = &s.finding;
                let reason = match &s.expires {
                    Some(date) => format!("{} (until {date})", s.reason),
                    None => s.reason.clone(),
                };
                table.add_row(vec![
                    self.severity(f.severity),
                    self.cell(&format!("{} {}", f.rule_id, f.rule_name)),
                    self.cell(&f.account_id),
                    self.cell(&f.resource),
                    self.cell(&reason),
                ]);
            }
            writeln!(out, "{table}\n")?;
        }

        for note in report.notes {
            let warning = format!(
                "Warning: suppression of {} at config line {} ({:?}) {}.",
                note.rule,
                note.line,
                note.reason,
                note_effect(note)
            );
            writeln!(out, "{}", text(&warning))?;
        }
        if !report.notes.is_empty() {
            writeln!(out)?;
        }

        let unassigned: Vec<String> = e
            .accounts
            .iter()
            .filter(|a| a.role == UNASSIGNED)
            .map(|a| format!("{} ({})", text(&a.name), text(&a.id)))
            .collect();
        if !unassigned.is_empty() {
            writeln!(
                out,
                "Unassigned accounts (no architecture role; role-independent rules only): {}\n",
                unassigned.join(", ")
            )?;
        }

        if !e.gaps.is_empty() {
            writeln!(
                out,
                "Coverage gaps: what could not be read, and the rules not evaluated there"
            )?;
            let mut table = self.table(&[
                "Account",
                "Region",
                "Service",
                "Error",
                "Rules not evaluated",
            ]);
            for g in &e.gaps {
                let rules = if g.rules_not_evaluated.is_empty() {
                    "-".to_string()
                } else {
                    g.rules_not_evaluated.join(" ")
                };
                let error = match &g.message {
                    Some(m) => format!("{}: {m}", g.error),
                    None => g.error.to_string(),
                };
                table.add_row(vec![
                    self.cell(&g.account_id),
                    self.cell(&g.region),
                    self.cell(&g.service),
                    self.cell(&error),
                    self.cell(&rules),
                ]);
            }
            writeln!(out, "{table}\n")?;
        }

        if e.accounts.is_empty() {
            writeln!(
                out,
                "No account to audit: the snapshot holds none, so nothing was checked.\n"
            )?;
        }

        let counts: Vec<String> = report
            .counts()
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        let head = if e.findings.is_empty() {
            "No findings".to_string()
        } else {
            format!(
                "{} ({})",
                plural(e.findings.len(), "finding"),
                counts.join(", ")
            )
        };
        let suppressed = if report.suppressed.is_empty() {
            String::new()
        } else {
            format!(" ({} suppressed)", report.suppressed.len())
        };
        writeln!(
            out,
            "{head}{suppressed} in {}; {} evaluated; {} run; {} of {} not evaluated.",
            plural(e.accounts.len(), "account"),
            plural(e.resources, "resource"),
            plural(e.rules_run, "rule"),
            e.checks_not_evaluated,
            plural(e.checks, "check"),
        )?;
        if let Some(baseline) = report.baseline {
            writeln!(out, "{}", text(&baseline.summary()))?;
        }
        if let Some(verdict) = report.verdict() {
            writeln!(out, "{verdict}")?;
        }
        Ok(())
    }
}
