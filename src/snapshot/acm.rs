//! ACM certificates (ListCertificates + DescribeCertificate).

use super::{section, ImportId, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Acm {
    /// Certificates of every type and status in the region.
    certificates: Vec<Certificate>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_acm_certificate", "certificates", "{domain_name}")
            .import(ImportId::Arn),
    ];

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub region: String,
    /// The primary domain name (the subject's CN).
    pub domain_name: String,
    /// Every name the certificate covers, the primary one included.
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
    /// `RSA_2048`, `EC_prime256v1`, ...
    pub key_algorithm: Option<String>,
    /// ARNs of the resources using the certificate (load balancers, ...).
    #[serde(default)]
    pub in_use_by: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}
