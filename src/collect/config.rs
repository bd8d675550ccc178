//! AWS Config: the region's configuration recorders
//! (DescribeConfigurationRecorders), whether each is recording
//! (DescribeConfigurationRecorderStatus) and the delivery channels
//! (DescribeDeliveryChannels). Three calls per region, none per resource.

use super::policy::{operations_of, Operation};
use super::{client, Scope};
use crate::aws::{call, CallError};
use crate::snapshot::{AwsConfig, DeliveryChannel, Recorder};
use aws_sdk_config::types::ResourceType;
use aws_sdk_config::Client;
use std::collections::HashMap;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "Config Service", "config":
    DescribeConfigurationRecorders, DescribeConfigurationRecorderStatus, DescribeDeliveryChannels,
);

pub(crate) async fn collect(scope: &Scope) -> Result<AwsConfig, CallError> {
    read(&client!(aws_sdk_config, scope), scope).await
}

async fn read(config: &Client, scope: &Scope) -> Result<AwsConfig, CallError> {
    let recorders = config
        .describe_configuration_recorders()
        .send()
        .await
        .map_err(call)?;
    let statuses = config
        .describe_configuration_recorder_status()
        .send()
        .await
        .map_err(call)?;
    let channels = config
        .describe_delivery_channels()
        .send()
        .await
        .map_err(call)?;
    let status: HashMap<&str, _> = statuses
        .configuration_recorders_status()
        .iter()
        .filter_map(|s| Some((s.name()?, s)))
        .collect();
    let recorders = recorders
        .configuration_recorders()
        .iter()
        .map(|r| {
            let name = r.name().unwrap_or("default");
            let s = status.get(name);
            let group = r.recording_group();
            Recorder {
                arn: r.arn().map(str::to_string).unwrap_or_else(|| {
                    format!(
                        "arn:{}:config:{}:{}:configuration-recorder/{name}",
                        scope.partition, scope.region, scope.account_id
                    )
                }),
                name: name.to_string(),
                region: scope.region.clone(),
                role_arn: r.role_arn().map(str::to_string),
                service_principal: r.service_principal().map(str::to_string),
                recording: s.is_some_and(|s| s.recording()),
                last_status: s
                    .and_then(|s| s.last_status())
                    .map(|l| l.as_str().to_string()),
                last_error_code: s
                    .and_then(|s| s.last_error_code())
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
                all_supported: group.is_some_and(|g| g.all_supported()),
                include_global_resource_types: group
                    .is_some_and(|g| g.include_global_resource_types()),
                recording_strategy: group
                    .and_then(|g| g.recording_strategy())
                    .and_then(|s| s.use_only())
                    .map(|u| u.as_str().to_string()),
                resource_types: group.map_or_else(Vec::new, |g| names(g.resource_types())),
                excluded_resource_types: group
                    .and_then(|g| g.exclusion_by_resource_types())
                    .map_or_else(Vec::new, |e| names(e.resource_types())),
                recording_frequency: r
                    .recording_mode()
                    .map(|m| m.recording_frequency().as_str().to_string()),
            }
        })
        .collect();
    let delivery_channels = channels
        .delivery_channels()
        .iter()
        .map(|c| {
            let name = c.name().unwrap_or("default");
            DeliveryChannel {
                arn: format!(
                    "arn:{}:config:{}:{}:delivery-channel/{name}",
                    scope.partition, scope.region, scope.account_id
                ),
                name: name.to_string(),
                region: scope.region.clone(),
                s3_bucket: c.s3_bucket_name().map(str::to_string),
                s3_key_prefix: c.s3_key_prefix().map(str::to_string),
                sns_topic_arn: c.sns_topic_arn().map(str::to_string),
                delivery_frequency: c
                    .config_snapshot_delivery_properties()
                    .and_then(|p| p.delivery_frequency())
                    .map(|f| f.as_str().to_string()),
            }
        })
        .collect();
    Ok(AwsConfig {
        recorders,
        delivery_channels,
    })
}

