//! EC2: VPCs, subnets, route tables, security groups and their rules, flow logs,
//! launch templates (the default version's data), instances (network placement,
//! metadata options, launch template, instance profile), EBS encryption by
//! default and Client VPN endpoints.
//!
//! Every collection comes from one paginated Describe call; the list calls run
//! concurrently. Security groups and their rules are two calls: the rules come
//! from DescribeSecurityGroupRules, which names each rule (`sgr-...`, what
//! Terraform's rule resources are imported by) and gives it exactly one
//! source, where DescribeSecurityGroups nests several sources per permission. Launch templates' default versions come from one account-wide
//! DescribeLaunchTemplateVersions (`Versions=$Default`, no template id); only a
//! template missing from that answer (created meanwhile) is read on its own.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, found, tags_from, Read, Scope};
use crate::aws::CallError;
use crate::snapshot::{
    BlockDevice, ClientVpnEndpoint, EbsEncryptionByDefault, Ec2, FlowLog, Instance, LaunchTemplate,
    MetadataOptions, Route, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Tags, Vpc,
};
use aws_sdk_ec2::types::{self as ec2t, LaunchTemplateVersion};
use aws_sdk_ec2::Client;
use std::collections::{BTreeSet, HashMap};

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "EC2", "ec2":
    DescribeVpcs, DescribeSubnets, DescribeRouteTables, DescribeSecurityGroups,
    DescribeSecurityGroupRules, DescribeFlowLogs, DescribeInstances, DescribeLaunchTemplates,
    DescribeLaunchTemplateVersions, GetEbsEncryptionByDefault, DescribeClientVpnEndpoints,
);

/// The tag EC2 puts on instances launched from a launch template.
const LAUNCH_TEMPLATE_TAG: &str = "aws:ec2launchtemplate:id";

/// Page size for the launch template calls (AWS allows up to 200; moto returns
/// at most MaxResults, default 15, without a NextToken).
const LAUNCH_TEMPLATE_PAGE: i32 = 200;

/// The region's EC2 section. Client VPN endpoints are read and covered apart
/// (`ec2-client-vpn`): an endpoint without that API must not hide the VPCs.
pub(crate) async fn collect(scope: &Scope) -> Read<Ec2> {
    let ec2 = client!(aws_sdk_ec2, scope);
    let (main, vpn) = futures::join!(read(&ec2, scope), client_vpn_endpoints(&ec2, scope));
    let (mut section, main) = match main {
        Ok(section) => (section, Ok(())),
        Err(e) => (Ec2::default(), Err(e)),
    };
    let vpn = vpn.map(|endpoints| section.client_vpn_endpoints = endpoints);
    Read {
        section,
        parts: vec![("ec2", main), (Ec2::CLIENT_VPN, vpn)],
    }
}

async fn read(ec2: &Client, scope: &Scope) -> Result<Ec2, CallError> {
    let (
        vpcs,
        subnets,
        route_tables,
        security_groups,
        flow_logs,
        launch_templates,
        instances,
        ebs_encryption_by_default,
    ) = futures::try_join!(
        vpcs(ec2, scope),
        subnets(ec2, scope),
        route_tables(ec2, scope),
        security_groups(ec2, scope),
        flow_logs(ec2, scope),
        launch_templates(ec2, scope),
        instances(ec2, scope),
        ebs_encryption_by_default(ec2, scope),
    )?;
    Ok(Ec2 {
        vpcs,
        subnets,
        route_tables,
        security_groups,
        flow_logs,
        launch_templates,
        instances,
        ebs_encryption_by_default,
        client_vpn_endpoints: Vec::new(),
    })
}

fn tags(tags: &[ec2t::Tag]) -> Tags {
    tags_from(tags, |t| (t.key(), t.value()))
}

/// `arn:<partition>:ec2:<region>:<owner>:<kind>/<id>`; the owner defaults to the
/// account read (a VPC or subnet shared through RAM names its owner).
fn arn(scope: &Scope, owner: Option<&str>, kind: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{}:{}:{kind}/{id}",
        scope.partition,
        scope.region,
        owner.unwrap_or(&scope.account_id)
    )
}

async fn vpcs(ec2: &Client, scope: &Scope) -> Result<Vec<Vpc>, CallError> {
    let vpcs = every(ec2.describe_vpcs().into_paginator().items().send()).await?;
    Ok(vpcs
        .iter()
        .filter_map(|v| {
            let id = v.vpc_id()?.to_string();
            Some(Vpc {
                arn: arn(scope, v.owner_id(), "vpc", &id),
                region: scope.region.clone(),
                cidr_block: v.cidr_block().unwrap_or_default().to_string(),
                is_default: v.is_default().unwrap_or(false),
                secondary_cidr_blocks: v
                    .cidr_block_association_set()
                    .iter()
                    .filter(|a| {
                        a.cidr_block_state().and_then(|s| s.state())
                            == Some(&ec2t::VpcCidrBlockStateCode::Associated)
                    })
                    .filter_map(|a| a.cidr_block())
                    .filter(|block| Some(*block) != v.cidr_block())
                    .map(str::to_string)
                    .collect(),
                tags: tags(v.tags()),
                id,
            })
        })
        .collect())
}

async fn subnets(ec2: &Client, scope: &Scope) -> Result<Vec<Subnet>, CallError> {
    let subnets = every(ec2.describe_subnets().into_paginator().items().send()).await?;
    Ok(subnets
        .iter()
        .filter_map(|s| {
            let id = s.subnet_id()?.to_string();
            Some(Subnet {
                arn: s
                    .subnet_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| arn(scope, s.owner_id(), "subnet", &id)),
                region: scope.region.clone(),
                vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                cidr_block: s.cidr_block().unwrap_or_default().to_string(),
                availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                map_public_ip_on_launch: s.map_public_ip_on_launch().unwrap_or(false),
                tags: tags(s.tags()),
                id,
            })
        })
        .collect())
}

