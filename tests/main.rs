//! The one integration-test binary (every extra binary links the crate again).

mod catalogue;
mod cli;
mod config;
mod deploy;
mod drift;
mod hostile;
mod live;
mod org_fixtures;
mod reports;
mod rule_fixtures;
mod sarif;
mod tfdrift;
mod util;
