//! ACM: certificates of every key type and status (ListCertificates filters by
//! default to RSA_1024/RSA_2048), each one's details (DescribeCertificate: full
//! SAN list, expiry, renewal eligibility, what uses it) and tags
//! (ListTagsForCertificate). A certificate deleted between the calls is left out.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, rfc3339, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{Acm, Certificate};
use aws_sdk_acm::types::{CertificateStatus, Filters, KeyAlgorithm};
use aws_sdk_acm::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("ACM", "acm": ListCertificates, DescribeCertificate, ListTagsForCertificate);

/// The error code of a certificate that no longer exists.
const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

pub(crate) async fn collect(scope: &Scope) -> Result<Acm, CallError> {
    let acm = client!(aws_sdk_acm, scope);
    read(&acm, scope).await
}

async fn read(acm: &Client, scope: &Scope) -> Result<Acm, CallError> {
    let summaries = every(
        acm.list_certificates()
            .set_certificate_statuses(Some(
                CertificateStatus::values()
                    .iter()
                    .map(|s| CertificateStatus::from(*s))
                    .collect(),
            ))
            .includes(
                Filters::builder()
                    .set_key_types(Some(
                        KeyAlgorithm::values()
                            .iter()
                            .map(|k| KeyAlgorithm::from(*k))
                            .collect(),
                    ))
                    .build(),
            )
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    let arns: Vec<String> = summaries
        .iter()
        .filter_map(|s| s.certificate_arn().map(str::to_string))
        .collect();
    let certificates = each_found(arns, |arn| certificate(acm, scope, arn)).await?;
    Ok(Acm { certificates })
}

/// `None` when the certificate no longer exists.
async fn certificate(
    acm: &Client,
    scope: &Scope,
    arn: String,
) -> Result<Option<Certificate>, CallError> {
    let described = found(
        acm.describe_certificate()
            .certificate_arn(&arn)
            .send()
            .await,
        NOT_FOUND,
    )?;
    let Some(c) = described.as_ref().and_then(|d| d.certificate()) else {
        return Ok(None);
    };
    let Some(tagged) = found(
        acm.list_tags_for_certificate()
            .certificate_arn(&arn)
            .send()
            .await,
        NOT_FOUND,
    )?
    else {
        return Ok(None);
    };
    let tags = tags_from(tagged.tags(), |t| (Some(t.key()), t.value()));
    Ok(Some(Certificate {
        region: scope.region.clone(),
        domain_name: c.domain_name().unwrap_or_default().to_string(),
        subject_alternative_names: c.subject_alternative_names().to_vec(),
        status: c
            .status()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        cert_type: c
            .r#type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        not_after: c.not_after().and_then(rfc3339),
        renewal_eligibility: c.renewal_eligibility().map(|r| r.as_str().to_string()),
        key_algorithm: c.key_algorithm().map(|k| k.as_str().to_string()),
        in_use_by: c.in_use_by().to_vec(),
        tags,
        arn,
    }))
}
