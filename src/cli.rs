//! Command-line definitions (clap) and the wiring of the stages:
//! load snapshots -> compile rules -> evaluate -> report -> exit code.

use crate::aws::AwsOptions;
use crate::collect::{Accounts, CallLog, CollectOptions, Regions};
use crate::config::{is_account_id, is_iam_name, is_region, Config};
use crate::drift::terraform::{compute as compute_drift, keep_attribute};
use crate::engine::{suppress, Catalogue, Severity};
use crate::report::{
    explain, render_catalogue, sarif_category, CatalogueFormat, JsonReporter, MarkdownReporter,
    Report, Reporter, SarifReporter, TableReporter,
};
use crate::snapshot::load_snapshots;
use crate::snapshot::{save_snapshot, Snapshot};
use crate::terraform::remote::{fetch_s3, is_s3_uri};
use crate::terraform::state::parse_state_keeping;
use crate::terraform::{expand_state_glob, Locations, Sources, State};
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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
    /// Collect every selected account and region through the AWS SDK, evaluate the rules, report
    Audit(AuditArgs),
    /// Collect a snapshot only (JSON, or zstd-compressed JSON when FILE ends in .zst)
    Collect(CollectArgs),
    /// Evaluate the rules over saved snapshots, offline (several files: shards of one organization)
    Check(CheckArgs),
    /// List the rule catalogue
    Rules(RulesArgs),
    /// Show one rule's documentation: what it checks, why, how to fix it
    Explain(ExplainArgs),
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(flatten)]
    pub collect: CollectionArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    #[command(flatten)]
    pub collect: CollectionArgs,
    /// Where to write the snapshot (`.json`, or `.json.zst` compressed)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Config file (for its account list, regions, role name, concurrency)
    /// [default: ./archaudit.toml when it exists]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What to read and how. Credentials come from the standard AWS chain.
#[derive(Args, Debug)]
pub struct CollectionArgs {
    /// Read every active account of the organization (run from the management or a delegated administrator account)
    #[arg(long, conflicts_with = "accounts")]
    pub org: bool,
    /// Read this account (repeatable); without --org or --account: the config's list, else the caller's own account
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<String>,
    /// Role assumed in each account but the caller's own [default: OrganizationAccountAccessRole]
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// External id for the assumed role
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Regions, comma-separated, or `all` for each account's enabled regions [default: all]
    #[arg(long, value_delimiter = ',', value_name = "REGIONS")]
    pub regions: Vec<String>,
    /// Send every AWS call to this AWS-compatible endpoint (AWS_ENDPOINT_URL works too)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Service reads in flight at once, over the whole organization [default: 32]
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Log to stderr (-v: progress of each account and service, -vv: every AWS call)
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
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
    /// Terraform state (v4): a file, a glob (`states/**/*.tfstate`) or s3://BUCKET/KEY
    /// (repeatable). Runs the drift rules (TFD: unmanaged, missing, changed); a state that
    /// cannot be read is reported and its drift not evaluated
    #[arg(long, value_name = "FILE|GLOB|S3-URI")]
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
        load_config(self.config.as_deref())
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
        Command::Audit(args) => {
            let config = args.rules.config()?;
            let catalogue = args.rules.catalogue(&config)?;
            let compiled = catalogue.compile()?;
            let options = collect_options(&args.collect, &config)?;
            // States are read first: a bad one is reported before a long collection.
            let terraform = terraform_states(&args.report, &options.aws)?;
            let snapshot = collect(&options, args.collect.verbose)?;
            report(
                &snapshot,
                &config,
                &catalogue,
                &compiled,
                &args.report,
                terraform.as_ref(),
            )
        }
        Command::Collect(args) => {
            let config = load_config(args.config.as_deref())?;
            let options = collect_options(&args.collect, &config)?;
            let snapshot = collect(&options, args.collect.verbose)?;
            save_snapshot(&snapshot, &args.output)?;
            let unread = snapshot
                .accounts
                .iter()
                .flat_map(|a| &a.coverage)
                .filter(|c| c.status != crate::snapshot::CoverageStatus::Ok)
                .count();
            eprintln!(
                "wrote {}: {} accounts, {} resources, {unread} parts not read",
                args.output.display(),
                snapshot.accounts.len(),
                snapshot.resource_count()
            );
            Ok(ExitCode::from(exit::OK))
        }
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
    let terraform = terraform_states(&args.report, &AwsOptions::default())?;
    report(
        &snapshot,
        &config,
        &catalogue,
        &compiled,
        &args.report,
        terraform.as_ref(),
    )
}

