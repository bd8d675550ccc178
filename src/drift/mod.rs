//! Drift from Terraform: the live resources of a snapshot against the given
//! Terraform states (unmanaged, missing, changed), as the drift rules' input.
//!
//! What changed between two runs of the audit is `crate::history`.

pub mod terraform;
