//! Command-line definitions (clap) and the wiring of the stages:
//! load snapshots -> compile rules -> evaluate -> report -> exit code.

use crate::aws::AwsOptions;
use crate::collect::{policy, Accounts, CallLog, CollectOptions, Regions};
use crate::config::{is_account_id, is_iam_name, is_region, Config};
use crate::drift::imports::import_files;
use crate::drift::terraform::{compute as compute_drift, keep_attribute, Drift};
use crate::drift::{diff_snapshots, parse_input, FindingsDiff, Input, RunFindings};
use crate::engine::suppress::SuppressionNote;
use crate::engine::{
    suppress, Catalogue, CompiledRules, Evaluation, Finding, Severity, StateError, Suppressed,
};
use crate::limits::{is_too_large, parse_size};
use crate::report::escape::error_line;
use crate::report::{
    explain, render_catalogue, sarif_category, write_diff_html, write_diff_json,
    write_diff_markdown, write_diff_table, Baseline, CatalogueFormat, DiffReport, HtmlReporter,
    JsonReporter, MarkdownReporter, Report, Reporter, SarifReporter, TableReporter,
};
use crate::snapshot::{encode_snapshot, Shard, Snapshot};
use crate::store::{self, is_s3_uri, load_snapshot_inputs, Encryption};
use crate::terraform::state::parse_state_keeping;
use crate::terraform::{expand_state_glob, Locations, Sources, State};
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
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
    /// Collect a snapshot only (JSON, or zstd-compressed JSON when the name ends in .zst), to a file or S3
    Collect(CollectArgs),
    /// Evaluate the rules over saved snapshots (files, S3 objects or S3 prefixes), merging shards
    Check(CheckArgs),
    /// What changed between two runs: resources added, removed and changed field by field, and
    /// findings new, updated, unchanged and resolved
    Diff(DiffArgs),
    /// List the rule catalogue
    Rules(RulesArgs),
    /// Show one rule's documentation: what it checks, why, how to fix it
    Explain(ExplainArgs),
    /// Print the least-privilege IAM policy (JSON) the audit needs in each member account
    /// (--runner: the policy of the identity that runs the audit)
    #[command(
        long_about = "Print an IAM policy document (JSON) that allows exactly the AWS calls archaudit makes.\n\n\
            Without --runner: the read-only policy of the role assumed in each audited account \
            (--role-name of `audit`/`collect`): every List, Describe and Get action the collectors \
            call, sorted, on `Resource: \"*\"` (those calls take no resource-level permissions). \
            Nothing that returns a secret value is in it.\n\n\
            With --runner: the policy of the identity that runs the audit (an IRSA role, a CI role): \
            Organizations DescribeOrganization, ListAccounts and ListTagsForResource (for --org), \
            sts:AssumeRole on that role in every account, and with --bucket read and write on the \
            bucket of snapshots and reports. The runner's own account is read with its own \
            credentials, without assuming a role: attach the member policy to the runner too.",
        after_help = "Examples:\n  archaudit policy > member-audit-policy.json\n  \
            archaudit policy --runner --role-name ArchauditAudit --bucket acme-archaudit-reports"
    )]
    Policy(PolicyArgs),
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
    /// Where to write the snapshot (`.json`, or `.json.zst` compressed): a file or
    /// s3://BUCKET/KEY (written with server-side encryption)
    #[arg(long, short, value_name = "FILE|S3-URI")]
    pub output: String,
    /// Collect only shard I of N (zero-based: 0/N .. N-1/N, e.g. a Kubernetes Indexed
    /// Job's `--shard $(JOB_COMPLETION_INDEX)/N`). Accounts are split by a stable hash of
    /// the account id; `check` merges the N snapshots and reports missing shards
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// SSE-KMS key (id, ARN or alias) for an s3:// --output [default: SSE-S3, AES256]
    #[arg(long, value_name = "KEY")]
    pub sse_kms_key_id: Option<String>,
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
    /// Snapshots to evaluate: files, s3://BUCKET/KEY objects, or s3://BUCKET/PREFIX/ (every
    /// *.json and *.json.zst object directly under the prefix). Several are merged as shards
    /// of one organization; a missing shard is a coverage gap (exit 3 with --strict)
    #[arg(required = true, value_name = "SNAPSHOT|S3-URI")]
    pub snapshots: Vec<String>,
    /// Send S3 calls (s3:// snapshots, --tfstate, --output) to this AWS-compatible endpoint
    /// (AWS_ENDPOINT_URL works too)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier run: a snapshot (`.json`, `.json.zst`) or an archaudit JSON report; a file,
    /// an `s3://` object, or an `s3://bucket/prefix/` of shards
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The later run, in the same forms. Resources are compared when both are snapshots;
    /// findings always
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Report format (SARIF carries `baselineState`, with resolved findings as `absent`)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE or s3://BUCKET/KEY instead of standard output
    #[arg(long, short, value_name = "FILE|S3-URI")]
    pub output: Option<String>,
    /// Send S3 reads and writes to this AWS-compatible endpoint (AWS_ENDPOINT_URL works too)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Exit 1 when a finding of NEW has this severity or above
    /// [default: high; none when --fail-on-new is given]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Exit 1 when a finding new in NEW has this severity or above
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on_new: Option<FailOn>,
    /// Exit 3 when NEW is incomplete (something could not be read)
    #[arg(long)]
    pub strict: bool,
    /// Largest snapshot or report accepted, decompressed (e.g. 512MiB, 4GiB)
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "2GiB")]
    pub max_input_size: u64,
    /// SARIF category (`automationDetails.id`) [default: archaudit/<organization id>/]
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