/// Evaluates, applies suppressions, writes the report; the exit code.
fn report(
    snapshot: &Snapshot,
    config: &Config,
    catalogue: &Catalogue,
    compiled: &crate::engine::CompiledRules,
    args: &ReportArgs,
    terraform: Option<&Terraform>,
) -> Result<ExitCode> {
    let roles = config.assign_roles(snapshot);
    let drift = terraform
        .map(|t| compute_drift(snapshot, &t.states, t.errors.clone(), &config.drift).input());
    let mut evaluation = compiled.evaluate_with(snapshot, &roles, drift.as_ref())?;
    let locations = terraform.map(|t| &t.locations);
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
        fail_on: args.fail_on.severity(),
        suppressed: &outcome.suppressed,
        notes: &outcome.notes,
        locations,
    };
    let category = args
        .category
        .clone()
        .unwrap_or_else(|| default_category(snapshot));
    emit(args, &report, &category)?;
    Ok(ExitCode::from(if args.strict && report.incomplete() {
        exit::INCOMPLETE
    } else if report.failed() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// Validates the collection flags (over the config's settings) into options.
fn collect_options(args: &CollectionArgs, config: &Config) -> Result<CollectOptions> {
    let c = &config.collect;
    for id in &args.accounts {
        if !is_account_id(id) {
            bail!("--account {id:?} is not a 12-digit account id");
        }
    }
    let accounts = if args.org {
        Accounts::Organization
    } else if !args.accounts.is_empty() {
        Accounts::List(args.accounts.clone())
    } else {
        Accounts::List(c.accounts.clone())
    };
    let regions = if args.regions.is_empty() {
        c.regions.clone().unwrap_or_default()
    } else {
        args.regions.clone()
    };
    let regions = if regions.is_empty() || regions.iter().any(|r| r == "all") {
        if regions.len() > 1 {
            bail!("--regions all cannot be combined with region names");
        }
        Regions::All
    } else {
        for r in &regions {
            if r == crate::snapshot::GLOBAL_REGION || !is_region(r) {
                bail!("--regions: {r:?} is not a region name (e.g. eu-central-1), or `all`");
            }
        }
        Regions::List(regions)
    };
    let role_name = args
        .role_name
        .clone()
        .or_else(|| c.role_name.clone())
        .unwrap_or_else(|| AwsOptions::default().role_name);
    if !is_iam_name(&role_name) {
        bail!("--role-name {role_name:?} is not an IAM role name");
    }
    let concurrency = args.concurrency.or(c.concurrency).unwrap_or(32);
    if !(1..=1024).contains(&concurrency) {
        bail!("--concurrency {concurrency} is not between 1 and 1024");
    }
    Ok(CollectOptions {
        aws: AwsOptions {
            endpoint_url: args.endpoint_url.clone(),
            role_name,
            external_id: args.external_id.clone().or_else(|| c.external_id.clone()),
            ..AwsOptions::default()
        },
        accounts,
        regions,
        concurrency,
        progress: args.verbose == 0 && std::io::stderr().is_terminal(),
    })
}

/// `path`, else `./archaudit.toml` if present, else the default config.
fn load_config(path: Option<&std::path::Path>) -> Result<Config> {
    match path {
        Some(path) => Config::load(path),
        None => {
            let default = std::path::Path::new("archaudit.toml");
            if default.is_file() {
                Config::load(default)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// Runs a collection on a fresh tokio runtime.
fn collect(options: &CollectOptions, verbose: u8) -> Result<Snapshot> {
    init_logging(verbose);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let log = Arc::new(CallLog::default());
    let snapshot = runtime.block_on(crate::collect::collect(options, log.clone()))?;
    tracing::info!(
        calls = log.calls(),
        errors = log.errors(),
        "collection done"
    );
    Ok(snapshot)
}

fn init_logging(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let filter = match verbose {
        1 => "archaudit=info",
        _ => "archaudit=debug,aws_smithy_runtime=debug,aws_config=debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .try_init();
}

/// The states given with `--tfstate`, those that could not be read, and
/// where each resource is declared.
struct Terraform {
    states: Vec<State>,
    /// One message per state that could not be read, naming it.
    errors: Vec<String>,
    locations: Locations,
}

/// Reads the `--tfstate` states (`None` without any). A state that cannot be
/// read is a warning and an error entry: the audit goes on without it. States
/// named `s3://bucket/key` are read through the S3 API with `aws`.
fn terraform_states(args: &ReportArgs, aws: &AwsOptions) -> Result<Option<Terraform>> {
    if args.tfstate.is_empty() {
        return Ok(None);
    }
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let parse = |bytes: &[u8], origin: &str| parse_state_keeping(bytes, origin, &keep_attribute);
    let mut states = Vec::new();
    let mut errors = Vec::new();
    let specs: Vec<String> = args
        .tfstate
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let remote: Vec<&String> = specs.iter().filter(|p| is_s3_uri(p)).collect();
    if !remote.is_empty() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        runtime.block_on(async {
            let config = crate::aws::base_config(aws).await;
            for uri in remote {
                match fetch_s3(uri, &config).await.and_then(|b| parse(&b, uri)) {
                    Ok(state) => states.push(state),
                    Err(e) => errors.push(format!("{e:#}")),
                }
            }
        });
    }
    for spec in specs.iter().filter(|p| !is_s3_uri(p)) {
        let paths = match expand_state_glob(spec, &root) {
            Ok(paths) => paths,
            Err(e) => {
                errors.push(format!("{e:#}"));
                continue;
            }
        };
        for path in paths {
            let origin = path.display().to_string();
            let read = std::fs::read(root.join(&path))
                .with_context(|| format!("{origin}: cannot read Terraform state"));
            match read.and_then(|bytes| parse(&bytes, &origin)) {
                Ok(state) => states.push(state),
                Err(e) => errors.push(format!("{e:#}")),
            }
        }
    }
    for e in &errors {
        eprintln!("warning: {e}: drift from this state is not evaluated");
    }
    let sources = Sources::scan(&args.tf_dir, &root)?;
    let locations = Locations::new(&states, &sources);
    for state in locations.unresolved_states() {
        eprintln!(
            "warning: no --tf-dir declares the resources of state {state}: its findings point at the rule files"
        );
    }
    Ok(Some(Terraform {
        states,
        errors,
        locations,
    }))
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
