//! `archaudit explain RULE-ID`: one rule's documentation.

use super::args::CatalogueArgs;
use super::exit;
use super::pipeline::Pipeline;
use crate::report::explain;
use anyhow::{bail, Result};
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule id (e.g. WAF001) or name (e.g. alb-without-waf)
    #[arg(value_name = "RULE-ID")]
    pub rule: String,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

pub(super) fn run(args: ExplainArgs) -> Result<ExitCode> {
    let catalogue = Pipeline::catalogue(&args.rules)?;
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
