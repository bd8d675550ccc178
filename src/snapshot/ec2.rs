//! EC2: VPCs, subnets, route tables, security groups with their rules, flow
//! logs, launch templates, instances (network placement and metadata options),
//! EBS encryption by default, Client VPN endpoints.

use super::{
    ip_protocol, section, ArnNames, Compared, ImportId, ItemsOf, Members, Norm, Part, Tags,
    TerraformType,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

section!(Ec2 {
    /// VPCs in the region.
    vpcs: Vec<Vpc>,
    /// Subnets of every VPC.
    subnets: Vec<Subnet>,
    /// Route tables of every VPC, with their routes and subnet associations.
    route_tables: Vec<RouteTable>,
    /// Security groups, each with its ingress and egress rules.
    security_groups: Vec<SecurityGroup>,
    /// VPC flow logs (of VPCs, subnets and interfaces).
    flow_logs: Vec<FlowLog>,
    /// Launch templates, each as its default version says.
    launch_templates: Vec<LaunchTemplate>,
    /// Instances in every state.
    instances: Vec<Instance>,
    /// Whether new EBS volumes are encrypted by default: one item per region read.
    ebs_encryption_by_default: Vec<EbsEncryptionByDefault>,
    /// Client VPN endpoints (coverage key `ec2-client-vpn`).
    client_vpn_endpoints: Vec<ClientVpnEndpoint>,
} {
    const PARTS: &'static [Part] = &[Part {
        key: Ec2::CLIENT_VPN,
        collection: "client_vpn_endpoints",
        field: None,
    }];
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;
    /// Rules compare addresses with CIDR blocks (is a source inside the
    /// VPC?): a block that does not parse would quietly match nothing.
    fn invalid_value(_path: &str, key: &str, value: &str) -> Option<&'static str> {
        (CIDR_FIELDS.contains(&key) && !is_cidr(value))
            .then_some("is not a CIDR block such as 10.0.0.0/16 or ::/0")
    }
});

/// The fields that hold a CIDR block.
const CIDR_FIELDS: &[&str] = &["cidr_block", "cidr_ipv4", "cidr_ipv6", "client_cidr_block"];

/// An IPv4 or IPv6 CIDR block: an address, `/`, a prefix length that fits it.
pub(crate) fn is_cidr(s: &str) -> bool {
    let Some((address, length)) = s.split_once('/') else {
        return false;
    };
    let Ok(length) = length.parse::<u8>() else {
        return false;
    };
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => length <= 32,
        Ok(std::net::IpAddr::V6(_)) => length <= 128,
        Err(_) => false,
    }
}

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
    // Instances are not compared (yet): findings about them are only located.
    TerraformType::located("aws_instance").arn("ec2", "instance", ArnNames::Rest),
    // A group's rules are inline blocks (`ingress`, `egress`) or resources of
    // their own (`aws_vpc_security_group_*_rule`), never both for one group:
    // see `Members`.
    TerraformType::new("aws_security_group", "security_groups", "{name}")
        .import(ImportId::Field("/id"))
        .aliases(&["aws_default_security_group"])
        .idents(&["id"])
        .arn("ec2", "security-group", ArnNames::Rest)
        .made_by_aws(group_made_by_aws)
        .members(Members {
            kinds: &[INGRESS_RULE, EGRESS_RULE],
            uncompared: &["aws_security_group_rule"],
            link: "security_group_id",
            inline: &["ingress", "egress"],
        })
        .compared(&[
            Compared::own("ingress", "/ingress", Norm::Items(&INGRESS)),
            Compared::own("egress", "/egress", Norm::Items(&EGRESS)),
        ]),
    rule_type(INGRESS_RULE, "security_groups/ingress"),
    rule_type(EGRESS_RULE, "security_groups/egress"),
];

const INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";
const EGRESS_RULE: &str = "aws_vpc_security_group_egress_rule";

/// A rule as a resource of its own (provider 5.0 and later), named by its
/// group and its `sgr-` id.
const fn rule_type(kind: &'static str, items: &'static str) -> TerraformType {
    TerraformType::new(kind, items, "{..name} {id}")
        .import(ImportId::Field("/id"))
        .idents(&["id"])
        .arn("ec2", "security-group-rule", ArnNames::Rest)
        .compared(RULE_COMPARED)
}

