//! ACM certificates (ListCertificates + DescribeCertificate).

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Acm {
    pub certificates: Vec<Certificate>,
}
section!(Acm { certificates });

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub region: String,
    pub domain_name: String,
    #[serde(default)]
    pub subject_alternative_names: Vec<String>,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, `FAILED`, ...
    pub status: String,
    /// `AMAZON_ISSUED`, `IMPORTED`, `PRIVATE`.
    #[serde(rename = "type")]
    pub cert_type: String,
    /// RFC 3339.
    pub not_after: Option<String>,
    /// `ELIGIBLE` or `INELIGIBLE`.
    pub renewal_eligibility: Option<String>,
    pub key_algorithm: Option<String>,
    #[serde(default)]
    pub in_use_by: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}