async fn route_tables(ec2: &Client, scope: &Scope) -> Result<Vec<RouteTable>, CallError> {
    let tables = every(ec2.describe_route_tables().into_paginator().items().send()).await?;
    Ok(tables
        .iter()
        .filter_map(|t| {
            let id = t.route_table_id()?.to_string();
            let associations = t.associations();
            let mut subnet_ids: Vec<String> = associations
                .iter()
                .filter_map(|a| a.subnet_id())
                .map(str::to_string)
                .collect();
            subnet_ids.sort();
            Some(RouteTable {
                arn: arn(scope, t.owner_id(), "route-table", &id),
                region: scope.region.clone(),
                vpc_id: t.vpc_id().unwrap_or_default().to_string(),
                main: associations.iter().any(|a| a.main() == Some(true)),
                subnet_ids,
                routes: t.routes().iter().filter_map(route).collect(),
                tags: tags(t.tags()),
                id,
            })
        })
        .collect())
}

/// A route's destination and target; `None` for a route without either.
fn route(r: &ec2t::Route) -> Option<Route> {
    let destination = r
        .destination_cidr_block()
        .or(r.destination_ipv6_cidr_block())
        .or(r.destination_prefix_list_id())?;
    let target = r
        .gateway_id()
        .or(r.nat_gateway_id())
        .or(r.egress_only_internet_gateway_id())
        .or(r.transit_gateway_id())
        .or(r.vpc_peering_connection_id())
        .or(r.network_interface_id())
        .or(r.instance_id())
        .or(r.local_gateway_id())
        .or(r.carrier_gateway_id())
        .or(r.core_network_arn())?;
    Some(Route {
        destination: destination.to_string(),
        target: target.to_string(),
        state: r
            .state()
            .map(|s| s.as_str())
            .unwrap_or("active")
            .to_string(),
    })
}

/// The region's security groups, each with its rules (a rule of a group
/// created between the two calls is left out with its group).
async fn security_groups(ec2: &Client, scope: &Scope) -> Result<Vec<SecurityGroup>, CallError> {
    let (groups, rules) = futures::try_join!(
        every(
            ec2.describe_security_groups()
                .into_paginator()
                .items()
                .send()
        ),
        every(
            ec2.describe_security_group_rules()
                .into_paginator()
                .items()
                .send()
        ),
    )?;
    let mut by_group: HashMap<&str, (Vec<SecurityGroupRule>, Vec<SecurityGroupRule>)> =
        HashMap::new();
    for r in &rules {
        let (Some(group), Some(rule)) = (r.group_id(), security_group_rule(scope, r)) else {
            continue;
        };
        let (ingress, egress) = by_group.entry(group).or_default();
        if r.is_egress() == Some(true) {
            egress.push(rule);
        } else {
            ingress.push(rule);
        }
    }
    Ok(groups
        .iter()
        .filter_map(|g| {
            let id = g.group_id()?.to_string();
            let (mut ingress, mut egress) = by_group.remove(id.as_str()).unwrap_or_default();
            ingress.sort_by(|a, b| a.id.cmp(&b.id));
            egress.sort_by(|a, b| a.id.cmp(&b.id));
            Some(SecurityGroup {
                arn: g
                    .security_group_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| arn(scope, g.owner_id(), "security-group", &id)),
                region: scope.region.clone(),
                name: g.group_name().unwrap_or_default().to_string(),
                description: g.description().unwrap_or_default().to_string(),
                vpc_id: g.vpc_id().map(str::to_string),
                ingress,
                egress,
                tags: tags(g.tags()),
                id,
            })
        })
        .collect())
}

fn security_group_rule(scope: &Scope, r: &ec2t::SecurityGroupRule) -> Option<SecurityGroupRule> {
    let id = r.security_group_rule_id()?.to_string();
    Some(SecurityGroupRule {
        arn: r
            .security_group_rule_arn()
            .map(str::to_string)
            .unwrap_or_else(|| arn(scope, r.group_owner_id(), "security-group-rule", &id)),
        protocol: r.ip_protocol().unwrap_or("-1").to_string(),
        from_port: r.from_port().map(i64::from),
        to_port: r.to_port().map(i64::from),
        cidr_ipv4: r.cidr_ipv4().map(str::to_string),
        cidr_ipv6: r.cidr_ipv6().map(str::to_string),
        prefix_list_id: r.prefix_list_id().map(str::to_string),
        referenced_group_id: r
            .referenced_group_info()
            .and_then(|g| g.group_id())
            .map(str::to_string),
        description: r
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        tags: tags(r.tags()),
        id,
    })
}

/// The region's EBS encryption-by-default setting (one item).
async fn ebs_encryption_by_default(
    ec2: &Client,
    scope: &Scope,
) -> Result<Vec<EbsEncryptionByDefault>, CallError> {
    let out = ec2
        .get_ebs_encryption_by_default()
        .send()
        .await
        .map_err(super::call)?;
    Ok(vec![EbsEncryptionByDefault {
        arn: format!(
            "arn:{}:ec2:{}:{}:ebs-encryption-by-default",
            scope.partition, scope.region, scope.account_id
        ),
        region: scope.region.clone(),
        enabled: out.ebs_encryption_by_default().unwrap_or(false),
    }])
}

async fn flow_logs(ec2: &Client, scope: &Scope) -> Result<Vec<FlowLog>, CallError> {
    let logs = every(ec2.describe_flow_logs().into_paginator().items().send()).await?;
    Ok(logs
        .iter()
        .filter_map(|f| {
            let id = f.flow_log_id()?.to_string();
            Some(FlowLog {
                arn: arn(scope, None, "vpc-flow-log", &id),
                region: scope.region.clone(),
                resource_id: f.resource_id().unwrap_or_default().to_string(),
                traffic_type: f.traffic_type().map(|t| t.as_str().to_string()),
                log_destination_type: f.log_destination_type().map(|t| t.as_str().to_string()),
                status: f.flow_log_status().map(str::to_string),
                tags: tags(f.tags()),
                id,
            })
        })
        .collect())
}

