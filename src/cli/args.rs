//! The flag groups several commands share: what to collect, how to report,
//! which rules and config.

use crate::config::Config;
use crate::limits::parse_size;
use crate::report::Format;
use crate::severity::Severity;
use anyhow::Result;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

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
    #[arg(long = "role-name", value_name = "NAME")]
    pub assumed_role: Option<String>,
    /// External id for the assumed role
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Regions, comma-separated, or `all` for each account's enabled regions [default: all]
    #[arg(long, value_delimiter = ',', value_name = "REGIONS")]
    pub regions: Vec<String>,
    /// Send every AWS call to this AWS-compatible endpoint (AWS_ENDPOINT_URL works too)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// AWS calls in flight at once over the whole run (the runner's sockets and memory); each
    /// account gets at most 16 of them, and each (account, region, service) a window that halves
    /// when AWS throttles it; a quarter as many accounts are read at once [default: 256]
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Log to stderr (-v: progress of each account and service, -vv: every AWS call)
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
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

/// The `--fail-on` threshold: the flag, else `high` unless `--fail-on-new` gates instead.
pub(super) fn fail_on(fail_on: Option<FailOn>, fail_on_new: Option<FailOn>) -> Option<Severity> {
    match (fail_on, fail_on_new) {
        (Some(f), _) => f.severity(),
        (None, Some(_)) => None,
        (None, None) => Some(Severity::High),
    }
}

/// `path`, else `./archaudit.toml` if present, else the default config.
pub(super) fn load_config(path: Option<&std::path::Path>) -> Result<Config> {
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