/// The `--fail-on` threshold: the flag, else `high` unless `--fail-on-new` gates instead.
fn fail_on(fail_on: Option<FailOn>, fail_on_new: Option<FailOn>) -> Option<Severity> {
    match (fail_on, fail_on_new) {
        (Some(f), _) => f.severity(),
        (None, Some(_)) => None,
        (None, None) => Some(Severity::High),
    }
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to a file or s3://BUCKET/KEY (written with server-side encryption)
    /// instead of standard output
    #[arg(long, short, value_name = "FILE|S3-URI")]
    pub output: Option<String>,
    /// SSE-KMS key (id, ARN or alias) for an s3:// --output [default: SSE-S3, AES256]
    #[arg(long, value_name = "KEY")]
    pub sse_kms_key_id: Option<String>,
    /// Exit 1 when a finding of this severity or above exists
    /// [default: high; none when --fail-on-new is given]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// An earlier run to compare with: a snapshot (evaluated again with today's rules and
    /// config) or an archaudit JSON report. Each finding is marked new, updated or unchanged,
    /// and the baseline's findings no longer found are listed as resolved
    /// (a file, an `s3://` object, or an `s3://bucket/prefix/` of shards)
    #[arg(long, value_name = "SNAPSHOT|REPORT")]
    pub baseline: Option<String>,
    /// Exit 1 when a finding that is new since --baseline has this severity or above
    /// (the baseline's findings do not fail the run)
    #[arg(long, value_enum, value_name = "SEVERITY", requires = "baseline")]
    pub fail_on_new: Option<FailOn>,
    /// Exit 3 when the audit is incomplete (something could not be read, so some rules were not evaluated)
    #[arg(long)]
    pub strict: bool,
    /// List suppressed findings in the table too (they are always counted, and always in JSON)
    #[arg(long)]
    pub show_suppressed: bool,
    /// Largest snapshot, report or Terraform state accepted, decompressed (e.g. 512MiB, 4GiB)
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "2GiB")]
    pub max_input_size: u64,
    /// Terraform root directory (repeatable): SARIF and Markdown put each finding on the
    /// `resource` block that declares it (needs --tfstate)
    #[arg(long, value_name = "DIR", requires = "tfstate")]
    pub tf_dir: Vec<PathBuf>,
    /// Terraform state (v4): a file, a glob (`states/**/*.tfstate`) or s3://BUCKET/KEY
    /// (repeatable). Runs the drift rules (TFD: unmanaged, missing, changed); a state that
    /// cannot be read is reported and its drift not evaluated
    #[arg(long, value_name = "FILE|GLOB|S3-URI")]
    pub tfstate: Vec<String>,
    /// Write Terraform 1.5+ `import` blocks for the unmanaged resources (TFD001 findings)
    /// to DIR, one file per account (`import-<account id>.tf`), ready for
    /// `terraform plan -generate-config-out=generated.tf` (needs --tfstate)
    #[arg(long, value_name = "DIR", requires = "tfstate")]
    pub import_blocks: Option<PathBuf>,
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
    /// Longest one rule may run over one account; a rule that takes longer is reported
    /// as not evaluated there (a coverage gap naming it)
    #[arg(long, value_name = "SECONDS", default_value_t = crate::engine::limits::DEFAULT_RULE_TIME_LIMIT.as_secs_f64(), value_parser = parse_seconds)]
    pub rule_time_limit: f64,
}

