//! Findings and coverage gaps: what evaluation produces.

use super::rule::Severity;
use crate::snapshot::ErrorClass;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One problem with one resource, found by one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub account_id: String,
    pub account_name: String,
    /// The account's architecture role, or `unassigned`.
    pub account_role: String,
    /// A region, or `global`.
    pub region: String,
    /// The resource's ARN (or the account's, for account-level findings).
    pub resource: String,
    pub message: String,
    /// Stable across runs: a hash of rule, account, region and resource.
    pub fingerprint: String,
    /// The Terraform block that holds what the finding is about, when a rule
    /// names it (drift in a setting that a sibling resource such as
    /// `aws_s3_bucket_versioning` holds): reports locate the finding there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform_address: Option<String>,
}

/// A finding silenced by a suppression of the config, with the suppression's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// The suppression's expiry date (YYYY-MM-DD), if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// A stable identity for a finding, independent of message wording and of where
/// (or whether) Terraform declares the resource.
pub fn fingerprint(rule_id: &str, account_id: &str, region: &str, resource: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, account_id, region, resource] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    // Lowercase hex of the first 16 bytes, written into one string: a large
    // organization has tens of thousands of findings.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(32);
    for byte in &hasher.finalize()[..16] {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// A part of an account that could not be read, and the rules it kept from
/// being evaluated there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageGap {
    pub account_id: String,
    /// A region, or `global`.
    pub region: String,
    /// A snapshot section, or `account` when the whole account was unreachable.
    pub service: String,
    pub error: ErrorClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Ids of the rules not evaluated because of this gap.
    pub rules_not_evaluated: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_separates_fields() {
        let a = fingerprint("WAF001", "111122223333", "eu-central-1", "arn:x");
        assert_eq!(
            a,
            fingerprint("WAF001", "111122223333", "eu-central-1", "arn:x")
        );
        // The first 16 bytes of SHA-256 over the NUL-terminated fields, in
        // lowercase hex (Python's hashlib gives the same).
        assert_eq!(a, "697a9963d96ab4b0361dcd922f833870");
        // Moving a character between fields changes the hash.
        assert_ne!(
            a,
            fingerprint("WAF00", "1111122223333", "eu-central-1", "arn:x")
        );
        assert_ne!(
            a,
            fingerprint("WAF001", "111122223333", "eu-central-2", "arn:x")
        );
    }
}
