//! `archaudit rules`: the catalogue.

use super::args::CatalogueArgs;
use super::exit;
use super::pipeline::Pipeline;
use crate::report::{render_catalogue, CatalogueFormat};
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
    pub format: CatalogueFormat,
    #[command(flatten)]
    pub rules: CatalogueArgs,
}

pub(super) fn run(args: RulesArgs) -> Result<ExitCode> {
    let catalogue = Pipeline::catalogue(&args.rules)?;
    let mut out = std::io::stdout().lock();
    render_catalogue(&mut out, &catalogue.rules, args.format)?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
