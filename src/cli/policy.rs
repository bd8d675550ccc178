//! `archaudit policy`: the least-privilege IAM policies the audit needs.

use super::exit;
use crate::aws::AwsOptions;
use crate::collect::policy;
use crate::config::values;
use anyhow::{anyhow, bail, Result};
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct PolicyArgs {
    /// Print the policy of the identity that runs the audit instead of the member role's
    #[arg(long)]
    pub runner: bool,
    /// The role assumed in each member account [default: OrganizationAccountAccessRole]
    #[arg(long = "role-name", value_name = "NAME", requires = "runner")]
    pub assumed_role: Option<String>,
    /// The S3 bucket of snapshots and reports (`s3://` inputs and outputs), read and written
    #[arg(long, value_name = "BUCKET", requires = "runner")]
    pub bucket: Option<String>,
    /// The partition the ARNs name (aws, aws-cn, aws-us-gov) [default: aws]
    #[arg(long, value_name = "PARTITION", requires = "runner")]
    pub partition: Option<String>,
}

pub(super) fn run(args: PolicyArgs) -> Result<ExitCode> {
    let policy = document(&args)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&policy)?)?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}

/// The member policy, or with `--runner` the runner's, from validated flags.
fn document(args: &PolicyArgs) -> Result<serde_json::Value> {
    if !args.runner {
        return Ok(policy::member_policy());
    }
    let assumed_role = match &args.assumed_role {
        Some(name) => values::assumed_role_name(name).map_err(|e| anyhow!("--role-name {e}"))?,
        None => AwsOptions::default().assumed_role,
    };
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
        assumed_role,
        bucket: args.bucket.clone(),
        partition,
    }
    .policy())
}
