//! archaudit: audits AWS organizations against the KubeRocketCI reference
//! architecture and AWS/EKS best practices.
//!
//! Floors (a module only uses what stands below it): `cli` > `report` >
//! `history` / `drift` > `terraform` > `engine` > `config` > `snapshot` >
//! `severity` / `limits` (bounded reads of local files).
//!
//! The AWS callers, `collect` (the audit's reads) and `store` (snapshots,
//! reports and states as files or S3 objects), stand between `cli` and
//! `snapshot`, over `aws` (SDK configuration).
//!
//! `services` is the registry: the one list of AWS services, which the
//! snapshot and the collectors each expand into what they need per service.

pub mod aws;
pub mod cli;
pub mod collect;
pub mod config;
pub mod drift;
pub mod engine;
pub mod history;
pub mod limits;
pub mod report;
mod services;
pub mod severity;
pub mod snapshot;
pub mod store;
pub mod terraform;
