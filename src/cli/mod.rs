//! The command line: clap definitions and one file per command, each running
//! the shared [`pipeline`] (config -> catalogue -> inputs -> evaluate ->
//! report) or its own short job (`rules`, `explain`, `policy`).

mod args;
mod audit;
mod check;
mod collect;
mod diff;
mod explain;
mod pipeline;
mod policy;
mod rules;

pub use args::{CatalogueArgs, CollectionArgs, FailOn, ReportArgs};
pub use audit::AuditArgs;
pub use check::CheckArgs;
pub use collect::CollectArgs;
pub use diff::DiffArgs;
pub use explain::ExplainArgs;
pub use policy::PolicyArgs;
pub use rules::RulesArgs;

use anyhow::Result;
use clap::{Parser, Subcommand};
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

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::Collect(args) => collect::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Policy(args) => policy::run(args),
    }
}