fn names(types: &[ResourceType]) -> Vec<String> {
    types.iter().map(|t| t.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_config::operation::describe_configuration_recorder_status::DescribeConfigurationRecorderStatusOutput;
    use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
    use aws_sdk_config::operation::describe_delivery_channels::DescribeDeliveryChannelsOutput;
    use aws_sdk_config::types::{
        ConfigSnapshotDeliveryProperties, ConfigurationRecorder, ConfigurationRecorderStatus,
        DeliveryChannel as SdkChannel, ExclusionByResourceTypes, MaximumExecutionFrequency,
        RecorderStatus, RecordingFrequency, RecordingGroup, RecordingMode, RecordingStrategy,
        RecordingStrategyType,
    };
    use aws_smithy_mocks::{mock, Rule};

    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_config, rules)
    }

    #[tokio::test]
    async fn recorders_with_their_status_and_the_delivery_channel() {
        let recorders = mock!(Client::describe_configuration_recorders).then_output(|| {
            DescribeConfigurationRecordersOutput::builder()
                .configuration_recorders(
                    ConfigurationRecorder::builder()
                        .name("default")
                        .arn("arn:aws:config:eu-central-1:318465720941:configuration-recorder/default/lxmb4hcvfzjqbdbw")
                        .role_arn("arn:aws:iam::318465720941:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")
                        .recording_group(
                            RecordingGroup::builder()
                                .all_supported(false)
                                .include_global_resource_types(false)
                                .exclusion_by_resource_types(
                                    ExclusionByResourceTypes::builder()
                                        .resource_types(ResourceType::NetworkInterface)
                                        .build(),
                                )
                                .recording_strategy(
                                    RecordingStrategy::builder()
                                        .use_only(RecordingStrategyType::ExclusionByResourceTypes)
                                        .build(),
                                )
                                .build(),
                        )
                        .recording_mode(
                            RecordingMode::builder()
                                .recording_frequency(RecordingFrequency::Daily)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                // A recorder Security Hub made for itself, never started: no status entry.
                .configuration_recorders(
                    ConfigurationRecorder::builder()
                        .name("AWSConfigurationRecorderForSecurityHub")
                        .service_principal("securityhub.amazonaws.com")
                        .build(),
                )
                .build()
        });
        let status = mock!(Client::describe_configuration_recorder_status).then_output(|| {
            DescribeConfigurationRecorderStatusOutput::builder()
                .configuration_recorders_status(
                    ConfigurationRecorderStatus::builder()
                        .name("default")
                        .recording(true)
                        .last_status(RecorderStatus::Failure)
                        .last_error_code("AccessDenied")
                        .build(),
                )
                .build()
        });
        let channels = mock!(Client::describe_delivery_channels).then_output(|| {
            DescribeDeliveryChannelsOutput::builder()
                .delivery_channels(
                    SdkChannel::builder()
                        .name("default")
                        .s3_bucket_name("aws-config-318465720941")
                        .config_snapshot_delivery_properties(
                            ConfigSnapshotDeliveryProperties::builder()
                                .delivery_frequency(MaximumExecutionFrequency::TwentyFourHours)
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let scope = Scope::for_test("318465720941", "eu-central-1");
        let got = read(&mocked(&[&recorders, &status, &channels]), &scope)
            .await
            .unwrap();
        let [own, linked] = got.recorders.as_slice() else {
            panic!("{:?}", got.recorders)
        };
        assert_eq!(
            *own,
            Recorder {
                arn: "arn:aws:config:eu-central-1:318465720941:configuration-recorder/default/lxmb4hcvfzjqbdbw".into(),
                name: "default".into(),
                region: "eu-central-1".into(),
                role_arn: Some("arn:aws:iam::318465720941:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig".into()),
                service_principal: None,
                recording: true,
                last_status: Some("Failure".into()),
                last_error_code: Some("AccessDenied".into()),
                all_supported: false,
                include_global_resource_types: false,
                recording_strategy: Some("EXCLUSION_BY_RESOURCE_TYPES".into()),
                resource_types: vec![],
                excluded_resource_types: vec!["AWS::EC2::NetworkInterface".into()],
                recording_frequency: Some("DAILY".into()),
            }
        );
        // Without an ARN from AWS, the pseudo-ARN; without a status, not recording.
        assert_eq!(
            linked.arn,
            "arn:aws:config:eu-central-1:318465720941:configuration-recorder/AWSConfigurationRecorderForSecurityHub"
        );
        assert_eq!(
            linked.service_principal.as_deref(),
            Some("securityhub.amazonaws.com")
        );
        assert!(!linked.recording);
        assert_eq!(
            got.delivery_channels,
            [DeliveryChannel {
                arn: "arn:aws:config:eu-central-1:318465720941:delivery-channel/default".into(),
                name: "default".into(),
                region: "eu-central-1".into(),
                s3_bucket: Some("aws-config-318465720941".into()),
                s3_key_prefix: None,
                sns_topic_arn: None,
                delivery_frequency: Some("TwentyFour_Hours".into()),
            }]
        );
    }
}