/// A rule's attributes, each as its own resource holds it.
const RULE_COMPARED: &[Compared] = &[
    Compared::own("ip_protocol", "/protocol", Norm::Protocol),
    Compared::own("from_port", "/from_port", Norm::Unset("-1")),
    Compared::own("to_port", "/to_port", Norm::Unset("-1")),
    Compared::own("cidr_ipv4", "/cidr_ipv4", Norm::Plain),
    Compared::own("cidr_ipv6", "/cidr_ipv6", Norm::Plain),
    Compared::own("prefix_list_id", "/prefix_list_id", Norm::Plain),
    Compared::own(
        "referenced_security_group_id",
        "/referenced_group_id",
        Norm::Plain,
    ),
    Compared::own("description", "/description", Norm::Plain),
];

/// Groups AWS or Kubernetes makes: the default group of every VPC (Terraform
/// may adopt it as `aws_default_security_group`, then it is compared like
/// any other), the cluster group EKS makes (`eks-cluster-sg-<cluster>-<n>`,
/// tagged `aws:eks:cluster-name`), and the `k8s-` groups Kubernetes makes for
/// load balancers (the AWS Load Balancer Controller's also carry
/// `elbv2.k8s.aws/cluster`; the in-tree cloud provider's `k8s-elb-<name>`
/// only `kubernetes.io/cluster/<cluster>`). A node group made by Terraform
/// (terraform-aws-eks) carries `kubernetes.io/cluster/<cluster>` too, but is
/// not named `k8s-`: that tag alone makes nothing AWS's.
fn group_made_by_aws(group: &Value, _: &Value) -> Option<&'static str> {
    let name = group["name"].as_str().unwrap_or_default();
    let tagged = |prefix: &str| {
        group["tags"]
            .as_object()
            .is_some_and(|tags| tags.keys().any(|k| k.starts_with(prefix)))
    };
    if name == "default" {
        Some("the default security group of a VPC (created by AWS)")
    } else if name.starts_with("eks-cluster-sg-") && tagged("aws:eks:cluster-name") {
        Some("the cluster security group EKS creates")
    } else if name.starts_with("k8s-") && tagged("kubernetes.io/cluster/") {
        Some("created by Kubernetes for a load balancer (tag kubernetes.io/cluster/...)")
    } else {
        None
    }
}

const INGRESS: ItemsOf = ItemsOf {
    state: |blocks, own| inline_rules(blocks, own, "from"),
    live: |rules, own| live_rules(rules, own, "from"),
};

const EGRESS: ItemsOf = ItemsOf {
    state: |blocks, own| inline_rules(blocks, own, "to"),
    live: |rules, own| live_rules(rules, own, "to"),
};

/// One rule as drift shows it: (`tcp 22 from 0.0.0.0/0`, and that with its
/// description). Every protocol (`-1`) has no ports; `-1` ports are none.
fn rule_text(
    proto: &str,
    from: Option<i64>,
    to: Option<i64>,
    way: &str,
    peer: &str,
    description: Option<&str>,
) -> (String, String) {
    let proto = ip_protocol(proto);
    let ports = match (from.filter(|p| *p != -1), to.filter(|p| *p != -1)) {
        _ if proto == "-1" => String::new(),
        (Some(a), Some(b)) if a == b => format!(" {a}"),
        (Some(a), Some(b)) => format!(" {a}-{b}"),
        (Some(a), None) | (None, Some(a)) => format!(" {a}"),
        (None, None) => String::new(),
    };
    let proto = if proto == "-1" { "all" } else { proto.as_str() };
    let key = format!("{proto}{ports} {way} {peer}");
    let text = match description.filter(|d| !d.is_empty()) {
        Some(d) => format!("{key} \"{d}\""),
        None => key.clone(),
    };
    (key, text)
}

/// A referenced group as one id: a state may name another account's group
/// `ACCOUNT/sg-...`, and the group itself `self`.
fn peer_group(id: &str, own: &str) -> String {
    let id = id.rsplit('/').next().unwrap_or(id);
    if id == own {
        "self".into()
    } else {
        id.into()
    }
}

