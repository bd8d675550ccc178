//! The one integration-test binary (every extra binary links the crate again).

mod browser;
mod catalogue;
mod cli;
mod config;
mod deploy;
mod drift;
mod hostile;
mod html;
mod live;
mod org_fixtures;
mod reports;
mod rule_fixtures;
mod sarif;
mod tfdrift;
mod util;