/// A positive number of seconds, at most a day.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err(format!(
            "{text:?}: expected seconds, more than 0 and at most 86400"
        )),
    }
}

impl CatalogueArgs {
    /// The config given, else `./archaudit.toml` if present, else none.
    pub fn config(&self) -> Result<Config> {
        load_config(self.config.as_deref())
    }

    /// The catalogue with the user's rules added and the config's selection applied.
    pub fn catalogue(&self, config: &Config) -> Result<Catalogue> {
        let mut catalogue = Catalogue::load(&self.rules_dir)?;
        catalogue.limits.time = std::time::Duration::from_secs_f64(self.rule_time_limit);
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

#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// Print the policy of the identity that runs the audit instead of the member role's
    #[arg(long)]
    pub runner: bool,
    /// The role assumed in each member account [default: OrganizationAccountAccessRole]
    #[arg(long, value_name = "NAME", requires = "runner")]
    pub role_name: Option<String>,
    /// The S3 bucket of snapshots and reports (`s3://` inputs and outputs), read and written
    #[arg(long, value_name = "BUCKET", requires = "runner")]
    pub bucket: Option<String>,
    /// The partition the ARNs name (aws, aws-cn, aws-us-gov) [default: aws]
    #[arg(long, value_name = "PARTITION", requires = "runner")]
    pub partition: Option<String>,
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
    /// One self-contained HTML page (no network): the organization against the
    /// reference, a heat map, coverage, drift and filterable findings
    Html,
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
            let output =
                output_options(args.report.output.as_deref(), &args.report.sse_kms_key_id)?;
            // States and the baseline are read first: a bad one shows before a long collection.
            let terraform = terraform_states(&args.report, &options.aws)?;
            let baseline = load_baseline(&args.report, &options.aws)?;
            let snapshot = collect(&options, args.collect.verbose)?;
            report(
                snapshot,
                &config,
                &catalogue,
                &compiled,
                &args.report,
                terraform.as_ref(),
                baseline,
                &options.aws,
                &output,
            )
        }
        Command::Collect(args) => {
            let config = load_config(args.config.as_deref())?;
            let mut options = collect_options(&args.collect, &config)?;
            options.shard = args.shard.as_deref().map(Shard::parse).transpose()?;
            let encryption = output_options(Some(&args.output), &args.sse_kms_key_id)?;
            let snapshot = collect(&options, args.collect.verbose)?;
            let bytes = encode_snapshot(&snapshot, &args.output)?;
            store::write(&args.output, bytes, &options.aws, &encryption, "snapshot")?;
            let unread = snapshot
                .accounts
                .iter()
                .flat_map(|a| &a.coverage)
                .filter(|c| c.status != crate::snapshot::CoverageStatus::Ok)
                .count();
            let shard = match &snapshot.shard {
                Some(s) => format!(
                    "shard {}/{} ({} of {} accounts): ",
                    s.index,
                    s.count,
                    snapshot.accounts.len(),
                    s.all_accounts.len()
                ),
                None => String::new(),
            };
            eprintln!(
                "wrote {}: {shard}{} accounts, {} resources, {unread} parts not read",
                args.output,
                snapshot.accounts.len(),
                snapshot.resource_count()
            );
            Ok(ExitCode::from(exit::OK))
        }
        Command::Check(args) => check(args),
        Command::Diff(args) => diff(args),
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
        Command::Policy(args) => {
            let policy = policy_document(&args)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", serde_json::to_string_pretty(&policy)?)?;
            out.flush()?;
            Ok(ExitCode::from(exit::OK))
        }
    }
}

