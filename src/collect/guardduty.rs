//! GuardDuty: the region's detector (ListDetectors, at most one) and its
//! status, protection plans and tags (GetDetector).
//!
//! The plans are read from `Features`; a detector that reports none there
//! (one made through the older `DataSources` API, which moto also answers
//! with) has its EKS audit log plan read from `DataSources.Kubernetes`. A
//! detector deleted between the calls is left out (GuardDuty answers
//! `BadRequestException` for a detector id the account does not own).

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, Scope};
use crate::aws::CallError;
use crate::snapshot::{Detector, Guardduty};
use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::Client;
use std::collections::BTreeMap;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("GuardDuty", "guardduty": ListDetectors, GetDetector);

/// The code GuardDuty answers for a detector the account no longer has.
const GONE: &[&str] = &["BadRequestException"];

/// The plan `DataSources.Kubernetes.AuditLogs` is.
const EKS_AUDIT_LOGS: &str = "EKS_AUDIT_LOGS";

pub(crate) async fn collect(scope: &Scope) -> Result<Guardduty, CallError> {
    read(&client!(aws_sdk_guardduty, scope), scope).await
}

async fn read(guardduty: &Client, scope: &Scope) -> Result<Guardduty, CallError> {
    let ids = every(guardduty.list_detectors().into_paginator().items().send()).await?;
    let detectors = each_found(ids, |id| async move {
        let out = found(guardduty.get_detector().detector_id(&id).send().await, GONE)?;
        Ok(out.map(|d| detector(scope, id, &d)))
    })
    .await?;
    Ok(Guardduty { detectors })
}

