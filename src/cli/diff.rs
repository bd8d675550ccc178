//! `archaudit diff OLD NEW`: what changed between two runs.

use super::args::{fail_on, CatalogueArgs, FailOn};
use super::pipeline::{category, exit_code, read_input, Output, Pipeline};
use crate::aws::AwsOptions;
use crate::history::{diff_snapshots, FindingsDiff};
use crate::limits::parse_size;
use crate::report::{reporter, Baseline, DiffReport, Format, Presentation};
use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

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

pub(super) fn run(args: DiffArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::start(&args.rules)?;
    let aws = AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let output = Output::new(args.output.as_deref(), None, aws.clone())?;
    let old = pipeline.run(read_input(&args.old, &aws, args.max_input_size)?, None)?;
    let new = pipeline.run(read_input(&args.new, &aws, args.max_input_size)?, None)?;
    let resources = match (&old.snapshot, &new.snapshot) {
        (Some(a), Some(b)) => Some(diff_snapshots(a, b)?),
        _ => None,
    };
    let baseline = Baseline::new(
        args.old.clone(),
        FindingsDiff::compare(&old.findings(), &new.findings()),
        args.fail_on_new.and_then(FailOn::severity),
    );
    let report = pipeline.report_of(
        &new,
        fail_on(args.fail_on, args.fail_on_new),
        None,
        Some(&baseline),
    );
    let diff = DiffReport {
        report: &report,
        old_source: &baseline.source,
        old_generated_at: &old.generated_at,
        new_source: &args.new,
        resources: resources.as_ref(),
    };
    let category = category(args.category.as_deref(), new.snapshot.as_ref());
    let presentation = Presentation {
        terminal: output.is_terminal(),
        show_suppressed: false,
        category,
        snapshot: new.snapshot.as_ref(),
        resources: None,
    };
    let mut reporter = reporter(args.format, presentation);
    output.write(|out| reporter.emit_diff(out, &diff))?;
    Ok(exit_code(&report, args.strict))
}
