//! The rule catalogue as a table, JSON or Markdown (the README carries the
//! Markdown table, and a test keeps it current).

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
                    r.id.as_str(),
                    r.name.as_str(),
                    r.severity.as_str(),
                    &r.roles.join(", "),
                    r.title.as_str(),
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
            serde_json::to_writer_pretty(&mut *out, rules)?;
            writeln!(out)?;
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
            r.id,
            r.name,
            r.severity,
            r.roles.join(", "),
            r.title.replace('|', "\\|")
        ));
    }
    s
}

/// One rule's full documentation, for `archaudit explain`.
pub fn explain(rule: &Rule) -> String {
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
