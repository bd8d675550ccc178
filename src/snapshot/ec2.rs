//! EC2: VPCs, subnets, flow logs, launch templates, instances' metadata options,
//! Client VPN endpoints.

use super::{section, Tags};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Ec2 {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub flow_logs: Vec<FlowLog>,
    pub launch_templates: Vec<LaunchTemplate>,
    pub instances: Vec<Instance>,
    pub client_vpn_endpoints: Vec<ClientVpnEndpoint>,
}
section!(Ec2 {
    vpcs,
    subnets,
    flow_logs,
    launch_templates,
    instances,
    client_vpn_endpoints
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub cidr_block: String,
    pub is_default: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub cidr_block: String,
    pub availability_zone: String,
    pub map_public_ip_on_launch: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The VPC, subnet or ENI id the flow log watches.
    pub resource_id: String,
    /// `ACCEPT`, `REJECT` or `ALL`.
    pub traffic_type: Option<String>,
    /// `cloud-watch-logs`, `s3` or `kinesis-data-firehose`.
    pub log_destination_type: Option<String>,
    /// `ACTIVE` when delivering.
    pub status: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetadataOptions {
    /// `required` (IMDSv2 only) or `optional`.
    pub http_tokens: Option<String>,
    pub http_put_response_hop_limit: Option<i64>,
    /// `enabled` or `disabled`.
    pub http_endpoint: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockDevice {
    pub device_name: String,
    /// Absent: not set in the template, so the account default applies.
    pub encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub volume_size: Option<i64>,
    pub volume_type: Option<String>,
}

/// The default version of a launch template, as DescribeLaunchTemplateVersions gives it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchTemplate {
    pub arn: String,
    pub id: String,
    pub name: String,
    pub region: String,
    pub default_version: i64,
    pub image_id: Option<String>,
    /// Absent when the template sets no metadata options (instance defaults apply).
    pub metadata_options: Option<MetadataOptions>,
    #[serde(default)]
    pub block_devices: Vec<BlockDevice>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub instance_type: String,
    /// `running`, `stopped`, ...
    pub state: String,
    pub launch_template_id: Option<String>,
    pub iam_instance_profile_arn: Option<String>,
    #[serde(default)]
    pub metadata_options: MetadataOptions,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientVpnEndpoint {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub description: Option<String>,
    pub vpc_id: Option<String>,
    /// `available`, `pending-associate`, ...
    pub status: String,
    pub server_certificate_arn: Option<String>,
    /// `certificate-authentication`, `directory-service-authentication`,
    /// `federated-authentication`.
    #[serde(default)]
    pub authentication_types: Vec<String>,
    pub connection_log_enabled: bool,
    pub split_tunnel: bool,
    #[serde(default)]
    pub tags: Tags,
}
