//! AWS Config: the configuration recorders of a region (what they record,
//! whether they are recording) and its delivery channels.

use super::{section, ArnNames, Compared, Holder, ImportId, Norm, TagSource, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(AwsConfig {
    /// Configuration recorders in the region: the account's own (at most
    /// one) and those other AWS services made for themselves.
    recorders: Vec<Recorder>,
    /// Where the recorder delivers configuration history and snapshots (at
    /// most one per region).
    delivery_channels: Vec<DeliveryChannel>,
} {
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform: both are named by
/// their name (`default`, usually) and carry no tags.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_config_configuration_recorder", "recorders", "{name}")
        .idents(&["name"])
        .tags(TagSource::None)
        .arn("config", "configuration-recorder", ArnNames::Segments)
        .made_by_aws(service_linked)
        .import(ImportId::Field("/name"))
        .compared(&[
            Compared::own("role_arn", "/role_arn", Norm::Plain),
            Compared::own(
                "recording_group.0.all_supported",
                "/all_supported",
                Norm::Plain,
            ),
            Compared::own(
                "recording_group.0.include_global_resource_types",
                "/include_global_resource_types",
                Norm::Plain,
            ),
            Compared::held(STATUS, "is_enabled", "/recording", Norm::Plain),
        ]),
    TerraformType::new("aws_config_delivery_channel", "delivery_channels", "{name}")
        .idents(&["name"])
        .tags(TagSource::None)
        .import(ImportId::Field("/name"))
        .compared(&[
            Compared::own("s3_bucket_name", "/s3_bucket", Norm::Plain),
            Compared::own("sns_topic_arn", "/sns_topic_arn", Norm::Plain),
        ]),
];

/// Whether a recorder is recording is a resource of its own, named by the recorder's name.
const STATUS: Holder = Holder::Sibling {
    kind: "aws_config_configuration_recorder_status",
    link: "name",
};

/// A recorder another AWS service made for itself (service-linked): no
/// Terraform of the account manages it.
fn service_linked(recorder: &serde_json::Value, _: &serde_json::Value) -> Option<&'static str> {
    recorder
        .get("service_principal")
        .is_some()
        .then_some("a service-linked recorder, made by an AWS service")
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorder {
    /// As AWS returns it, or `arn:aws:config:<region>:<account>:configuration-recorder/<name>`
    /// (a pseudo-ARN) when it returns none.
    pub arn: String,
    pub name: String,
    pub region: String,
    /// The IAM role it reads resources with.
    pub role_arn: Option<String>,
    /// The AWS service that made it, for a service-linked recorder (which
    /// records only what that service needs); absent for the account's own.
    pub service_principal: Option<String>,
    /// It is recording now (DescribeConfigurationRecorderStatus).
    pub recording: bool,
    /// How its last recording attempt ended: `Pending`, `Success` or `Failure`.
    pub last_status: Option<String>,
    /// The error of its last failed attempt.
    pub last_error_code: Option<String>,
    /// It records every resource type the region supports (`allSupported`).
    pub all_supported: bool,
    /// With `all_supported`: it also records global (IAM) resource types.
    pub include_global_resource_types: bool,
    /// `ALL_SUPPORTED_RESOURCE_TYPES`, `INCLUSION_BY_RESOURCE_TYPES` or
    /// `EXCLUSION_BY_RESOURCE_TYPES`.
    pub recording_strategy: Option<String>,
    /// The types it records, with `INCLUSION_BY_RESOURCE_TYPES` (`AWS::IAM::Role`, ...).
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// The types it leaves out, with `EXCLUSION_BY_RESOURCE_TYPES`.
    #[serde(default)]
    pub excluded_resource_types: Vec<String>,
    /// `CONTINUOUS` or `DAILY`.
    pub recording_frequency: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryChannel {
    /// `arn:aws:config:<region>:<account>:delivery-channel/<name>` (a
    /// pseudo-ARN: delivery channels have none).
    pub arn: String,
    pub name: String,
    pub region: String,
    /// The bucket it delivers to.
    pub s3_bucket: Option<String>,
    pub s3_key_prefix: Option<String>,
    /// The topic it notifies of changes.
    pub sns_topic_arn: Option<String>,
    /// How often it delivers snapshots: `One_Hour` ... `TwentyFour_Hours`.
    pub delivery_frequency: Option<String>,
}
