//! `archaudit collect`: a snapshot only, to a file or S3 (one shard of it with
//! `--shard`); and the collection `audit` runs too.

use super::args::{load_config, CollectionArgs};
use super::exit;
use super::pipeline::Output;
use crate::aws::AwsOptions;
use crate::collect::{Accounts, CallLog, CollectOptions, Regions};
use crate::config::{values, Config};
use crate::snapshot::{encode_snapshot, CoverageStatus, Shard, Snapshot};
use crate::store;
use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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

pub(super) fn run(args: CollectArgs) -> Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let mut options = options(&args.collect, &config)?;
    options.shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let output = Output::new(
        Some(&args.output),
        args.sse_kms_key_id.as_deref(),
        options.aws.clone(),
    )?;
    let snapshot = collect(&options, args.collect.verbose)?;
    let bytes = encode_snapshot(&snapshot, &args.output)?;
    store::write(
        &args.output,
        bytes,
        &output.aws,
        &output.encryption,
        "snapshot",
    )?;
    let unread = snapshot
        .accounts
        .iter()
        .flat_map(|a| &a.coverage)
        .filter(|c| c.status != CoverageStatus::Ok)
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

/// What to collect: the flags, else the config's settings, each checked once.
pub(super) fn options(args: &CollectionArgs, config: &Config) -> Result<CollectOptions> {
    let c = &config.collect;
    for id in &args.accounts {
        values::account_id(id).map_err(|e| anyhow!("--account {e}"))?;
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
        for r in &args.regions {
            values::region_to_read(r).map_err(|e| anyhow!("--regions: {e}"))?;
        }
        args.regions.clone()
    };
    let regions = if regions.is_empty() || regions.iter().any(|r| r == "all") {
        if regions.len() > 1 {
            bail!("--regions all cannot be combined with region names");
        }
        Regions::All
    } else {
        Regions::List(regions)
    };
    let assumed_role = match &args.assumed_role {
        Some(name) => values::assumed_role_name(name).map_err(|e| anyhow!("--role-name {e}"))?,
        None => c
            .assumed_role
            .clone()
            .unwrap_or_else(|| AwsOptions::default().assumed_role),
    };
    let concurrency = match args.concurrency {
        Some(n) => values::concurrency(n as i128).map_err(|e| anyhow!("--concurrency {e}"))?,
        None => c.concurrency.unwrap_or(values::DEFAULT_CONCURRENCY),
    };
    Ok(CollectOptions {
        aws: AwsOptions {
            endpoint_url: args.endpoint_url.clone(),
            assumed_role,
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

/// Runs a collection on a fresh tokio runtime.
pub(super) fn collect(options: &CollectOptions, verbose: u8) -> Result<Snapshot> {
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
        throttled = log.throttled(),
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
