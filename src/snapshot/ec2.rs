//! EC2: VPCs, subnets, flow logs, launch templates, instances' metadata options,
//! Client VPN endpoints.

use super::{section, ArnNames, ImportId, Part, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

section!(Ec2 {
    /// VPCs in the region.
    vpcs: Vec<Vpc>,
    /// Subnets of every VPC.
    subnets: Vec<Subnet>,
    /// VPC flow logs (of VPCs, subnets and interfaces).
    flow_logs: Vec<FlowLog>,
    /// Launch templates, each as its default version says.
    launch_templates: Vec<LaunchTemplate>,
    /// Instances in every state.
    instances: Vec<Instance>,
    /// Client VPN endpoints (coverage key `ec2-client-vpn`).
    client_vpn_endpoints: Vec<ClientVpnEndpoint>,
} {
    const PARTS: &'static [Part] = &[Part {
        key: Ec2::CLIENT_VPN,
        collection: "client_vpn_endpoints",
        field: None,
    }];
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
});

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new(
        "aws_ec2_client_vpn_endpoint",
        "client_vpn_endpoints",
        "{id}",
    )
    .import(ImportId::Field("/id"))
    .idents(&["id"]),
    TerraformType::new("aws_vpc", "vpcs", "{id}")
        .import(ImportId::Field("/id"))
        .aliases(&["aws_default_vpc"])
        .idents(&["id"])
        .arn("ec2", "vpc", ArnNames::Rest)
        .made_by_aws(default_vpc),
    TerraformType::new("aws_subnet", "subnets", "{id}")
        .import(ImportId::Field("/id"))
        .aliases(&["aws_default_subnet"])
        .idents(&["id"])
        .arn("ec2", "subnet", ArnNames::Rest)
        .made_by_aws(default_subnet),
    TerraformType::new("aws_flow_log", "flow_logs", "{id}")
        .import(ImportId::Field("/id"))
        .idents(&["id"]),
    TerraformType::new("aws_launch_template", "launch_templates", "{name}")
        .import(ImportId::Field("/id"))
        .idents(&["id"])
        .arn("ec2", "launch-template", ArnNames::Rest),
    // Instances and security groups are not compared (yet): findings
    // about them are only located.
    TerraformType::located("aws_instance").arn("ec2", "instance", ArnNames::Rest),
    TerraformType::located("aws_security_group").arn("ec2", "security-group", ArnNames::Rest),
];

fn default_vpc(vpc: &Value, _: &Value) -> Option<&'static str> {
    (vpc["is_default"] == true).then_some("the default VPC (created by AWS)")
}

fn default_subnet(subnet: &Value, ec2: &Value) -> Option<&'static str> {
    let default_vpc = |vpc: &Value| vpc["is_default"] == true && vpc["id"] == subnet["vpc_id"];
    ec2["vpcs"]
        .as_array()?
        .iter()
        .any(default_vpc)
        .then_some("a subnet of the default VPC (created by AWS)")
}

impl Ec2 {
    /// Client VPN endpoints are read and covered apart: an endpoint without
    /// that API must not hide the VPCs.
    pub const CLIENT_VPN: &'static str = "ec2-client-vpn";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The primary IPv4 CIDR.
    pub cidr_block: String,
    /// The default VPC AWS creates in every region.
    pub is_default: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// The VPC the subnet belongs to.
    pub vpc_id: String,
    /// The IPv4 CIDR.
    pub cidr_block: String,
    /// e.g. `eu-central-1a`.
    pub availability_zone: String,
    /// Instances launched here get a public IPv4 address.
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
    /// How many network hops an IMDS answer may travel (1: the instance only).
    pub http_put_response_hop_limit: Option<i64>,
    /// `enabled` or `disabled`.
    pub http_endpoint: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockDevice {
    /// e.g. `/dev/xvda`.
    pub device_name: String,
    /// Absent: not set in the template, so the account default applies.
    pub encrypted: Option<bool>,
    /// The KMS key of an encrypted volume, when set.
    pub kms_key_id: Option<String>,
    /// GiB.
    pub volume_size: Option<i64>,
    /// `gp3`, `gp2`, `io2`, ...
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
    /// The version number the fields below come from.
    pub default_version: i64,
    /// The AMI.
    pub image_id: Option<String>,
    /// Absent when the template sets no metadata options (instance defaults apply).
    pub metadata_options: Option<MetadataOptions>,
    /// EBS volumes the template maps (instance-store mappings are left out).
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
    /// e.g. `m6i.large`.
    pub instance_type: String,
    /// `running`, `stopped`, ...
    pub state: String,
    /// The template it was launched from (its `aws:ec2launchtemplate:id` tag).
    pub launch_template_id: Option<String>,
    /// The instance profile, when one is attached.
    pub iam_instance_profile_arn: Option<String>,
    /// The instance metadata service settings in effect.
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
    /// The endpoint's description, when set.
    pub description: Option<String>,
    /// The VPC its target networks are in.
    pub vpc_id: Option<String>,
    /// `available`, `pending-associate`, ...
    pub status: String,
    /// The ACM certificate the endpoint presents.
    pub server_certificate_arn: Option<String>,
    /// `certificate-authentication`, `directory-service-authentication`,
    /// `federated-authentication`.
    #[serde(default)]
    pub authentication_types: Vec<String>,
    /// Connections are logged to CloudWatch Logs.
    pub connection_log_enabled: bool,
    /// Only traffic to the VPN's routes goes through the tunnel.
    pub split_tunnel: bool,
    #[serde(default)]
    pub tags: Tags,
}
