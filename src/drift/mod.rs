//! Drift: what changed outside Terraform ([`terraform`]: unmanaged, missing
//! and changed resources against the given states).

pub mod terraform;
