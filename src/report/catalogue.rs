//! The rule catalogue as a table, JSON or Markdown (the README carries the
//! Markdown table, and a test keeps it current). A user's rule file is
//! untrusted text like any other: the table and `explain` neutralise it, the
//! Markdown escapes it.

use super::escape::{markdown, neutralise_multiline};
use super::table::text;
use crate::engine::Rule;
use anyhow::Result;
use comfy_table::{presets, Table};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
    Markdown,
}

pub fn render_catalogue(
    out: &mut dyn Write,
    rules: &[Rule],
    format: CatalogueFormat,
) -> Result<()> {
    match format {
        CatalogueFormat::Table => {
            let mut table = Table::new();
            table.load_style(presets::UTF8_FULL_CONDENSED);
            table.force_no_tty();
            table.set_header(vec!["ID", "Name", "Severity", "Roles", "Title"]);
            for r in rules {
                table.add_row(vec![
                    text(&r.id),
                    text(&r.name),
                    r.severity.to_string(),
                    text(&r.roles.join(", ")),
                    text(&r.title),
                ]);
            }
            writeln!(out, "{table}")?;
            writeln!(
                out,
                "{} rules. `archaudit explain ID` shows one rule's docs.",
                rules.len()
            )?;
        }
        CatalogueFormat::Json => {
            super::write_json(out, rules)?;
        }
        CatalogueFormat::Markdown => write!(out, "{}", markdown_table(rules))?,
    }
    Ok(())
}

/// One row per rule: id, name, severity, roles, title.
pub fn markdown_table(rules: &[Rule]) -> String {
    let mut s = String::from("| ID | Name | Severity | Roles | Title |\n|---|---|---|---|---|\n");
    for r in rules {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            markdown(&r.id),
            r.name,
            r.severity,
            markdown(&r.roles.join(", ")),
            markdown(&r.title)
        ));
    }
    s
}

/// One rule's full documentation, for `archaudit explain`: every field
/// neutralised (the description and remediation keep their line breaks).
pub fn explain(rule: &Rule) -> String {
    neutralise_multiline(&explain_text(rule))
}

fn explain_text(rule: &Rule) -> String {
    let mut s = format!("{} {}: {}\n\n", rule.id, rule.name, rule.title);
    s.push_str(&format!("Severity:  {}\n", rule.severity));
    s.push_str(&format!("Applies:   {} accounts\n", rule.roles.join(", ")));
    let services = if rule.services.is_empty() {
        "the organization view".to_string()
    } else {
        rule.services.join(", ")
    };
    s.push_str(&format!("Reads:     {services}\n"));
    s.push_str(&format!("Precision: {}\n", rule.precision));
    s.push_str(&format!("Source:    {}:{}\n\n", rule.path, rule.line));
    s.push_str(&rule.description);
    s.push_str("\n\nRemediation\n\n");
    s.push_str(&rule.remediation);
    s.push('\n');
    if !rule.references.is_empty() {
        s.push_str("\nReferences\n\n");
        for r in &rule.references {
            s.push_str(&format!("- {r}\n"));
        }
    }
    s
}