/// The member policy, or with `--runner` the runner's, from validated flags.
fn policy_document(args: &PolicyArgs) -> Result<serde_json::Value> {
    if !args.runner {
        return Ok(policy::member_policy());
    }
    let role_name = args
        .role_name
        .clone()
        .unwrap_or_else(|| AwsOptions::default().role_name);
    if !is_iam_name(&role_name) {
        bail!("--role-name {role_name:?} is not an IAM role name");
    }
    if let Some(bucket) = &args.bucket {
        if !policy::is_bucket_name(bucket) {
            bail!("--bucket {bucket:?} is not an S3 bucket name (a name, not an s3:// URI)");
        }
    }
    let partition = args.partition.clone().unwrap_or_else(|| "aws".to_string());
    if !policy::PARTITIONS.contains(&partition.as_str()) {
        bail!(
            "--partition {partition:?} is not one of {}",
            policy::PARTITIONS.join(", ")
        );
    }
    Ok(policy::RunnerPolicy {
        role_name,
        bucket: args.bucket.clone(),
        partition,
    }
    .policy())
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let config = args.rules.config()?;
    let catalogue = args.rules.catalogue(&config)?;
    let compiled = catalogue.compile()?;
    let aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let output = output_options(args.report.output.as_deref(), &args.report.sse_kms_key_id)?;
    let snapshot = load_snapshot_inputs(&args.snapshots, &aws, args.report.max_input_size)?;
    let terraform = terraform_states(&args.report, &aws)?;
    let baseline = load_baseline(&args.report, &aws)?;
    report(
        snapshot,
        &config,
        &catalogue,
        &compiled,
        &args.report,
        terraform.as_ref(),
        baseline,
        &aws,
        &output,
    )
}

/// The encryption of an s3:// `--output`; `--sse-kms-key-id` needs one.
fn output_options(output: Option<&str>, kms_key: &Option<String>) -> Result<Encryption> {
    if kms_key.is_some() && !output.is_some_and(is_s3_uri) {
        bail!("--sse-kms-key-id applies to an s3:// --output only");
    }
    Ok(Encryption::from_kms_key(kms_key.as_deref()))
}

/// One run's findings: evaluated, with suppressions applied.
struct Run {
    generated_at: String,
    evaluation: Evaluation,
    suppressed: Vec<Suppressed>,
    notes: Vec<SuppressionNote>,
    snapshot: Option<Snapshot>,
    /// Drift from the `--tfstate` states, when given.
    drift: Option<Drift>,
}

impl Run {
    /// Evaluates a snapshot; with `terraform`, the drift rules too.
    fn evaluate(
        snapshot: Snapshot,
        config: &Config,
        compiled: &CompiledRules,
        terraform: Option<&Terraform>,
    ) -> Result<Run> {
        let roles = config.assign_roles(&snapshot);
        let drift =
            terraform.map(|t| compute_drift(&snapshot, &t.states, t.errors.clone(), &config.drift));
        let input = drift.as_ref().map(Drift::input);
        let mut evaluation = compiled.evaluate_with(&snapshot, &roles, input.as_ref())?;
        let today = jiff::Zoned::now().date();
        let outcome = suppress::apply(
            std::mem::take(&mut evaluation.findings),
            &config.suppressions,
            today,
        );
        evaluation.findings = outcome.findings;
        Ok(Run {
            generated_at: snapshot.generated_at.clone(),
            evaluation,
            suppressed: outcome.suppressed,
            notes: outcome.notes,
            snapshot: Some(snapshot),
            drift,
        })
    }

    /// A snapshot (evaluated now) or a JSON report (its findings as they were).
    fn load(
        spec: &str,
        aws: &AwsOptions,
        max_bytes: u64,
        config: &Config,
        compiled: &CompiledRules,
    ) -> Result<Run> {
        Run::from_input(read_input(spec, aws, max_bytes)?, config, compiled, None)
    }

    fn from_input(
        input: Input,
        config: &Config,
        compiled: &CompiledRules,
        terraform: Option<&Terraform>,
    ) -> Result<Run> {
        match input {
            Input::Snapshot(snapshot) => Run::evaluate(snapshot, config, compiled, terraform),
            Input::Report(run) => Ok(Run {
                generated_at: run.generated_at,
                evaluation: run.evaluation,
                suppressed: run.suppressed,
                notes: Vec::new(),
                snapshot: None,
                drift: None,
            }),
        }
    }

    fn findings(&self) -> RunFindings {
        RunFindings::new(&self.evaluation, &self.suppressed)
    }
}

