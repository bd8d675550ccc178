//! EKS clusters, with their node groups and add-ons nested in each cluster.

use super::{section, ArnNames, Compared, ImportId, Norm, Part, Tags, TerraformType};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

section!(Eks {
    /// Clusters in the region, with their node groups and add-ons.
    clusters: Vec<Cluster>,
} {
    const PARTS: &'static [Part] = &[Part {
        key: Eks::ADDONS,
        collection: "clusters",
        field: Some("addons"),
    }];
    const TERRAFORM: &'static [TerraformType] = TERRAFORM;

    /// Clusters and node groups carry a Kubernetes version rules compare;
    /// add-ons have their own version scheme.
    fn invalid_value(path: &str, key: &str, value: &str) -> Option<&'static str> {
        let checked = key == "version" && !path.contains(".addons[");
        (checked && !is_minor_version(value)).then_some("is not a Kubernetes version such as 1.34")
    }
});

/// A Kubernetes version as rules compare it: `1.34`.
pub(crate) fn is_minor_version(s: &str) -> bool {
    match s.split_once('.') {
        Some((major, minor)) => {
            !major.is_empty()
                && !minor.is_empty()
                && major.len() <= 3
                && minor.len() <= 3
                && major
                    .bytes()
                    .chain(minor.bytes())
                    .all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// How the section's resources appear in Terraform.
const TERRAFORM: &[TerraformType] = &[
    TerraformType::new("aws_eks_cluster", "clusters", "{name}")
        .import(ImportId::Field("/name"))
        .idents(&["name"])
        .arn("eks", "cluster", ArnNames::Rest)
        .compared(&[
            Compared::own("version", "/version", Norm::Plain),
            Compared::own(
                "vpc_config.0.endpoint_public_access",
                "/endpoint_public_access",
                Norm::Plain,
            ),
            Compared::own(
                "vpc_config.0.endpoint_private_access",
                "/endpoint_private_access",
                Norm::Plain,
            ),
        ]),
    TerraformType::new(
        "aws_eks_node_group",
        "clusters/node_groups",
        "{..name}/{name}",
    )
    .import(ImportId::NodeGroup),
];

impl Eks {
    /// Add-ons are read and covered apart from their clusters: an endpoint
    /// without the add-on API must not hide the clusters.
    pub const ADDONS: &'static str = "eks-addons";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// Kubernetes minor version, e.g. `1.34`.
    pub version: String,
    /// `ACTIVE`, `CREATING`, ...
    pub status: String,
    /// The EKS platform version, e.g. `eks.12`.
    pub platform_version: Option<String>,
    /// The IAM role the control plane uses.
    pub role_arn: Option<String>,
    /// The VPC of the cluster's network interfaces.
    pub vpc_id: Option<String>,
    /// The API server endpoint is reachable from the internet (limited by `public_access_cidrs`).
    pub endpoint_public_access: bool,
    /// The API server endpoint is reachable from inside the VPC.
    pub endpoint_private_access: bool,
    /// CIDRs allowed to reach the public endpoint (AWS default `0.0.0.0/0`).
    #[serde(default)]
    pub public_access_cidrs: Vec<String>,
    /// Envelope encryption configs (`resources: ["secrets"]` with a KMS key).
    #[serde(default)]
    pub encryption: Vec<EncryptionConfig>,
    /// Enabled control-plane log types: api, audit, authenticator,
    /// controllerManager, scheduler.
    #[serde(default)]
    pub logging_enabled_types: Vec<String>,
    /// The OIDC issuer URL, e.g. `https://oidc.eks.eu-central-1.amazonaws.com/id/<ID>`.
    pub oidc_issuer: Option<String>,
    /// `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`.
    pub authentication_mode: Option<String>,
    /// Managed node groups.
    #[serde(default)]
    pub node_groups: Vec<NodeGroup>,
    /// Installed add-ons (coverage key `eks-addons`: read apart from the clusters).
    #[serde(default)]
    pub addons: Vec<Addon>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncryptionConfig {
    /// What is encrypted: `secrets`.
    pub resources: Vec<String>,
    /// The KMS key.
    pub key_arn: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeGroup {
    pub arn: String,
    pub name: String,
    /// The Kubernetes version of the nodes, when EKS reports it.
    pub version: Option<String>,
    /// The IAM role the nodes use.
    pub node_role_arn: String,
    /// `AL2023_x86_64_STANDARD`, `BOTTLEROCKET_x86_64`, `CUSTOM`, ...
    pub ami_type: Option<String>,
    /// Instance types the group launches.
    #[serde(default)]
    pub instance_types: Vec<String>,
    /// The launch template the group uses, when one is set.
    pub launch_template_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addon {
    pub arn: String,
    pub name: String,
    /// The add-on version, e.g. `v1.19.0-eksbuild.1`.
    pub version: String,
    /// `ACTIVE`, `DEGRADED`, ...
    pub status: String,
    /// The IAM role the add-on's service account assumes (IRSA), when set.
    pub service_account_role_arn: Option<String>,
}
