//! Command-line definitions (clap) and the wiring of the stages:
//! load snapshots -> compile rules -> evaluate -> report -> exit code.

use crate::config::Config;
use crate::engine::{suppress, Catalogue, Severity};
use crate::report::{
    explain, render_catalogue, sarif_category, CatalogueFormat, JsonReporter, MarkdownReporter,
    Report, Reporter, SarifReporter, TableReporter,
};
use crate::snapshot::load_snapshots;
use crate::terraform::Locations;
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, as the design's CLI contract gives them.
pub mod exit {
    /// Nothing at or above `--fail-on`.
    pub const OK: u8 = 0;
    /// Findings at or above `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Usage, config, input or fatal error.
    pub const ERROR: u8 = 2;
    /// The audit is incomplete and `--strict` was given.
    pub const INCOMPLETE: u8 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "archaudit",
    version,
    about = "Audit AWS organizations against the KubeRocketCI reference architecture and AWS/EKS best practices",
    long_about = "Audit AWS organizations against the KubeRocketCI reference architecture on AWS \
        (Production, Shared and Development accounts) and against Well-Architected and EKS best \
        practices.\n\n`check` evaluates the rule catalogue over saved snapshots, offline.\n\n\
        Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, input or \
        fatal error; 3 the audit is incomplete and --strict was given.",
    after_help = "Try: archaudit check fixtures/snapshots/reference-drifted.json"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Evaluate the rules over saved snapshots, offline (several files: shards of one organization)
    Check(CheckArgs),
    /// List the rule catalogue
    Rules(RulesArgs),
    /// Show one rule's documentation: what it checks, why, how to fix it
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Snapshot files (JSON) to evaluate; several are merged as shards of one organization
    #[arg(required = true, value_name = "SNAPSHOT")]
    pub snapshots: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding of this severity or above exists
    #[arg(long, value_enum, default_value_t = FailOn::High, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Exit 3 when the audit is incomplete (something could not be read, so some rules were not evaluated)
    #[arg(long)]
    pub strict: bool,
    /// List suppressed findings in the table too (they are always counted, and always in JSON)
    #[arg(long)]
    pub show_suppressed: bool,
    /// Terraform root directory (repeatable): SARIF and Markdown put each finding on the
    /// `resource` block that declares it (needs --tfstate)
    #[arg(long, value_name = "DIR", requires = "tfstate")]
    pub tf_dir: Vec<PathBuf>,
    /// Terraform state file (v4) of those roots (repeatable); resources in no state are reported as unmanaged
    #[arg(long, value_name = "FILE")]
    pub tfstate: Vec<PathBuf>,
    /// SARIF category (`automationDetails.id`): uploads with the same category replace each other
    /// [default: archaudit/<organization id>/]
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
}

#[derive(Args, Debug)]
pub struct CatalogueArgs {
    /// Add the rules (`.rego` files, searched recursively) in DIR to the built-in catalogue
    #[arg(long, value_name = "DIR")]
    pub rules_dir: Vec<PathBuf>,
    /// Config file: account roles, rule selection, severity overrides, suppressions
    /// [default: ./archaudit.toml when it exists]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl CatalogueArgs {
    /// The config given, else `./archaudit.toml` if present, else none.
    pub fn config(&self) -> Result<Config> {
        match &self.config {
            Some(path) => Config::load(path),
            None => {
                let default = PathBuf::from("archaudit.toml");
                if default.is_file() {
                    Config::load(&default)
                } else {
                    Ok(Config::default())
                }
            }
        }
    }

    /// The catalogue with the user's rules added and the config's selection applied.
    pub fn catalogue(&self, config: &Config) -> Result<Catalogue> {
        let mut catalogue = Catalogue::load(&self.rules_dir)?;
        config.apply_to_catalogue(&mut catalogue)?;
        Ok(catalogue)
    }
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
    pub format: CatalogueFormat,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule id (e.g. WAF001) or name (e.g. alb-without-waf)
    #[arg(value_name = "RULE-ID")]
    pub rule: String,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables grouped by account, for people
    Table,
    /// The documented JSON report (docs/json-report.md)
    Json,
    /// SARIF 2.1.0 for GitHub code scanning
    Sarif,
    /// Markdown for a job summary or a pull-request comment
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    /// Never exit 1 for findings
    None,
}

