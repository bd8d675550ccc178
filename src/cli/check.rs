//! `archaudit check`: evaluate saved snapshots (merging shards), offline.

use super::args::{CatalogueArgs, ReportArgs};
use super::pipeline::{Output, Pipeline, ReportInputs};
use crate::aws::AwsOptions;
use crate::store::load_snapshot_inputs;
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
    let pipeline = Pipeline::start(&args.rules)?;
    let aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let output = Output::new(
        args.report.output.as_deref(),
        args.report.sse_kms_key_id.as_deref(),
        aws.clone(),
    )?;
    let snapshot = load_snapshot_inputs(&args.snapshots, &aws, args.report.max_input_size)?;
    let inputs = ReportInputs::read(&args.report, &aws)?;
    pipeline.report(snapshot, &args.report, inputs, &output)
}
