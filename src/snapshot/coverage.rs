//! Coverage: for every (region, service) of an account, whether it was read.
//! A missing entry means "not collected", which the engine treats like an error:
//! rules over that data are reported as not evaluated, never as passing.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::fmt;

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageEntry {
    /// A region name, or `global` for IAM and S3's bucket list.
    pub region: String,
    /// The coverage key: a section (`ec2`, `eks`, `iam`, ...) or a part of one
    /// read apart (`ec2-client-vpn`), or `account` for the whole account.
    pub service: String,
    pub status: CoverageStatus,
    pub error: Option<ErrorClass>,
    /// The error code and message as the endpoint gave them (never a credential).
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// Read completely.
    Ok,
    /// Not read, or only partly read: treated as not read.
    Error,
}

/// Why a part of an account could not be read, from the AWS error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ErrorClass {
    /// AccessDenied, AccessDeniedException, UnauthorizedOperation, ...
    AccessDenied,
    /// The role could not be assumed in this account.
    AssumeRoleFailed,
    /// Still throttled after retries.
    Throttled,
    /// The service is not subscribed or the region is not opted in.
    NotSubscribed,
    /// The region is not enabled for the account.
    RegionDisabled,
    /// The endpoint does not implement the operation.
    NotImplemented,
    /// Network failure or timeout.
    Unreachable,
    /// No coverage entry: the service was not collected at all.
    NotCollected,
    /// Read, but a value rules depend on does not parse (a date, a version):
    /// treated as not read.
    InvalidData,
    /// A rule could not be evaluated here: it failed or exceeded a limit.
    RuleFailed,
    /// Anything else.
    Other,
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl CoverageEntry {
    pub fn ok(region: &str, service: &str) -> Self {
        CoverageEntry {
            region: region.to_string(),
            service: service.to_string(),
            status: CoverageStatus::Ok,
            error: None,
            message: None,
        }
    }
}
