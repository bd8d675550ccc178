//! GuardDuty detectors (at most one per account and region) and the
//! protection plans ("features") each has on.

use super::{section, ArnNames, Compared, Holder, ImportId, Norm, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

section!(Guardduty {
    /// Detectors in the region (at most one).
    detectors: Vec<Detector>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform. Each protection plan is
/// an `aws_guardduty_detector_feature` of its own (the detector's
/// `datasources` block is deprecated and not read), named by the detector id
/// and the feature name.
const TERRAFORM: &[TerraformType] =
    &[
        TerraformType::new("aws_guardduty_detector", "detectors", "{id}")
            .idents(&["id"])
            .arn("guardduty", "detector", ArnNames::Rest)
            .import(ImportId::Field("/id"))
            .compared(&[
                Compared::own("enable", "/status", Norm::Is("ENABLED")),
                Compared::own(
                    "finding_publishing_frequency",
                    "/finding_publishing_frequency",
                    Norm::Plain,
                ),
                feature("EKS_AUDIT_LOGS", "/features/EKS_AUDIT_LOGS"),
                feature("EKS_RUNTIME_MONITORING", "/features/EKS_RUNTIME_MONITORING"),
                feature("RUNTIME_MONITORING", "/features/RUNTIME_MONITORING"),
                feature("S3_DATA_EVENTS", "/features/S3_DATA_EVENTS"),
                feature("EBS_MALWARE_PROTECTION", "/features/EBS_MALWARE_PROTECTION"),
                feature("RDS_LOGIN_EVENTS", "/features/RDS_LOGIN_EVENTS"),
                feature("LAMBDA_NETWORK_LOGS", "/features/LAMBDA_NETWORK_LOGS"),
            ]),
    ];

/// The status of feature `name`, held by its `aws_guardduty_detector_feature`.
const fn feature(name: &'static str, live: &'static str) -> Compared {
    Compared::held(
        Holder::SiblingWhere {
            kind: "aws_guardduty_detector_feature",
            link: "detector_id",
            field: "name",
            value: name,
        },
        "status",
        live,
        Norm::Plain,
    )
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    /// `arn:aws:guardduty:<region>:<account>:detector/<id>`.
    pub arn: String,
    pub id: String,
    pub region: String,
    /// `ENABLED` or `DISABLED` (a suspended detector).
    pub status: String,
    /// `FIFTEEN_MINUTES`, `ONE_HOUR` or `SIX_HOURS`.
    pub finding_publishing_frequency: Option<String>,
    /// Protection plans by name, each `ENABLED` or `DISABLED`: `EKS_AUDIT_LOGS`,
    /// `EKS_RUNTIME_MONITORING`, `RUNTIME_MONITORING`, `S3_DATA_EVENTS`,
    /// `EBS_MALWARE_PROTECTION`, `RDS_LOGIN_EVENTS`, `LAMBDA_NETWORK_LOGS`.
    /// Their additional configuration is keyed `<feature>/<name>`
    /// (`RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT`: GuardDuty deploys its
    /// security agent to EKS clusters itself). A plan AWS does not report is
    /// absent.
    #[serde(default)]
    pub features: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: Tags,
}
