//! archaudit: audits AWS organizations against the KubeRocketCI reference
//! architecture and AWS/EKS best practices.
//!
//! Floors (a module only uses what stands below it): `cli` > `report` > `engine`
//! > `config` / `snapshot`.

pub mod aws;
pub mod cli;
pub mod collect;
pub mod config;
pub mod drift;
pub mod engine;
pub mod report;
pub mod snapshot;
pub mod terraform;