impl FailOn {
    pub fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::None => None,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => {
            let catalogue = args.rules.catalogue(&args.rules.config()?)?;
            let mut out = std::io::stdout().lock();
            render_catalogue(&mut out, &catalogue.rules, args.format)?;
            out.flush()?;
            Ok(ExitCode::from(exit::OK))
        }
        Command::Explain(args) => {
            let catalogue = args.rules.catalogue(&args.rules.config()?)?;
            let Some(rule) = catalogue.find(&args.rule) else {
                let suggestions = catalogue.suggest(&args.rule);
                if suggestions.is_empty() {
                    bail!("unknown rule {:?}; `archaudit rules` lists them", args.rule);
                }
                bail!(
                    "unknown rule {:?}; did you mean {}?",
                    args.rule,
                    suggestions.join(", ")
                );
            };
            let mut out = std::io::stdout().lock();
            write!(out, "{}", explain(rule))?;
            out.flush()?;
            Ok(ExitCode::from(exit::OK))
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let config = args.rules.config()?;
    let catalogue = args.rules.catalogue(&config)?;
    let compiled = catalogue.compile()?;
    let snapshot = load_snapshots(&args.snapshots)?;
    let locations = terraform_locations(&args.report)?;
    let roles = config.assign_roles(&snapshot);
    let mut evaluation = compiled.evaluate(&snapshot, &roles)?;
    let today = jiff::Zoned::now().date();
    let outcome = suppress::apply(
        std::mem::take(&mut evaluation.findings),
        &config.suppressions,
        today,
    );
    evaluation.findings = outcome.findings;
    let report = Report {
        evaluation: &evaluation,
        rules: &catalogue.rules,
        generated_at: &snapshot.generated_at,
        fail_on: args.report.fail_on.severity(),
        suppressed: &outcome.suppressed,
        notes: &outcome.notes,
        locations: locations.as_ref(),
    };
    let category = args
        .report
        .category
        .clone()
        .unwrap_or_else(|| default_category(&snapshot));
    emit(&args.report, &report, &category)?;
    Ok(ExitCode::from(
        if args.report.strict && report.incomplete() {
            exit::INCOMPLETE
        } else if report.failed() {
            exit::FINDINGS
        } else {
            exit::OK
        },
    ))
}

/// Where Terraform declares each resource, when `--tfstate` is given.
fn terraform_locations(args: &ReportArgs) -> Result<Option<Locations>> {
    if args.tfstate.is_empty() {
        return Ok(None);
    }
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let locations = Locations::load(&args.tfstate, &args.tf_dir, &root)?;
    for state in locations.unresolved_states() {
        eprintln!(
            "warning: no --tf-dir declares the resources of state {state}: its findings point at the rule files"
        );
    }
    Ok(Some(locations))
}

/// `archaudit/<organization id>/`, else a name for the audited accounts.
fn default_category(snapshot: &crate::snapshot::Snapshot) -> String {
    let scope = match (&snapshot.organization, snapshot.accounts.as_slice()) {
        (Some(org), _) => org.id.clone(),
        (None, [one]) => one.account.id.clone(),
        (None, _) => "accounts".to_string(),
    };
    sarif_category(&scope)
}

/// Writes the report to `--output` or standard output.
fn emit(args: &ReportArgs, report: &Report, category: &str) -> Result<()> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Table => Box::new(TableReporter {
            terminal: to_terminal,
            show_suppressed: args.show_suppressed,
        }),
        Format::Json => Box::new(JsonReporter),
        Format::Sarif => Box::new(SarifReporter::new(category)),
        Format::Markdown => Box::new(MarkdownReporter),
    };
    match &args.output {
        Some(path) => {
            let mut buffer = Vec::new();
            reporter.emit(&mut buffer, report)?;
            std::fs::write(path, buffer)
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            reporter.emit(&mut out, report)?;
            out.flush()?;
        }
    }
    Ok(())
}
