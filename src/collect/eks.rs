//! EKS: clusters (ListClusters + DescribeCluster), their managed node groups
//! (ListNodegroups + DescribeNodegroup) and add-ons (ListAddons + DescribeAddon),
//! nested in each cluster.
//!
//! A resource deleted between its list and describe calls is left out. Any other
//! failure, including an endpoint that does not implement the add-on API, fails
//! the whole region's EKS section: a cluster without its add-ons would read as a
//! cluster that has none.

use super::policy::{operations_of, Operation};
use super::{client, each_found, every, for_each_concurrent, found, Read, Scope};
use crate::aws::CallError;
use crate::snapshot::{Addon, Cluster, Eks, EncryptionConfig, NodeGroup, Tags};
use aws_sdk_eks::Client;
use std::collections::HashMap;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] = operations_of!(
    "EKS", "eks":
    ListClusters, DescribeCluster, ListNodegroups, DescribeNodegroup, ListAddons, DescribeAddon,
);

/// The error code of a resource that no longer exists.
const NOT_FOUND: &str = "ResourceNotFoundException";

/// Clusters with their node groups and add-ons. The add-ons are covered apart
/// (`eks-addons`): an endpoint without the add-on API (moto) must not hide the
/// clusters, and without the cluster list they were not read either.
pub(crate) async fn collect(scope: &Scope) -> Read<Eks> {
    let eks = client!(aws_sdk_eks, scope);
    let (mut section, clusters) = match read(&eks, scope).await {
        Ok(section) => (section, Ok(())),
        Err(e) => (Eks::default(), Err(e)),
    };
    let addons = match &clusters {
        Ok(()) => {
            let names: Vec<String> = section.clusters.iter().map(|c| c.name.clone()).collect();
            let eks = &eks;
            for_each_concurrent(names, |name| async move {
                Ok((name.clone(), addons(eks, &name).await?))
            })
            .await
        }
        Err(e) => Err(CallError {
            class: e.class,
            message: format!("clusters could not be listed: {}", e.message),
        }),
    };
    let addons = addons.map(|lists| {
        let mut by_cluster: HashMap<String, Vec<Addon>> = lists.into_iter().collect();
        for c in &mut section.clusters {
            c.addons = by_cluster.remove(&c.name).unwrap_or_default();
        }
    });
    Read {
        section,
        parts: vec![("eks", clusters), (Eks::ADDONS, addons)],
    }
}

async fn read(eks: &Client, scope: &Scope) -> Result<Eks, CallError> {
    let names = every(eks.list_clusters().into_paginator().items().send()).await?;
    let clusters = each_found(names, |name| cluster(eks, scope, name)).await?;
    Ok(Eks { clusters })
}