/// Evaluates, applies suppressions, compares with `--baseline`, writes the
/// report; the exit code.
#[allow(clippy::too_many_arguments)]
fn report(
    snapshot: Snapshot,
    config: &Config,
    catalogue: &Catalogue,
    compiled: &CompiledRules,
    args: &ReportArgs,
    terraform: Option<&Terraform>,
    baseline: Option<(String, Input)>,
    aws: &AwsOptions,
    encryption: &Encryption,
) -> Result<ExitCode> {
    let category = args
        .category
        .clone()
        .unwrap_or_else(|| default_category(&snapshot));
    let run = Run::evaluate(snapshot, config, compiled, terraform)?;
    let locations = terraform.map(|t| &t.locations);
    let mut resources = None;
    let baseline = match baseline {
        Some((source, input)) => {
            // The baseline is held against the same states.
            let old = Run::from_input(input, config, compiled, terraform)?;
            if let (Format::Html, Some(a), Some(b)) = (args.format, &old.snapshot, &run.snapshot) {
                resources = Some(diff_snapshots(a, b)?);
            }
            Some(Baseline::new(
                source,
                FindingsDiff::compare(&old.findings(), &run.findings()),
                args.fail_on_new.and_then(FailOn::severity),
            ))
        }
        None => None,
    };
    let report = Report {
        evaluation: &run.evaluation,
        rules: &catalogue.rules,
        generated_at: &run.generated_at,
        fail_on: fail_on(args.fail_on, args.fail_on_new),
        suppressed: &run.suppressed,
        notes: &run.notes,
        locations,
        baseline: baseline.as_ref(),
    };
    let mut reporter = reporter(
        args.format,
        args.output.is_none(),
        args.show_suppressed,
        &category,
        run.snapshot.as_ref(),
        resources,
    );
    write_report(args.output.as_deref(), aws, encryption, |out| {
        reporter.emit(out, &report)
    })?;
    if let (Some(dir), Some(drift)) = (&args.import_blocks, &run.drift) {
        write_import_blocks(dir, drift, &run.evaluation.findings)?;
    }
    Ok(exit_code(&report, args.strict))
}

