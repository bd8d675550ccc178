//! `archaudit audit`: collect, evaluate, report in one run.

use super::args::{CatalogueArgs, CollectionArgs, ReportArgs};
use super::collect::{collect, options};
use super::pipeline::{Output, Pipeline, ReportInputs, Subject};
use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(flatten)]
    pub collect: CollectionArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

pub(super) fn run(args: AuditArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::start(&args.rules)?;
    let options = options(&args.collect, &pipeline.config)?;
    let output = Output::new(
        args.report.output.as_deref(),
        args.report.sse_kms_key_id.as_deref(),
        options.aws.clone(),
    )?;
    // States and the baseline are read first: a bad one shows before a long collection.
    let inputs = ReportInputs::read(&args.report, &options.aws)?;
    let snapshot = collect(&options, args.collect.verbose)?;
    pipeline.report(Subject::Whole(snapshot), &args.report, inputs, &output)
}