fn tags(tags: Option<&HashMap<String, String>>) -> Tags {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// One cluster with its node groups and add-ons; `None` when it no longer exists.
async fn cluster(eks: &Client, scope: &Scope, name: String) -> Result<Option<Cluster>, CallError> {
    let described = found(
        eks.describe_cluster().name(&name).send().await,
        &[NOT_FOUND],
    )?;
    let Some(c) = described.as_ref().and_then(|d| d.cluster()) else {
        return Ok(None);
    };
    let node_groups = node_groups(eks, &name).await?;
    let vpc = c.resources_vpc_config();
    Ok(Some(Cluster {
        arn: c.arn().map(str::to_string).unwrap_or_else(|| {
            format!(
                "arn:{}:eks:{}:{}:cluster/{name}",
                scope.partition, scope.region, scope.account_id
            )
        }),
        region: scope.region.clone(),
        version: c.version().unwrap_or_default().to_string(),
        status: c
            .status()
            .map(|s| s.as_str())
            .unwrap_or_default()
            .to_string(),
        platform_version: c.platform_version().map(str::to_string),
        role_arn: c.role_arn().map(str::to_string),
        vpc_id: vpc.and_then(|v| v.vpc_id()).map(str::to_string),
        subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
        cluster_security_group_id: vpc
            .and_then(|v| v.cluster_security_group_id())
            .filter(|id| !id.is_empty())
            .map(str::to_string),
        security_group_ids: vpc
            .map(|v| v.security_group_ids().to_vec())
            .unwrap_or_default(),
        endpoint_public_access: vpc.is_some_and(|v| v.endpoint_public_access()),
        endpoint_private_access: vpc.is_some_and(|v| v.endpoint_private_access()),
        public_access_cidrs: vpc
            .map(|v| v.public_access_cidrs().to_vec())
            .unwrap_or_default(),
        encryption: c
            .encryption_config()
            .iter()
            .map(|e| EncryptionConfig {
                // Deprecated in the SDK (EKS now encrypts all API data by default),
                // still returned and still what the reference sets.
                #[allow(deprecated)]
                resources: e.resources().to_vec(),
                key_arn: e.provider().and_then(|p| p.key_arn()).map(str::to_string),
            })
            .collect(),
        logging_enabled_types: c
            .logging()
            .map(|l| l.cluster_logging())
            .unwrap_or_default()
            .iter()
            .filter(|setup| setup.enabled() == Some(true))
            .flat_map(|setup| setup.types())
            .map(|t| t.as_str().to_string())
            .collect(),
        oidc_issuer: c
            .identity()
            .and_then(|i| i.oidc())
            .and_then(|o| o.issuer())
            .map(str::to_string),
        authentication_mode: c
            .access_config()
            .and_then(|a| a.authentication_mode())
            .map(|m| m.as_str().to_string()),
        node_groups,
        // Filled by `collect`, which covers them apart (`eks-addons`).
        addons: Vec::new(),
        tags: tags(c.tags()),
        name,
    }))
}

async fn node_groups(eks: &Client, cluster: &str) -> Result<Vec<NodeGroup>, CallError> {
    let names = every(
        eks.list_nodegroups()
            .cluster_name(cluster)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    let groups = each_found(names, |name| async move {
        let out = found(
            eks.describe_nodegroup()
                .cluster_name(cluster)
                .nodegroup_name(&name)
                .send()
                .await,
            &[NOT_FOUND],
        )?;
        Ok(out.as_ref().and_then(|o| o.nodegroup()).map(|g| NodeGroup {
            arn: g.nodegroup_arn().unwrap_or_default().to_string(),
            version: g.version().map(str::to_string),
            node_role_arn: g.node_role().unwrap_or_default().to_string(),
            ami_type: g.ami_type().map(|t| t.as_str().to_string()),
            instance_types: g.instance_types().to_vec(),
            launch_template_id: g.launch_template().and_then(|t| t.id()).map(str::to_string),
            subnet_ids: g.subnets().to_vec(),
            remote_access_security_group_id: g
                .resources()
                .and_then(|r| r.remote_access_security_group())
                .map(str::to_string),
            tags: tags(g.tags()),
            name,
        }))
    })
    .await?;
    Ok(groups)
}

async fn addons(eks: &Client, cluster: &str) -> Result<Vec<Addon>, CallError> {
    let names = every(
        eks.list_addons()
            .cluster_name(cluster)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    let addons = each_found(names, |name| async move {
        let out = found(
            eks.describe_addon()
                .cluster_name(cluster)
                .addon_name(&name)
                .send()
                .await,
            &[NOT_FOUND],
        )?;
        Ok(out.as_ref().and_then(|o| o.addon()).map(|a| Addon {
            arn: a.addon_arn().unwrap_or_default().to_string(),
            version: a.addon_version().unwrap_or_default().to_string(),
            status: a
                .status()
                .map(|s| s.as_str())
                .unwrap_or_default()
                .to_string(),
            service_account_role_arn: a.service_account_role_arn().map(str::to_string),
            name,
        }))
    })
    .await?;
    Ok(addons)
}

#[cfg(test)]
mod tests {
    //! moto does not implement EKS add-ons (it answers an HTML 404): these tests
    //! drive `read` through aws-smithy-mocks instead.

    use super::*;

    use crate::snapshot::ErrorClass;
    use aws_sdk_eks::operation::describe_addon::{DescribeAddonError, DescribeAddonOutput};
    use aws_sdk_eks::operation::describe_cluster::DescribeClusterOutput;
    use aws_sdk_eks::operation::describe_nodegroup::DescribeNodegroupOutput;
    use aws_sdk_eks::operation::list_addons::ListAddonsOutput;
    use aws_sdk_eks::operation::list_clusters::ListClustersOutput;
    use aws_sdk_eks::operation::list_nodegroups::ListNodegroupsOutput;
    use aws_sdk_eks::types as ekst;
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    const ACCOUNT: &str = "123456789012";
    const REGION: &str = "eu-central-1";
    const CLUSTER: &str = "krci-dev";

    fn scope() -> Scope {
        Scope::for_test(ACCOUNT, REGION)
    }

    /// A client answered by `rules` (the service crates' `test-util` feature,
    /// which `mock_client!` needs, is not enabled).
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_eks, rules)
    }

    /// What the SDK records when it reads this error from a response.
    fn not_found() -> aws_smithy_types::error::ErrorMetadata {
        aws_smithy_types::error::ErrorMetadata::builder()
            .code(NOT_FOUND)
            .build()
    }

    fn arn(kind: &str, rest: &str) -> String {
        format!("arn:aws:eks:{REGION}:{ACCOUNT}:{kind}/{rest}")
    }

    /// One cluster with one node group; add-ons are up to each test.
    #[allow(deprecated)] // EncryptionConfig::resources, still returned by EKS
    fn cluster_rules() -> Vec<Rule> {
        vec![
            mock!(Client::list_clusters)
                .then_output(|| ListClustersOutput::builder().clusters(CLUSTER).build()),
            mock!(Client::describe_cluster)
                .match_requests(|r| r.name() == Some(CLUSTER))
                .then_output(|| {
                    DescribeClusterOutput::builder()
                        .cluster(
                            ekst::Cluster::builder()
                                .name(CLUSTER)
                                .arn(arn("cluster", CLUSTER))
                                .version("1.31")
                                .status(ekst::ClusterStatus::Active)
                                .platform_version("eks.12")
                                .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/krci-dev-cluster"))
                                .resources_vpc_config(
                                    ekst::VpcConfigResponse::builder()
                                        .vpc_id("vpc-0123456789abcdef0")
                                        .subnet_ids("subnet-0aaaaaaaaaaaaaaaa")
                                        .subnet_ids("subnet-0bbbbbbbbbbbbbbbb")
                                        .cluster_security_group_id("sg-0c1c1c1c1c1c1c1c1")
                                        .security_group_ids("sg-0a2a2a2a2a2a2a2a2")
                                        .endpoint_public_access(true)
                                        .endpoint_private_access(true)
                                        .public_access_cidrs("203.0.113.0/24")
                                        .build(),
                                )
                                .encryption_config(
                                    ekst::EncryptionConfig::builder()
                                        .resources("secrets")
                                        .provider(
                                            ekst::Provider::builder()
                                                .key_arn(format!(
                                                    "arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                                                ))
                                                .build(),
                                        )
                                        .build(),
                                )
                                .logging(
                                    ekst::Logging::builder()
                                        .cluster_logging(
                                            ekst::LogSetup::builder()
                                                .types(ekst::LogType::Api)
                                                .types(ekst::LogType::Audit)
                                                .enabled(true)
                                                .build(),
                                        )
                                        .cluster_logging(
                                            ekst::LogSetup::builder()
                                                .types(ekst::LogType::Scheduler)
                                                .enabled(false)
                                                .build(),
                                        )
                                        .build(),
                                )
                                .identity(
                                    ekst::Identity::builder()
                                        .oidc(
                                            ekst::Oidc::builder()
                                                .issuer("https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
                                                .build(),
                                        )
                                        .build(),
                                )
                                .access_config(
                                    ekst::AccessConfigResponse::builder()
                                        .authentication_mode(ekst::AuthenticationMode::Api)
                                        .build(),
                                )
                                .tags("env", "development")
                                .build(),
                        )
                        .build()
                }),
            mock!(Client::list_nodegroups)
                .then_output(|| ListNodegroupsOutput::builder().nodegroups("default").build()),
            mock!(Client::describe_nodegroup).then_output(|| {
                DescribeNodegroupOutput::builder()
                    .nodegroup(
                        ekst::Nodegroup::builder()
                            .nodegroup_name("default")
                            .nodegroup_arn(arn(
                                "nodegroup",
                                "krci-dev/default/4ec8a3b2-1f3e-4c58-9d1a-2b7f5e6c8d90",
                            ))
                            .cluster_name(CLUSTER)
                            .version("1.31")
                            .node_role(format!("arn:aws:iam::{ACCOUNT}:role/krci-dev-node"))
                            .ami_type(ekst::AmiTypes::Al2023X8664Standard)
                            .instance_types("m6i.large")
                            .subnets("subnet-0aaaaaaaaaaaaaaaa")
                            .resources(
                                ekst::NodegroupResources::builder()
                                    .remote_access_security_group("sg-0d3d3d3d3d3d3d3d3")
                                    .build(),
                            )
                            .launch_template(
                                ekst::LaunchTemplateSpecification::builder()
                                    .id("lt-0aaaaaaaaaaaaaaaa")
                                    .version("3")
                                    .build(),
                            )
                            .tags("team", "platform")
                            .build(),
                    )
                    .build()
            }),
        ]
    }

    #[tokio::test]
    async fn maps_clusters_node_groups_and_addons() {
        let mut rules = cluster_rules();
        rules.push(mock!(Client::list_addons).then_output(|| {
            ListAddonsOutput::builder()
                .addons("vpc-cni")
                .addons("aws-ebs-csi-driver")
                .addons("removed-meanwhile")
                .build()
        }));
        rules.push(
            mock!(Client::describe_addon)
                .match_requests(|r| r.addon_name() == Some("vpc-cni"))
                .then_output(|| {
                    DescribeAddonOutput::builder()
                        .addon(
                            ekst::Addon::builder()
                                .addon_name("vpc-cni")
                                .cluster_name(CLUSTER)
                                .addon_arn(arn(
                                    "addon",
                                    "krci-dev/vpc-cni/a2c7b1e0-3d4f-5a6b-7c8d-9e0f1a2b3c4d",
                                ))
                                .addon_version("v1.19.0-eksbuild.1")
                                .status(ekst::AddonStatus::Active)
                                .service_account_role_arn(format!(
                                    "arn:aws:iam::{ACCOUNT}:role/krci-dev-vpc-cni"
                                ))
                                .build(),
                        )
                        .build()
                }),
        );
        rules.push(
            mock!(Client::describe_addon)
                .match_requests(|r| r.addon_name() == Some("aws-ebs-csi-driver"))
                .then_output(|| {
                    DescribeAddonOutput::builder()
                        .addon(
                            ekst::Addon::builder()
                                .addon_name("aws-ebs-csi-driver")
                                .addon_arn(arn(
                                    "addon",
                                    "krci-dev/aws-ebs-csi-driver/b3d8c2f1-4e5a-6b7c-8d9e-0f1a2b3c4d5e",
                                ))
                                .addon_version("v1.37.0-eksbuild.1")
                                .status(ekst::AddonStatus::Degraded)
                                .build(),
                        )
                        .build()
                }),
        );
        rules.push(
            mock!(Client::describe_addon)
                .match_requests(|r| r.addon_name() == Some("removed-meanwhile"))
                .then_error(|| {
                    DescribeAddonError::ResourceNotFoundException(
                        ekst::error::ResourceNotFoundException::builder()
                            .meta(not_found())
                            .message("No addon: removed-meanwhile found in cluster: krci-dev")
                            .build(),
                    )
                }),
        );
        let eks = mocked(&rules.iter().collect::<Vec<_>>());

        let data = read(&eks, &scope()).await.expect("EKS read");
        assert_eq!(data.clusters.len(), 1);
        let c = &data.clusters[0];
        assert_eq!(
            c.arn,
            "arn:aws:eks:eu-central-1:123456789012:cluster/krci-dev"
        );
        assert_eq!(c.name, CLUSTER);
        assert_eq!(c.region, REGION);
        assert_eq!(c.version, "1.31");
        assert_eq!(c.status, "ACTIVE");
        assert_eq!(c.platform_version.as_deref(), Some("eks.12"));
        assert_eq!(
            c.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/krci-dev-cluster")
        );
        assert_eq!(c.vpc_id.as_deref(), Some("vpc-0123456789abcdef0"));
        assert_eq!(
            c.subnet_ids,
            ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
        );
        assert_eq!(
            c.cluster_security_group_id.as_deref(),
            Some("sg-0c1c1c1c1c1c1c1c1")
        );
        assert_eq!(c.security_group_ids, ["sg-0a2a2a2a2a2a2a2a2"]);
        assert!(c.endpoint_public_access);
        assert!(c.endpoint_private_access);
        assert_eq!(c.public_access_cidrs, ["203.0.113.0/24"]);
        assert_eq!(c.encryption.len(), 1);
        assert_eq!(c.encryption[0].resources, ["secrets"]);
        assert!(c.encryption[0]
            .key_arn
            .as_deref()
            .is_some_and(|k| k.starts_with("arn:aws:kms:eu-central-1:123456789012:key/")));
        assert_eq!(c.logging_enabled_types, ["api", "audit"]);
        assert_eq!(
            c.oidc_issuer.as_deref(),
            Some("https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
        );
        assert_eq!(c.authentication_mode.as_deref(), Some("API"));
        assert_eq!(c.tags.get("env").map(String::as_str), Some("development"));

        assert_eq!(c.node_groups.len(), 1);
        let ng = &c.node_groups[0];
        assert_eq!(ng.name, "default");
        assert!(ng
            .arn
            .starts_with("arn:aws:eks:eu-central-1:123456789012:nodegroup/krci-dev/default/"));
        assert_eq!(ng.version.as_deref(), Some("1.31"));
        assert_eq!(
            ng.node_role_arn,
            "arn:aws:iam::123456789012:role/krci-dev-node"
        );
        assert_eq!(ng.ami_type.as_deref(), Some("AL2023_x86_64_STANDARD"));
        assert_eq!(ng.instance_types, ["m6i.large"]);
        assert_eq!(
            ng.launch_template_id.as_deref(),
            Some("lt-0aaaaaaaaaaaaaaaa")
        );
        assert_eq!(ng.tags.get("team").map(String::as_str), Some("platform"));
        assert_eq!(ng.subnet_ids, ["subnet-0aaaaaaaaaaaaaaaa"]);
        assert_eq!(
            ng.remote_access_security_group_id.as_deref(),
            Some("sg-0d3d3d3d3d3d3d3d3")
        );

        assert!(c.addons.is_empty(), "add-ons are read apart");
        let added = addons(&eks, CLUSTER).await.expect("add-ons read");
        assert_eq!(added.len(), 2, "the add-on deleted meanwhile is left out");
        let cni = &added[0];
        assert_eq!(cni.name, "vpc-cni");
        assert!(cni
            .arn
            .starts_with("arn:aws:eks:eu-central-1:123456789012:addon/krci-dev/vpc-cni/"));
        assert_eq!(cni.version, "v1.19.0-eksbuild.1");
        assert_eq!(cni.status, "ACTIVE");
        assert_eq!(
            cni.service_account_role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/krci-dev-vpc-cni")
        );
        let csi = &added[1];
        assert_eq!(csi.name, "aws-ebs-csi-driver");
        assert_eq!(csi.status, "DEGRADED");
        assert_eq!(csi.service_account_role_arn, None);
    }

    #[tokio::test]
    async fn unimplemented_addons_are_a_not_implemented_error() {
        // moto answers the add-on API with an HTML 404 page.
        let mut rules = cluster_rules();
        rules.push(mock!(Client::list_addons).then_http_response(|| {
            HttpResponse::new(
                StatusCode::try_from(404).unwrap(),
                SdkBody::from("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"),
            )
        }));
        let eks = mocked(&rules.iter().collect::<Vec<_>>());

        let data = read(&eks, &scope())
            .await
            .expect("clusters are read without add-ons");
        assert_eq!(data.clusters.len(), 1);
        let err = addons(&eks, CLUSTER).await.expect_err("add-ons not read");
        assert_eq!(err.class, ErrorClass::NotImplemented);
    }

    #[tokio::test]
    async fn cluster_deleted_between_list_and_describe_is_left_out() {
        let rules = [
            mock!(Client::list_clusters)
                .then_output(|| ListClustersOutput::builder().clusters("gone").build()),
            mock!(Client::describe_cluster).then_error(|| {
                aws_sdk_eks::operation::describe_cluster::DescribeClusterError::ResourceNotFoundException(
                    ekst::error::ResourceNotFoundException::builder()
                            .meta(not_found())
                        .message("No cluster found for name: gone.")
                        .build(),
                )
            }),
        ];
        let eks = mocked(&rules.iter().collect::<Vec<_>>());

        let data = read(&eks, &scope()).await.expect("EKS read");
        assert!(data.clusters.is_empty());
    }
}