/// `--import-blocks DIR`: one file of `import` blocks per account.
fn write_import_blocks(dir: &Path, drift: &Drift, findings: &[Finding]) -> Result<()> {
    let files = import_files(drift, findings);
    if files.is_empty() {
        eprintln!(
            "warning: no import blocks written to {}: a Terraform state could not be read, so \
             unmanaged resources are not known",
            dir.display()
        );
        return Ok(());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    for file in &files {
        let path = dir.join(&file.file_name);
        std::fs::write(&path, &file.text)
            .with_context(|| format!("{}: cannot write import blocks", path.display()))?;
    }
    let blocks: usize = files.iter().map(|f| f.blocks).sum();
    eprintln!(
        "{blocks} import block(s) for {} account(s) written to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}

fn exit_code(report: &Report, strict: bool) -> ExitCode {
    ExitCode::from(if strict && report.incomplete() {
        exit::INCOMPLETE
    } else if report.failed() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// Reads a snapshot or JSON report: a file, an `s3://` object, or the shards
/// under an `s3://bucket/prefix/` (merged).
fn read_input(spec: &str, aws: &AwsOptions, max_bytes: u64) -> Result<Input> {
    if is_s3_uri(spec) && spec.ends_with('/') {
        return Ok(Input::Snapshot(load_snapshot_inputs(
            &[spec.to_string()],
            aws,
            max_bytes,
        )?));
    }
    let bytes = store::read(spec, aws, "snapshot or report", max_bytes)?;
    parse_input(&bytes, spec, max_bytes)
}

/// The `--baseline` run, read (and checked) before anything is collected.
fn load_baseline(args: &ReportArgs, aws: &AwsOptions) -> Result<Option<(String, Input)>> {
    args.baseline
        .as_deref()
        .map(|spec| {
            Ok((
                spec.to_string(),
                read_input(spec, aws, args.max_input_size)?,
            ))
        })
        .transpose()
}

/// `archaudit diff OLD NEW`.
fn diff(args: DiffArgs) -> Result<ExitCode> {
    let config = args.rules.config()?;
    let catalogue = args.rules.catalogue(&config)?;
    let compiled = catalogue.compile()?;
    let aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let old = Run::load(&args.old, &aws, args.max_input_size, &config, &compiled)?;
    let new = Run::load(&args.new, &aws, args.max_input_size, &config, &compiled)?;
    let resources = match (&old.snapshot, &new.snapshot) {
        (Some(a), Some(b)) => Some(diff_snapshots(a, b)?),
        _ => None,
    };
    let baseline = Baseline::new(
        args.old.clone(),
        FindingsDiff::compare(&old.findings(), &new.findings()),
        args.fail_on_new.and_then(FailOn::severity),
    );
    let report = Report {
        evaluation: &new.evaluation,
        rules: &catalogue.rules,
        generated_at: &new.generated_at,
        fail_on: fail_on(args.fail_on, args.fail_on_new),
        suppressed: &new.suppressed,
        notes: &new.notes,
        locations: None,
        baseline: Some(&baseline),
    };
    let diff = DiffReport {
        report: &report,
        old_source: &baseline.source,
        old_generated_at: &old.generated_at,
        new_source: &args.new,
        resources: resources.as_ref(),
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let encryption = Encryption::from_kms_key(None);
    write_report(
        args.output.as_deref(),
        &aws,
        &encryption,
        |out| match args.format {
            Format::Table => write_diff_table(out, &diff, to_terminal),
            Format::Markdown => write_diff_markdown(out, &diff),
            Format::Json => write_diff_json(out, &diff),
            Format::Html => write_diff_html(out, &diff, new.snapshot.as_ref()),
            Format::Sarif => {
                let category = match (&args.category, &new.snapshot) {
                    (Some(c), _) => c.clone(),
                    (None, Some(s)) => default_category(s),
                    (None, None) => sarif_category("accounts"),
                };
                let mut reporter = SarifReporter::new(category);
                reporter.with_absent = true;
                reporter.emit(out, &report)
            }
        },
    )?;
    Ok(exit_code(&report, args.strict))
}

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
        shard: None,
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
    let mut snapshot = runtime.block_on(crate::collect::collect(options, log.clone()))?;
    // What an endpoint answered is checked like a loaded file.
    crate::snapshot::validate(&mut snapshot, "the collected snapshot")?;
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
    /// One error per state that could not be read, naming it.
    errors: Vec<StateError>,
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
    let failed = |e: anyhow::Error| StateError {
        class: store::error_class(&e),
        message: format!("{e:#}"),
    };
    for spec in &args.tfstate {
        let paths = if is_s3_uri(spec) {
            vec![spec.clone()]
        } else {
            match expand_state_glob(spec, &root) {
                Ok(paths) => paths.iter().map(|p| p.display().to_string()).collect(),
                Err(e) => {
                    errors.push(failed(e));
                    continue;
                }
            }
        };
        for path in paths {
            match store::read(&path, aws, "Terraform state", args.max_input_size)
                .and_then(|bytes| parse(&bytes, &path))
            {
                Ok(state) => states.push(state),
                Err(e) if is_too_large(&e) => return Err(e),
                Err(e) => errors.push(failed(e)),
            }
        }
    }
    for e in &errors {
        let warning = format!("{}: drift from this state is not evaluated", e.message);
        eprintln!("warning: {}", error_line(&warning));
    }
    let sources = Sources::scan(&args.tf_dir, &root)?;
    for w in sources.warnings() {
        eprintln!("warning: {w}");
    }
    let locations = Locations::new(&states, &sources);
    for state in locations.unresolved_states() {
        eprintln!(
            "warning: no --tf-dir declares the resources of state {}: its findings point at the rule files",
            error_line(state)
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

/// The reporter of a format. `to_stdout`: colour and wrap when that is a terminal.
/// HTML draws the organization from `snapshot` and shows the `resources`
/// changed since the baseline.
fn reporter(
    format: Format,
    to_stdout: bool,
    show_suppressed: bool,
    category: &str,
    snapshot: Option<&Snapshot>,
    resources: Option<crate::drift::ResourceDiff>,
) -> Box<dyn Reporter> {
    match format {
        Format::Table => Box::new(TableReporter {
            terminal: to_stdout && std::io::stdout().is_terminal(),
            show_suppressed,
        }),
        Format::Json => Box::new(JsonReporter),
        Format::Sarif => Box::new(SarifReporter::new(category)),
        Format::Markdown => Box::new(MarkdownReporter),
        Format::Html => {
            Box::new(HtmlReporter::new(snapshot, show_suppressed).with_resources(resources))
        }
    }
}

/// Writes a report to `output` (a file or an S3 object, encrypted as
/// `encryption` says), or to standard output.
fn write_report(
    output: Option<&str>,
    aws: &AwsOptions,
    encryption: &Encryption,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match output {
        Some(spec) => {
            let mut buffer = Vec::new();
            write(&mut buffer)?;
            store::write(spec, buffer, aws, encryption, "the report")?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}
