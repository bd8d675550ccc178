//! `archaudit check`: evaluate saved snapshots (merging shards), offline.

use super::args::{CatalogueArgs, ReportArgs};
use super::pipeline::{Output, Pipeline, ReportInputs, Subject};
use crate::aws::AwsOptions;
use crate::report::Format;
use crate::snapshot::{load_whole, SnapshotStream};
use crate::store::snapshot_sources;
use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

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

pub(super) fn run(args: CheckArgs) -> Result<ExitCode> {
    // The rules compile while the snapshot's first pass reads its outline:
    // each is a few tenths of a second of one core.
    let (pipeline, rest) = std::thread::scope(|scope| {
        let pipeline = scope.spawn(|| Pipeline::start(&args.rules));
        let rest = open(&args);
        let pipeline = pipeline
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (pipeline, rest)
    });
    // The rules' and config's errors first, as when they were read first.
    let pipeline = pipeline?;
    let (output, subject, aws) = rest?;
    let inputs = ReportInputs::read(&args.report, &aws)?;
    pipeline.report(subject, &args.report, inputs, &output)
}

/// The report's output, and the snapshots: streamed unless the report needs
/// them whole.
fn open(args: &CheckArgs) -> Result<(Output, Subject, AwsOptions)> {
    let aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let output = Output::new(
        args.report.output.as_deref(),
        args.report.sse_kms_key_id.as_deref(),
        aws.clone(),
    )?;
    let max = args.report.max_input_size;
    let sources = snapshot_sources(&args.snapshots, &aws, max)?;
    // Read one account at a time unless the report needs the snapshot whole:
    // memory then grows with the largest accounts, not the organization.
    let report = &args.report;
    let subject = if report.tfstate.is_empty()
        && report.baseline.is_none()
        && report.format != Format::Html
    {
        Subject::Streamed(SnapshotStream::open(sources, max)?)
    } else {
        Subject::Whole(load_whole(&sources, max)?)
    };
    Ok((output, subject, aws))
}