fn detector(scope: &Scope, id: String, d: &GetDetectorOutput) -> Detector {
    let mut features = BTreeMap::new();
    for f in d.features() {
        let (Some(name), Some(status)) = (f.name(), f.status()) else {
            continue;
        };
        features.insert(name.as_str().to_string(), status.as_str().to_string());
        for extra in f.additional_configuration() {
            if let (Some(extra_name), Some(extra_status)) = (extra.name(), extra.status()) {
                features.insert(
                    format!("{}/{}", name.as_str(), extra_name.as_str()),
                    extra_status.as_str().to_string(),
                );
            }
        }
    }
    if !features.contains_key(EKS_AUDIT_LOGS) {
        // Deprecated for `Features`, still what older detectors report.
        #[allow(deprecated)]
        let legacy = d
            .data_sources()
            .and_then(|s| s.kubernetes())
            .and_then(|k| k.audit_logs())
            .and_then(|a| a.status());
        if let Some(status) = legacy {
            features.insert(EKS_AUDIT_LOGS.to_string(), status.as_str().to_string());
        }
    }
    Detector {
        arn: format!(
            "arn:{}:guardduty:{}:{}:detector/{id}",
            scope.partition, scope.region, scope.account_id
        ),
        region: scope.region.clone(),
        status: d.status().map_or("DISABLED", |s| s.as_str()).to_string(),
        finding_publishing_frequency: d
            .finding_publishing_frequency()
            .map(|f| f.as_str().to_string()),
        features,
        tags: d
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_guardduty::operation::get_detector::GetDetectorError;
    use aws_sdk_guardduty::operation::list_detectors::ListDetectorsOutput;
    use aws_sdk_guardduty::types::{
        error::BadRequestException, DataSourceConfigurationsResult, DataSourceStatus,
        DetectorAdditionalConfigurationResult, DetectorFeatureConfigurationResult,
        DetectorFeatureResult, DetectorStatus, FeatureAdditionalConfiguration, FeatureStatus,
        FindingPublishingFrequency, KubernetesAuditLogsConfigurationResult,
        KubernetesConfigurationResult,
    };
    use aws_smithy_mocks::{mock, Rule};

    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_guardduty, rules)
    }

    fn feature(
        name: DetectorFeatureResult,
        status: FeatureStatus,
    ) -> DetectorFeatureConfigurationResult {
        DetectorFeatureConfigurationResult::builder()
            .name(name)
            .status(status)
            .build()
    }

    #[tokio::test]
    async fn features_with_their_additional_configuration() {
        let list = mock!(Client::list_detectors).then_output(|| {
            ListDetectorsOutput::builder()
                .detector_ids("1ab2c3d4e5f60718293a4b5c6d7e8f90")
                .detector_ids("00000000000000000000000000000000")
                .build()
        });
        let get = mock!(Client::get_detector)
            .match_requests(|r| r.detector_id() == Some("1ab2c3d4e5f60718293a4b5c6d7e8f90"))
            .then_output(|| {
                GetDetectorOutput::builder()
                    .status(DetectorStatus::Enabled)
                    .service_role("arn:aws:iam::571293840655:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty")
                    .finding_publishing_frequency(FindingPublishingFrequency::FifteenMinutes)
                    .features(feature(DetectorFeatureResult::EksAuditLogs, FeatureStatus::Enabled))
                    .features(feature(DetectorFeatureResult::S3DataEvents, FeatureStatus::Disabled))
                    .features(
                        DetectorFeatureConfigurationResult::builder()
                            .name(DetectorFeatureResult::RuntimeMonitoring)
                            .status(FeatureStatus::Enabled)
                            .additional_configuration(
                                DetectorAdditionalConfigurationResult::builder()
                                    .name(FeatureAdditionalConfiguration::EksAddonManagement)
                                    .status(FeatureStatus::Enabled)
                                    .build(),
                            )
                            .build(),
                    )
                    .tags("SysName", "KubeRocketCI")
                    .build()
            });
        let gone = mock!(Client::get_detector)
            .match_requests(|r| r.detector_id() == Some("00000000000000000000000000000000"))
            .then_error(|| {
                GetDetectorError::BadRequestException(
                    BadRequestException::builder()
                        .meta(
                            aws_smithy_types::error::ErrorMetadata::builder()
                                .code("BadRequestException")
                                .build(),
                        )
                        .message("The request is rejected because the input detectorId is not owned by the current account.")
                        .build(),
                )
            });
        let scope = Scope::for_test("571293840655", "eu-central-1");
        let got = read(&mocked(&[&list, &get, &gone]), &scope).await.unwrap();
        assert_eq!(
            got.detectors,
            [Detector {
                arn: "arn:aws:guardduty:eu-central-1:571293840655:detector/1ab2c3d4e5f60718293a4b5c6d7e8f90".into(),
                id: "1ab2c3d4e5f60718293a4b5c6d7e8f90".into(),
                region: "eu-central-1".into(),
                status: "ENABLED".into(),
                finding_publishing_frequency: Some("FIFTEEN_MINUTES".into()),
                features: [
                    ("EKS_AUDIT_LOGS", "ENABLED"),
                    ("RUNTIME_MONITORING", "ENABLED"),
                    ("RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "ENABLED"),
                    ("S3_DATA_EVENTS", "DISABLED"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                tags: [("SysName".to_string(), "KubeRocketCI".to_string())].into(),
            }]
        );
    }

    #[tokio::test]
    #[allow(deprecated)] // the DataSources API an older detector answers with
    async fn eks_audit_logs_of_a_detector_without_features() {
        let list = mock!(Client::list_detectors).then_output(|| {
            ListDetectorsOutput::builder()
                .detector_ids("5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b")
                .build()
        });
        let get = mock!(Client::get_detector).then_output(|| {
            GetDetectorOutput::builder()
                .status(DetectorStatus::Disabled)
                .data_sources(
                    DataSourceConfigurationsResult::builder()
                        .kubernetes(
                            KubernetesConfigurationResult::builder()
                                .audit_logs(
                                    KubernetesAuditLogsConfigurationResult::builder()
                                        .status(DataSourceStatus::Enabled)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let scope = Scope::for_test("571293840655", "eu-west-1");
        let got = read(&mocked(&[&list, &get]), &scope).await.unwrap();
        let [d] = got.detectors.as_slice() else {
            panic!("{:?}", got.detectors)
        };
        assert_eq!(d.status, "DISABLED");
        assert_eq!(d.region, "eu-west-1");
        assert_eq!(
            d.features,
            [("EKS_AUDIT_LOGS".to_string(), "ENABLED".to_string())].into()
        );
    }
}