async fn launch_templates(ec2: &Client, scope: &Scope) -> Result<Vec<LaunchTemplate>, CallError> {
    let templates = every(
        ec2.describe_launch_templates()
            .max_results(LAUNCH_TEMPLATE_PAGE)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    if templates.is_empty() {
        return Ok(Vec::new());
    }
    // Every template's default version in one paginated call.
    let mut defaults: HashMap<String, LaunchTemplateVersion> = every(
        ec2.describe_launch_template_versions()
            .versions("$Default")
            .max_results(LAUNCH_TEMPLATE_PAGE)
            .into_paginator()
            .items()
            .send(),
    )
    .await?
    .into_iter()
    .filter(|v| v.default_version().unwrap_or(true))
    .filter_map(|v| Some((v.launch_template_id()?.to_string(), v)))
    .collect();

    let pending: Vec<_> = templates
        .into_iter()
        .map(|t| {
            let known = t.launch_template_id().and_then(|id| defaults.remove(id));
            (t, known)
        })
        .collect();

    each_found(pending, |(t, known)| {
        async move {
            let Some(id) = t.launch_template_id().map(str::to_string) else {
                return Ok(None);
            };
            let version = match known {
                Some(v) => v,
                // Created after the account-wide call: read this one's default version.
                None => match default_version(ec2, &id).await? {
                    Some(v) => v,
                    // Deleted meanwhile.
                    None => return Ok(None),
                },
            };
            Ok(Some(launch_template(scope, &t, &id, &version)))
        }
    })
    .await
}

/// The default version of one launch template; `None` when it no longer exists.
async fn default_version(
    ec2: &Client,
    id: &str,
) -> Result<Option<LaunchTemplateVersion>, CallError> {
    let out = found(
        ec2.describe_launch_template_versions()
            .launch_template_id(id)
            .versions("$Default")
            .send()
            .await,
        &[
            "InvalidLaunchTemplateId.NotFound",
            "InvalidLaunchTemplateId.VersionNotFound",
        ],
    )?;
    Ok(out.and_then(|o| o.launch_template_versions().first().cloned()))
}

fn launch_template(
    scope: &Scope,
    t: &ec2t::LaunchTemplate,
    id: &str,
    version: &LaunchTemplateVersion,
) -> LaunchTemplate {
    let data = version.launch_template_data();
    LaunchTemplate {
        arn: arn(scope, None, "launch-template", id),
        id: id.to_string(),
        name: t
            .launch_template_name()
            .or(version.launch_template_name())
            .unwrap_or_default()
            .to_string(),
        region: scope.region.clone(),
        default_version: t
            .default_version_number()
            .or(version.version_number())
            .unwrap_or(1),
        image_id: data.and_then(|d| d.image_id()).map(str::to_string),
        metadata_options: data
            .and_then(|d| d.metadata_options())
            .map(|m| MetadataOptions {
                http_tokens: m.http_tokens().map(|v| v.as_str().to_string()),
                http_put_response_hop_limit: m.http_put_response_hop_limit().map(i64::from),
                http_endpoint: m.http_endpoint().map(|v| v.as_str().to_string()),
            }),
        block_devices: data
            .map(|d| d.block_device_mappings())
            .unwrap_or_default()
            .iter()
            .filter_map(|b| {
                // Only EBS volumes: instance-store and suppressed (NoDevice) mappings
                // carry no encryption setting.
                let ebs = b.ebs()?;
                Some(BlockDevice {
                    device_name: b.device_name().unwrap_or_default().to_string(),
                    encrypted: ebs.encrypted(),
                    kms_key_id: ebs.kms_key_id().map(str::to_string),
                    volume_size: ebs.volume_size().map(i64::from),
                    volume_type: ebs.volume_type().map(|v| v.as_str().to_string()),
                })
            })
            .collect(),
        tags: tags(t.tags()),
    }
}

async fn instances(ec2: &Client, scope: &Scope) -> Result<Vec<Instance>, CallError> {
    let reservations = every(ec2.describe_instances().into_paginator().items().send()).await?;
    Ok(reservations
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| {
            let id = i.instance_id()?.to_string();
            let tags = tags(i.tags());
            let metadata = i.metadata_options();
            Some(Instance {
                arn: arn(scope, None, "instance", &id),
                region: scope.region.clone(),
                instance_type: i
                    .instance_type()
                    .map(|t| t.as_str())
                    .unwrap_or_default()
                    .to_string(),
                state: i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str())
                    .unwrap_or_default()
                    .to_string(),
                launch_template_id: tags.get(LAUNCH_TEMPLATE_TAG).cloned(),
                iam_instance_profile_arn: i
                    .iam_instance_profile()
                    .and_then(|p| p.arn())
                    .map(str::to_string),
                metadata_options: MetadataOptions {
                    http_tokens: metadata
                        .and_then(|m| m.http_tokens())
                        .map(|v| v.as_str().to_string()),
                    http_put_response_hop_limit: metadata
                        .and_then(|m| m.http_put_response_hop_limit())
                        .map(i64::from),
                    http_endpoint: metadata
                        .and_then(|m| m.http_endpoint())
                        .map(|v| v.as_str().to_string()),
                },
                subnet_id: i.subnet_id().map(str::to_string),
                vpc_id: i.vpc_id().map(str::to_string),
                public_ip: i.public_ip_address().map(str::to_string),
                security_group_ids: instance_security_groups(i),
                tags,
                id,
            })
        })
        .collect())
}

/// The groups of the instance and of each of its network interfaces, sorted.
fn instance_security_groups(i: &ec2t::Instance) -> Vec<String> {
    let own = i.security_groups().iter().filter_map(|g| g.group_id());
    let interfaces = i
        .network_interfaces()
        .iter()
        .flat_map(|n| n.groups())
        .filter_map(|g| g.group_id());
    let ids: BTreeSet<&str> = own.chain(interfaces).collect();
    ids.into_iter().map(str::to_string).collect()
}