/// The rules of a state's inline blocks: each block may name several
/// sources, AWS holds one rule per source.
fn inline_rules(blocks: &Value, own: &str, way: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in blocks.as_array().into_iter().flatten() {
        let list = |field: &str| -> Vec<String> {
            block[field]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let mut peers: Vec<String> = list("cidr_blocks");
        peers.extend(list("ipv6_cidr_blocks"));
        peers.extend(list("prefix_list_ids"));
        peers.extend(list("security_groups").iter().map(|g| peer_group(g, own)));
        if block["self"] == true {
            peers.push("self".into());
        }
        let port = |field: &str| block[field].as_i64();
        let proto = block["protocol"].as_str().unwrap_or("-1");
        for peer in peers {
            out.push(rule_text(
                proto,
                port("from_port"),
                port("to_port"),
                way,
                &peer,
                block["description"].as_str(),
            ));
        }
    }
    out
}

/// The live rules (one source each).
fn live_rules(rules: &Value, own: &str, way: &str) -> Vec<(String, String)> {
    let text = |rule: &Value, field: &str| rule[field].as_str().map(str::to_string);
    rules
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|rule| {
            let peer = text(rule, "cidr_ipv4")
                .or_else(|| text(rule, "cidr_ipv6"))
                .or_else(|| text(rule, "prefix_list_id"))
                .or_else(|| text(rule, "referenced_group_id").map(|g| peer_group(&g, own)))?;
            Some(rule_text(
                rule["protocol"].as_str().unwrap_or("-1"),
                rule["from_port"].as_i64(),
                rule["to_port"].as_i64(),
                way,
                &peer,
                rule["description"].as_str(),
            ))
        })
        .collect()
}

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
    /// Further IPv4 CIDRs associated with the VPC (secondary blocks, such
    /// as `100.64.0.0/16` for pods).
    #[serde(default)]
    pub secondary_cidr_blocks: Vec<String>,
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
    /// The subnet of its primary network interface.
    pub subnet_id: Option<String>,
    pub vpc_id: Option<String>,
    /// The public IPv4 address (an auto-assigned or Elastic IP), when it has one.
    pub public_ip: Option<String>,
    /// The security groups of all its network interfaces.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
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
    /// The addresses clients are given (`172.16.0.0/22`).
    pub client_cidr_block: Option<String>,
    /// The security groups of its network interfaces in the VPC.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// A route table: its routes, and the subnets it serves. A subnet without an
/// explicit association uses its VPC's main route table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    pub arn: String,
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    /// The VPC's main route table.
    pub main: bool,
    /// Subnets explicitly associated with it.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// An IPv4 or IPv6 CIDR block, or a prefix list id (`pl-...`).
    pub destination: String,
    /// Where the traffic goes: `local`, an internet gateway (`igw-...`), an
    /// egress-only one (`eigw-...`), a NAT gateway (`nat-...`), a transit
    /// gateway (`tgw-...`), a peering (`pcx-...`), an interface (`eni-...`),
    /// a VPC endpoint (`vpce-...`), a virtual private gateway (`vgw-...`).
    pub target: String,
    /// `active`, or `blackhole` when the target is gone.
    pub state: String,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub arn: String,
    pub id: String,
    pub name: String,
    pub region: String,
    pub description: String,
    /// Absent for an EC2-Classic group (none are left).
    pub vpc_id: Option<String>,
    /// What it admits.
    #[serde(default)]
    pub ingress: Vec<SecurityGroupRule>,
    /// What it lets out.
    #[serde(default)]
    pub egress: Vec<SecurityGroupRule>,
    #[serde(default)]
    pub tags: Tags,
}

/// One rule of a security group, as DescribeSecurityGroupRules gives it: one
/// protocol and port range, and exactly one of the four sources (or
/// destinations, for egress).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroupRule {
    pub arn: String,
    /// `sgr-...`.
    pub id: String,
    /// `-1` (every protocol and port), `tcp`, `udp`, `icmp`, `icmpv6`, or
    /// another protocol's number.
    pub protocol: String,
    /// The first port (ICMP: the type); `-1` with protocol `-1`.
    pub from_port: Option<i64>,
    /// The last port (ICMP: the code); `-1` with protocol `-1`.
    pub to_port: Option<i64>,
    /// An IPv4 block (`0.0.0.0/0`: every address).
    pub cidr_ipv4: Option<String>,
    /// An IPv6 block (`::/0`: every address).
    pub cidr_ipv6: Option<String>,
    /// A managed prefix list (`pl-...`: an AWS service's or the owner's list).
    pub prefix_list_id: Option<String>,
    /// Another security group (or this one): the members of that group.
    pub referenced_group_id: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// EBS encryption by default in one region (an account setting per region,
/// named `arn:<partition>:ec2:<region>:<account>:ebs-encryption-by-default`:
/// it has no ARN of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EbsEncryptionByDefault {
    pub arn: String,
    pub region: String,
    /// New volumes (and snapshot copies) are encrypted whatever the request says.
    pub enabled: bool,
}