async fn client_vpn_endpoints(
    ec2: &Client,
    scope: &Scope,
) -> Result<Vec<ClientVpnEndpoint>, CallError> {
    let endpoints = every(
        ec2.describe_client_vpn_endpoints()
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(endpoints
        .iter()
        .filter_map(|e| {
            let id = e.client_vpn_endpoint_id()?.to_string();
            Some(ClientVpnEndpoint {
                arn: arn(scope, None, "client-vpn-endpoint", &id),
                region: scope.region.clone(),
                description: e
                    .description()
                    .filter(|d| !d.is_empty())
                    .map(str::to_string),
                vpc_id: e.vpc_id().map(str::to_string),
                status: e
                    .status()
                    .and_then(|s| s.code())
                    .map(|c| c.as_str())
                    .unwrap_or_default()
                    .to_string(),
                server_certificate_arn: e.server_certificate_arn().map(str::to_string),
                authentication_types: e
                    .authentication_options()
                    .iter()
                    .filter_map(|a| a.r#type().map(|t| t.as_str().to_string()))
                    .collect(),
                connection_log_enabled: e
                    .connection_log_options()
                    .and_then(|c| c.enabled())
                    .unwrap_or(false),
                split_tunnel: e.split_tunnel().unwrap_or(false),
                client_cidr_block: e.client_cidr_block().map(str::to_string),
                security_group_ids: e.security_group_ids().to_vec(),
                tags: tags(e.tags()),
                id,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    //! moto does not implement Client VPN: these tests drive `read` through
    //! aws-smithy-mocks instead.

    use super::*;

    use crate::snapshot::ErrorClass;
    use aws_sdk_ec2::operation::describe_client_vpn_endpoints::DescribeClientVpnEndpointsOutput;
    use aws_sdk_ec2::operation::describe_flow_logs::DescribeFlowLogsOutput;
    use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
    use aws_sdk_ec2::operation::describe_launch_template_versions::{
        DescribeLaunchTemplateVersionsError, DescribeLaunchTemplateVersionsOutput,
    };
    use aws_sdk_ec2::operation::describe_launch_templates::DescribeLaunchTemplatesOutput;
    use aws_sdk_ec2::operation::describe_route_tables::DescribeRouteTablesOutput;
    use aws_sdk_ec2::operation::describe_security_group_rules::DescribeSecurityGroupRulesOutput;
    use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
    use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
    use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
    use aws_sdk_ec2::operation::get_ebs_encryption_by_default::GetEbsEncryptionByDefaultOutput;
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    const ACCOUNT: &str = "123456789012";
    const REGION: &str = "eu-central-1";
    const ENDPOINT: &str = "cvpn-endpoint-0a1b2c3d4e5f60718";

    fn scope() -> Scope {
        Scope::for_test(ACCOUNT, REGION)
    }

    /// A client answered by `rules` (the service crates' `test-util` feature,
    /// which `mock_client!` needs, is not enabled).
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_ec2, rules)
    }

    /// Empty answers for VPCs, subnets, route tables, security groups, flow
    /// logs, and EBS encryption by default off.
    fn empty_networks() -> Vec<Rule> {
        vec![
            mock!(Client::describe_vpcs).then_output(|| DescribeVpcsOutput::builder().build()),
            mock!(Client::describe_subnets)
                .then_output(|| DescribeSubnetsOutput::builder().build()),
            mock!(Client::describe_route_tables)
                .then_output(|| DescribeRouteTablesOutput::builder().build()),
            mock!(Client::describe_security_groups)
                .then_output(|| DescribeSecurityGroupsOutput::builder().build()),
            mock!(Client::describe_security_group_rules)
                .then_output(|| DescribeSecurityGroupRulesOutput::builder().build()),
            mock!(Client::describe_flow_logs)
                .then_output(|| DescribeFlowLogsOutput::builder().build()),
            mock!(Client::get_ebs_encryption_by_default).then_output(|| {
                GetEbsEncryptionByDefaultOutput::builder()
                    .ebs_encryption_by_default(false)
                    .build()
            }),
        ]
    }

    /// Empty answers for every list call but Client VPN.
    fn empty_lists() -> Vec<Rule> {
        let mut rules = empty_networks();
        rules.push(
            mock!(Client::describe_instances)
                .then_output(|| DescribeInstancesOutput::builder().build()),
        );
        rules.push(
            mock!(Client::describe_launch_templates)
                .then_output(|| DescribeLaunchTemplatesOutput::builder().build()),
        );
        rules
    }

    fn endpoint() -> ec2t::ClientVpnEndpoint {
        ec2t::ClientVpnEndpoint::builder()
            .client_vpn_endpoint_id(ENDPOINT)
            .description("Development VPN")
            .vpc_id("vpc-0123456789abcdef0")
            .status(
                ec2t::ClientVpnEndpointStatus::builder()
                    .code(ec2t::ClientVpnEndpointStatusCode::Available)
                    .build(),
            )
            .server_certificate_arn(format!(
                "arn:aws:acm:{REGION}:{ACCOUNT}:certificate/3f1d2c4b-5a6e-4f70-8a9b-0c1d2e3f4a5b"
            ))
            .authentication_options(
                ec2t::ClientVpnAuthentication::builder()
                    .r#type(ec2t::ClientVpnAuthenticationType::CertificateAuthentication)
                    .build(),
            )
            .authentication_options(
                ec2t::ClientVpnAuthentication::builder()
                    .r#type(ec2t::ClientVpnAuthenticationType::FederatedAuthentication)
                    .build(),
            )
            .connection_log_options(
                ec2t::ConnectionLogResponseOptions::builder()
                    .enabled(true)
                    .cloudwatch_log_group("/aws/clientvpn/dev")
                    .build(),
            )
            .split_tunnel(true)
            .client_cidr_block("172.16.0.0/22")
            .security_group_ids("sg-0e5e5e5e5e5e5e5e5")
            .tags(ec2t::Tag::builder().key("Name").value("dev-vpn").build())
            .build()
    }

    #[tokio::test]
    async fn maps_client_vpn_endpoints() {
        let vpn = mock!(Client::describe_client_vpn_endpoints).then_output(|| {
            DescribeClientVpnEndpointsOutput::builder()
                .client_vpn_endpoints(endpoint())
                // Minimal: no options, no status, no tags.
                .client_vpn_endpoints(
                    ec2t::ClientVpnEndpoint::builder()
                        .client_vpn_endpoint_id("cvpn-endpoint-0ffffffffffffffff")
                        .build(),
                )
                .build()
        });
        let mut rules = empty_lists();
        rules.push(vpn);
        let ec2 = mocked(&rules.iter().collect::<Vec<_>>());

        let endpoints = client_vpn_endpoints(&ec2, &scope())
            .await
            .expect("Client VPN read");
        assert_eq!(endpoints.len(), 2);
        let e = &endpoints[0];
        assert_eq!(
            e.arn,
            format!("arn:aws:ec2:{REGION}:{ACCOUNT}:client-vpn-endpoint/{ENDPOINT}")
        );
        assert_eq!(e.id, ENDPOINT);
        assert_eq!(e.region, REGION);
        assert_eq!(e.description.as_deref(), Some("Development VPN"));
        assert_eq!(e.vpc_id.as_deref(), Some("vpc-0123456789abcdef0"));
        assert_eq!(e.status, "available");
        assert!(e
            .server_certificate_arn
            .as_deref()
            .is_some_and(|a| a.starts_with("arn:aws:acm:eu-central-1:123456789012:certificate/")));
        assert_eq!(
            e.authentication_types,
            ["certificate-authentication", "federated-authentication"]
        );
        assert!(e.connection_log_enabled);
        assert!(e.split_tunnel);
        assert_eq!(e.client_cidr_block.as_deref(), Some("172.16.0.0/22"));
        assert_eq!(e.security_group_ids, ["sg-0e5e5e5e5e5e5e5e5"]);
        assert_eq!(e.tags.get("Name").map(String::as_str), Some("dev-vpn"));

        let bare = &endpoints[1];
        assert_eq!(bare.description, None);
        assert_eq!(bare.vpc_id, None);
        assert_eq!(bare.server_certificate_arn, None);
        assert!(bare.authentication_types.is_empty());
        assert!(!bare.connection_log_enabled);
        assert!(!bare.split_tunnel);
        assert_eq!(bare.client_cidr_block, None);
    }

    #[tokio::test]
    async fn unimplemented_client_vpn_is_a_not_implemented_error() {
        // moto answers an unimplemented EC2 action with an HTML 500 page.
        let vpn = mock!(Client::describe_client_vpn_endpoints).then_http_response(|| {
            HttpResponse::new(
                StatusCode::try_from(500).unwrap(),
                SdkBody::from("<!doctype html><title>500 Internal Server Error</title>"),
            )
        });
        let mut rules = empty_lists();
        rules.push(vpn);
        let ec2 = mocked(&rules.iter().collect::<Vec<_>>());

        let err = client_vpn_endpoints(&ec2, &scope())
            .await
            .expect_err("not read");
        assert_eq!(err.class, ErrorClass::NotImplemented);
    }

    #[tokio::test]
    async fn access_denied_on_client_vpn_is_classified() {
        let vpn = mock!(Client::describe_client_vpn_endpoints).then_http_response(|| {
            HttpResponse::new(
                StatusCode::try_from(403).unwrap(),
                SdkBody::from(
                    "<Response><Errors><Error><Code>UnauthorizedOperation</Code>\
                     <Message>You are not authorized to perform this operation.</Message>\
                     </Error></Errors><RequestID>r</RequestID></Response>",
                ),
            )
        });
        let mut rules = empty_lists();
        rules.push(vpn);
        let ec2 = mocked(&rules.iter().collect::<Vec<_>>());

        let err = client_vpn_endpoints(&ec2, &scope())
            .await
            .expect_err("denied");
        assert_eq!(err.class, ErrorClass::AccessDenied);
    }

    fn template(id: &str, name: &str, default: i64) -> ec2t::LaunchTemplate {
        ec2t::LaunchTemplate::builder()
            .launch_template_id(id)
            .launch_template_name(name)
            .default_version_number(default)
            .latest_version_number(default + 1)
            .tags(ec2t::Tag::builder().key("team").value("platform").build())
            .build()
    }

    fn version(id: &str, number: i64, image: &str, imdsv2: bool) -> ec2t::LaunchTemplateVersion {
        let mut data = ec2t::ResponseLaunchTemplateData::builder()
            .image_id(image)
            .block_device_mappings(
                ec2t::LaunchTemplateBlockDeviceMapping::builder()
                    .device_name("/dev/xvda")
                    .ebs(
                        ec2t::LaunchTemplateEbsBlockDevice::builder()
                            .encrypted(true)
                            .kms_key_id(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                            .volume_size(50)
                            .volume_type(ec2t::VolumeType::Gp3)
                            .build(),
                    )
                    .build(),
            )
            .block_device_mappings(
                ec2t::LaunchTemplateBlockDeviceMapping::builder()
                    .device_name("/dev/sdb")
                    .virtual_name("ephemeral0")
                    .build(),
            );
        if imdsv2 {
            data = data.metadata_options(
                ec2t::LaunchTemplateInstanceMetadataOptions::builder()
                    .http_tokens(ec2t::LaunchTemplateHttpTokensState::Required)
                    .http_put_response_hop_limit(2)
                    .http_endpoint(ec2t::LaunchTemplateInstanceMetadataEndpointState::Enabled)
                    .build(),
            );
        }
        ec2t::LaunchTemplateVersion::builder()
            .launch_template_id(id)
            .version_number(number)
            .default_version(true)
            .launch_template_data(data.build())
            .build()
    }

    #[tokio::test]
    async fn launch_templates_default_versions_and_instances() {
        let templates = mock!(Client::describe_launch_templates).then_output(|| {
            DescribeLaunchTemplatesOutput::builder()
                .launch_templates(template("lt-0aaaaaaaaaaaaaaaa", "eks-nodes", 3))
                .launch_templates(template("lt-0bbbbbbbbbbbbbbbb", "created-meanwhile", 1))
                .launch_templates(template("lt-0cccccccccccccccc", "deleted-meanwhile", 1))
                .build()
        });
        // The account-wide call knows only the first template.
        let all_defaults = mock!(Client::describe_launch_template_versions)
            .match_requests(|r| r.launch_template_id().is_none())
            .then_output(|| {
                DescribeLaunchTemplateVersionsOutput::builder()
                    .launch_template_versions(version(
                        "lt-0aaaaaaaaaaaaaaaa",
                        3,
                        "ami-0123456789abcdef0",
                        true,
                    ))
                    .build()
            });
        let one_default = mock!(Client::describe_launch_template_versions)
            .match_requests(|r| r.launch_template_id() == Some("lt-0bbbbbbbbbbbbbbbb"))
            .then_output(|| {
                DescribeLaunchTemplateVersionsOutput::builder()
                    .launch_template_versions(version(
                        "lt-0bbbbbbbbbbbbbbbb",
                        1,
                        "ami-0fedcba9876543210",
                        false,
                    ))
                    .build()
            });
        let gone = mock!(Client::describe_launch_template_versions)
            .match_requests(|r| r.launch_template_id() == Some("lt-0cccccccccccccccc"))
            .then_error(|| {
                DescribeLaunchTemplateVersionsError::generic(
                    ErrorMetadata::builder()
                        .code("InvalidLaunchTemplateId.NotFound")
                        .message("The specified launch template does not exist.")
                        .build(),
                )
            });
        let instances = mock!(Client::describe_instances).then_output(|| {
            DescribeInstancesOutput::builder()
                .reservations(
                    ec2t::Reservation::builder()
                        .owner_id(ACCOUNT)
                        .instances(
                            ec2t::Instance::builder()
                                .instance_id("i-0123456789abcdef0")
                                .instance_type(ec2t::InstanceType::M5Large)
                                .state(
                                    ec2t::InstanceState::builder()
                                        .name(ec2t::InstanceStateName::Running)
                                        .build(),
                                )
                                .iam_instance_profile(
                                    ec2t::IamInstanceProfile::builder()
                                        .arn(format!(
                                            "arn:aws:iam::{ACCOUNT}:instance-profile/eks-node"
                                        ))
                                        .build(),
                                )
                                .metadata_options(
                                    ec2t::InstanceMetadataOptionsResponse::builder()
                                        .http_tokens(ec2t::HttpTokensState::Optional)
                                        .http_put_response_hop_limit(1)
                                        .http_endpoint(ec2t::InstanceMetadataEndpointState::Enabled)
                                        .build(),
                                )
                                .tags(
                                    ec2t::Tag::builder()
                                        .key(LAUNCH_TEMPLATE_TAG)
                                        .value("lt-0aaaaaaaaaaaaaaaa")
                                        .build(),
                                )
                                .subnet_id("subnet-0aaaaaaaaaaaaaaaa")
                                .vpc_id("vpc-0123456789abcdef0")
                                .public_ip_address("203.0.113.10")
                                .security_groups(
                                    ec2t::GroupIdentifier::builder()
                                        .group_id("sg-0b0b0b0b0b0b0b0b0")
                                        .build(),
                                )
                                // A second interface with another group, and the first again.
                                .network_interfaces(
                                    ec2t::InstanceNetworkInterface::builder()
                                        .groups(
                                            ec2t::GroupIdentifier::builder()
                                                .group_id("sg-0a0a0a0a0a0a0a0a0")
                                                .build(),
                                        )
                                        .groups(
                                            ec2t::GroupIdentifier::builder()
                                                .group_id("sg-0b0b0b0b0b0b0b0b0")
                                                .build(),
                                        )
                                        .build(),
                                )
                                .build(),
                        )
                        .instances(
                            ec2t::Instance::builder()
                                .instance_id("i-0fedcba9876543210")
                                .instance_type(ec2t::InstanceType::T3Micro)
                                .state(
                                    ec2t::InstanceState::builder()
                                        .name(ec2t::InstanceStateName::Stopped)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let vpn = mock!(Client::describe_client_vpn_endpoints)
            .then_output(|| DescribeClientVpnEndpointsOutput::builder().build());
        let mut rules = empty_networks();
        rules.extend([templates, all_defaults, one_default, gone, instances, vpn]);
        let ec2 = mocked(&rules.iter().collect::<Vec<_>>());

        let data = read(&ec2, &scope()).await.expect("EC2 read");
        assert_eq!(
            data.launch_templates.len(),
            2,
            "the deleted template is left out"
        );
        let lt = &data.launch_templates[0];
        assert_eq!(
            lt.arn,
            format!("arn:aws:ec2:{REGION}:{ACCOUNT}:launch-template/lt-0aaaaaaaaaaaaaaaa")
        );
        assert_eq!(lt.name, "eks-nodes");
        assert_eq!(lt.default_version, 3);
        assert_eq!(lt.image_id.as_deref(), Some("ami-0123456789abcdef0"));
        assert_eq!(
            lt.metadata_options,
            Some(MetadataOptions {
                http_tokens: Some("required".to_string()),
                http_put_response_hop_limit: Some(2),
                http_endpoint: Some("enabled".to_string()),
            })
        );
        assert_eq!(
            lt.block_devices.len(),
            1,
            "instance-store mappings are left out"
        );
        assert_eq!(lt.block_devices[0].device_name, "/dev/xvda");
        assert_eq!(lt.block_devices[0].encrypted, Some(true));
        assert_eq!(lt.block_devices[0].volume_size, Some(50));
        assert_eq!(lt.block_devices[0].volume_type.as_deref(), Some("gp3"));
        assert_eq!(lt.tags.get("team").map(String::as_str), Some("platform"));
        let late = &data.launch_templates[1];
        assert_eq!(late.id, "lt-0bbbbbbbbbbbbbbbb");
        assert_eq!(late.image_id.as_deref(), Some("ami-0fedcba9876543210"));
        assert_eq!(
            late.metadata_options, None,
            "no metadata options in the template"
        );

        assert_eq!(data.instances.len(), 2);
        let i = &data.instances[0];
        assert_eq!(
            i.arn,
            format!("arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-0123456789abcdef0")
        );
        assert_eq!(i.instance_type, "m5.large");
        assert_eq!(i.state, "running");
        assert_eq!(
            i.launch_template_id.as_deref(),
            Some("lt-0aaaaaaaaaaaaaaaa")
        );
        assert_eq!(
            i.iam_instance_profile_arn.as_deref(),
            Some("arn:aws:iam::123456789012:instance-profile/eks-node")
        );
        assert_eq!(i.metadata_options.http_tokens.as_deref(), Some("optional"));
        assert_eq!(i.metadata_options.http_put_response_hop_limit, Some(1));
        assert_eq!(i.subnet_id.as_deref(), Some("subnet-0aaaaaaaaaaaaaaaa"));
        assert_eq!(i.vpc_id.as_deref(), Some("vpc-0123456789abcdef0"));
        assert_eq!(i.public_ip.as_deref(), Some("203.0.113.10"));
        assert_eq!(
            i.security_group_ids,
            ["sg-0a0a0a0a0a0a0a0a0", "sg-0b0b0b0b0b0b0b0b0"]
        );
        let bare = &data.instances[1];
        assert_eq!(bare.state, "stopped");
        assert_eq!(bare.launch_template_id, None);
        assert_eq!(bare.iam_instance_profile_arn, None);
        assert_eq!(bare.metadata_options, MetadataOptions::default());
        assert_eq!(
            (bare.subnet_id.as_deref(), bare.public_ip.as_deref()),
            (None, None)
        );
        assert!(bare.security_group_ids.is_empty());
    }

    fn rule(id: &str, group: &str, egress: bool) -> ec2t::builders::SecurityGroupRuleBuilder {
        ec2t::SecurityGroupRule::builder()
            .security_group_rule_id(id)
            .group_id(group)
            .group_owner_id(ACCOUNT)
            .is_egress(egress)
    }

    #[tokio::test]
    async fn security_groups_route_tables_and_ebs_default() {
        const DB: &str = "sg-0d1d1d1d1d1d1d1d1";
        const APP: &str = "sg-0a1a1a1a1a1a1a1a1";
        let vpcs = mock!(Client::describe_vpcs).then_output(|| {
            DescribeVpcsOutput::builder()
                .vpcs(
                    ec2t::Vpc::builder()
                        .vpc_id("vpc-0123456789abcdef0")
                        .owner_id(ACCOUNT)
                        .cidr_block("10.20.0.0/16")
                        .is_default(false)
                        .cidr_block_association_set(association("10.20.0.0/16", true))
                        .cidr_block_association_set(association("100.64.0.0/16", true))
                        // Being removed: no longer the VPC's.
                        .cidr_block_association_set(association("100.65.0.0/16", false))
                        .build(),
                )
                .build()
        });
        let tables = mock!(Client::describe_route_tables).then_output(|| {
            DescribeRouteTablesOutput::builder()
                .route_tables(
                    ec2t::RouteTable::builder()
                        .route_table_id("rtb-0a0a0a0a0a0a0a0a0")
                        .vpc_id("vpc-0123456789abcdef0")
                        .owner_id(ACCOUNT)
                        .associations(ec2t::RouteTableAssociation::builder().main(true).build())
                        .routes(
                            ec2t::Route::builder()
                                .destination_cidr_block("10.20.0.0/16")
                                .gateway_id("local")
                                .state(ec2t::RouteState::Active)
                                .build(),
                        )
                        .build(),
                )
                .route_tables(
                    ec2t::RouteTable::builder()
                        .route_table_id("rtb-0b0b0b0b0b0b0b0b0")
                        .vpc_id("vpc-0123456789abcdef0")
                        .associations(
                            ec2t::RouteTableAssociation::builder()
                                .main(false)
                                .subnet_id("subnet-0ccccccccccccccc2")
                                .build(),
                        )
                        .associations(
                            ec2t::RouteTableAssociation::builder()
                                .main(false)
                                .subnet_id("subnet-0ccccccccccccccc1")
                                .build(),
                        )
                        .routes(
                            ec2t::Route::builder()
                                .destination_cidr_block("0.0.0.0/0")
                                .gateway_id("igw-0f0f0f0f0f0f0f0f0")
                                .state(ec2t::RouteState::Active)
                                .build(),
                        )
                        .routes(
                            ec2t::Route::builder()
                                .destination_ipv6_cidr_block("::/0")
                                .egress_only_internet_gateway_id("eigw-0e0e0e0e0e0e0e0e0")
                                .state(ec2t::RouteState::Blackhole)
                                .build(),
                        )
                        .routes(
                            ec2t::Route::builder()
                                .destination_prefix_list_id("pl-6ea54007")
                                .nat_gateway_id("nat-0d0d0d0d0d0d0d0d0")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let groups = mock!(Client::describe_security_groups).then_output(|| {
            DescribeSecurityGroupsOutput::builder()
                .security_groups(
                    ec2t::SecurityGroup::builder()
                        .group_id(DB)
                        .group_name("krci-shared-postgres")
                        .description("PostgreSQL from the cluster")
                        .vpc_id("vpc-0123456789abcdef0")
                        .owner_id(ACCOUNT)
                        .security_group_arn(format!(
                            "arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{DB}"
                        ))
                        .tags(ec2t::Tag::builder().key("Name").value("postgres").build())
                        .build(),
                )
                // No rules at all (a closed default group).
                .security_groups(
                    ec2t::SecurityGroup::builder()
                        .group_id(APP)
                        .group_name("default")
                        .description("default VPC security group")
                        .vpc_id("vpc-0123456789abcdef0")
                        .owner_id(ACCOUNT)
                        .build(),
                )
                .build()
        });
        let rules = mock!(Client::describe_security_group_rules).then_output(|| {
            DescribeSecurityGroupRulesOutput::builder()
                .security_group_rules(
                    rule("sgr-0b00000000000000b", DB, false)
                        .ip_protocol("tcp")
                        .from_port(5432)
                        .to_port(5432)
                        .referenced_group_info(
                            ec2t::ReferencedSecurityGroup::builder()
                                .group_id("sg-0e0e0e0e0e0e0e0e0")
                                .user_id(ACCOUNT)
                                .build(),
                        )
                        .description("")
                        .build(),
                )
                .security_group_rules(
                    rule("sgr-0a00000000000000a", DB, false)
                        .ip_protocol("tcp")
                        .from_port(5432)
                        .to_port(5432)
                        .cidr_ipv4("10.20.0.0/16")
                        .description("from the VPC")
                        .build(),
                )
                .security_group_rules(
                    rule("sgr-0c00000000000000c", DB, true)
                        .ip_protocol("-1")
                        .from_port(-1)
                        .to_port(-1)
                        .cidr_ipv6("::/0")
                        .build(),
                )
                .security_group_rules(
                    rule("sgr-0d00000000000000d", DB, false)
                        .ip_protocol("tcp")
                        .from_port(443)
                        .to_port(443)
                        .prefix_list_id("pl-02cd2c6b")
                        .build(),
                )
                // A rule of a group created after the groups were listed.
                .security_group_rules(
                    rule("sgr-0f00000000000000f", "sg-0f0f0f0f0f0f0f0f0", false)
                        .ip_protocol("tcp")
                        .from_port(22)
                        .to_port(22)
                        .cidr_ipv4("0.0.0.0/0")
                        .build(),
                )
                .build()
        });
        let ebs = mock!(Client::get_ebs_encryption_by_default).then_output(|| {
            GetEbsEncryptionByDefaultOutput::builder()
                .ebs_encryption_by_default(true)
                .build()
        });
        let mut all = vec![vpcs, tables, groups, rules, ebs];
        all.extend(empty_lists());
        let ec2 = mocked(&all.iter().collect::<Vec<_>>());

        let data = read(&ec2, &scope()).await.expect("EC2 read");
        assert_eq!(data.vpcs[0].secondary_cidr_blocks, ["100.64.0.0/16"]);
        assert_eq!(
            data.ebs_encryption_by_default,
            [EbsEncryptionByDefault {
                arn: format!("arn:aws:ec2:{REGION}:{ACCOUNT}:ebs-encryption-by-default"),
                region: REGION.to_string(),
                enabled: true,
            }]
        );

        let [main, public] = data.route_tables.as_slice() else {
            panic!("two route tables: {:?}", data.route_tables)
        };
        assert_eq!(
            main.arn,
            format!("arn:aws:ec2:{REGION}:{ACCOUNT}:route-table/rtb-0a0a0a0a0a0a0a0a0")
        );
        assert!(main.main && main.subnet_ids.is_empty());
        assert_eq!(
            main.routes,
            [Route {
                destination: "10.20.0.0/16".into(),
                target: "local".into(),
                state: "active".into(),
            }]
        );
        assert!(!public.main);
        assert_eq!(
            public.subnet_ids,
            ["subnet-0ccccccccccccccc1", "subnet-0ccccccccccccccc2"]
        );
        let routes: Vec<(&str, &str, &str)> = public
            .routes
            .iter()
            .map(|r| (r.destination.as_str(), r.target.as_str(), r.state.as_str()))
            .collect();
        assert_eq!(
            routes,
            [
                ("0.0.0.0/0", "igw-0f0f0f0f0f0f0f0f0", "active"),
                ("::/0", "eigw-0e0e0e0e0e0e0e0e0", "blackhole"),
                ("pl-6ea54007", "nat-0d0d0d0d0d0d0d0d0", "active"),
            ]
        );

        let [db, app] = data.security_groups.as_slice() else {
            panic!(
                "two groups, the unlisted one left out: {:?}",
                data.security_groups
            )
        };
        assert_eq!(
            db.arn,
            format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{DB}")
        );
        assert_eq!(
            (
                db.name.as_str(),
                db.description.as_str(),
                db.vpc_id.as_deref()
            ),
            (
                "krci-shared-postgres",
                "PostgreSQL from the cluster",
                Some("vpc-0123456789abcdef0")
            )
        );
        assert_eq!(db.tags.get("Name").map(String::as_str), Some("postgres"));
        let ingress: Vec<&str> = db.ingress.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ingress,
            [
                "sgr-0a00000000000000a",
                "sgr-0b00000000000000b",
                "sgr-0d00000000000000d"
            ],
            "sorted by id"
        );
        assert_eq!(
            db.ingress[0],
            SecurityGroupRule {
                arn: format!(
                    "arn:aws:ec2:{REGION}:{ACCOUNT}:security-group-rule/sgr-0a00000000000000a"
                ),
                id: "sgr-0a00000000000000a".into(),
                protocol: "tcp".into(),
                from_port: Some(5432),
                to_port: Some(5432),
                cidr_ipv4: Some("10.20.0.0/16".into()),
                cidr_ipv6: None,
                prefix_list_id: None,
                referenced_group_id: None,
                description: Some("from the VPC".into()),
                tags: Tags::new(),
            }
        );
        let by_group = &db.ingress[1];
        assert_eq!(
            (
                by_group.referenced_group_id.as_deref(),
                by_group.description.as_deref()
            ),
            (Some("sg-0e0e0e0e0e0e0e0e0"), None),
            "an empty description is none"
        );
        assert_eq!(db.ingress[2].prefix_list_id.as_deref(), Some("pl-02cd2c6b"));
        assert_eq!(db.egress.len(), 1);
        assert_eq!(
            (
                db.egress[0].protocol.as_str(),
                db.egress[0].from_port,
                db.egress[0].cidr_ipv6.as_deref()
            ),
            ("-1", Some(-1), Some("::/0"))
        );
        assert!(app.ingress.is_empty() && app.egress.is_empty());
    }

    fn association(cidr: &str, associated: bool) -> ec2t::VpcCidrBlockAssociation {
        let state = if associated {
            ec2t::VpcCidrBlockStateCode::Associated
        } else {
            ec2t::VpcCidrBlockStateCode::Disassociating
        };
        ec2t::VpcCidrBlockAssociation::builder()
            .cidr_block(cidr)
            .cidr_block_state(ec2t::VpcCidrBlockState::builder().state(state).build())
            .build()
    }
}
