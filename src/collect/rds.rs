//! RDS: DB instances (DescribeDBInstances) and DB clusters (DescribeDBClusters).
//! Both lists carry everything the model holds, tags included (`TagList`), so
//! there are no per-resource calls. The API also lists Neptune and DocumentDB
//! resources; they are kept, their `engine` tells them apart.

use super::policy::{operations_of, Operation};
use super::{client, every, tags_from, Scope};
use crate::aws::CallError;
use crate::snapshot::{DbCluster, DbInstance, Rds};
use aws_sdk_rds::types;
use aws_sdk_rds::Client;

/// Every AWS operation sent, with its IAM action (see `policy`).
pub(crate) const OPERATIONS: &[Operation] =
    operations_of!("RDS", "rds": DescribeDBInstances, DescribeDBClusters);

pub(crate) async fn collect(scope: &Scope) -> Result<Rds, CallError> {
    read(&client!(aws_sdk_rds, scope), scope).await
}

async fn read(rds: &Client, scope: &Scope) -> Result<Rds, CallError> {
    let (instances, clusters) = futures::join!(
        every(rds.describe_db_instances().into_paginator().items().send()),
        every(rds.describe_db_clusters().into_paginator().items().send()),
    );
    let (instances, clusters) = (instances?, clusters?);
    Ok(Rds {
        instances: instances
            .iter()
            .map(|i| instance(i, &scope.region))
            .collect(),
        clusters: clusters.iter().map(|c| cluster(c, &scope.region)).collect(),
    })
}

fn instance(i: &types::DbInstance, region: &str) -> DbInstance {
    DbInstance {
        arn: i.db_instance_arn().unwrap_or_default().to_string(),
        id: i.db_instance_identifier().unwrap_or_default().to_string(),
        region: region.to_string(),
        engine: i.engine().unwrap_or_default().to_string(),
        engine_version: i.engine_version().unwrap_or_default().to_string(),
        instance_class: i.db_instance_class().unwrap_or_default().to_string(),
        storage_encrypted: i.storage_encrypted().unwrap_or(false),
        kms_key_id: i.kms_key_id().map(str::to_string),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        multi_az: i.multi_az().unwrap_or(false),
        backup_retention_period: i.backup_retention_period().map_or(0, i64::from),
        deletion_protection: i.deletion_protection().unwrap_or(false),
        iam_database_authentication_enabled: i
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        enabled_cloudwatch_logs_exports: i.enabled_cloudwatch_logs_exports().to_vec(),
        cluster_identifier: i.db_cluster_identifier().map(str::to_string),
        vpc_id: i
            .db_subnet_group()
            .and_then(|g| g.vpc_id())
            .map(str::to_string),
        subnet_ids: i
            .db_subnet_group()
            .map(|g| g.subnets())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.subnet_identifier())
            .map(str::to_string)
            .collect(),
        security_group_ids: i
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id())
            .map(str::to_string)
            .collect(),
        master_user_secret_arn: i
            .master_user_secret()
            .and_then(|s| s.secret_arn())
            .map(str::to_string),
        tags: tags_from(i.tag_list(), |t| (t.key(), t.value())),
    }
}

fn cluster(c: &types::DbCluster, region: &str) -> DbCluster {
    DbCluster {
        arn: c.db_cluster_arn().unwrap_or_default().to_string(),
        id: c.db_cluster_identifier().unwrap_or_default().to_string(),
        region: region.to_string(),
        engine: c.engine().unwrap_or_default().to_string(),
        engine_version: c.engine_version().unwrap_or_default().to_string(),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        kms_key_id: c.kms_key_id().map(str::to_string),
        // Only Multi-AZ DB clusters have it; Aurora's exposure is on its instances.
        publicly_accessible: c.publicly_accessible(),
        multi_az: c.multi_az().unwrap_or(false),
        backup_retention_period: c.backup_retention_period().map_or(0, i64::from),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        iam_database_authentication_enabled: c
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        enabled_cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
        master_user_secret_arn: c
            .master_user_secret()
            .and_then(|s| s.secret_arn())
            .map(str::to_string),
        security_group_ids: c
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id())
            .map(str::to_string)
            .collect(),
        tags: tags_from(c.tag_list(), |t| (t.key(), t.value())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::snapshot::{ErrorClass, Tags};

    use aws_sdk_rds::error::ErrorMetadata;
    use aws_sdk_rds::operation::describe_db_clusters::{
        DescribeDBClustersError, DescribeDbClustersOutput,
    };
    use aws_sdk_rds::operation::describe_db_instances::DescribeDbInstancesOutput;
    use aws_sdk_rds::types::{
        DbSubnetGroup, MasterUserSecret, Subnet, Tag, VpcSecurityGroupMembership,
    };
    use aws_smithy_mocks::{mock, Rule};

    const CLUSTER_ARN: &str = "arn:aws:rds:eu-central-1:111122223333:cluster:krci-keycloak";
    const INSTANCE_ARN: &str = "arn:aws:rds:eu-central-1:111122223333:db:krci-keycloak-1";
    const KEY: &str =
        "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const SECRET: &str =
        "arn:aws:secretsmanager:eu-central-1:111122223333:secret:rds!cluster-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e-AbCdEf";

    fn scope() -> Scope {
        Scope::for_test("111122223333", "eu-central-1")
    }

    /// A client answering from `rules` (first match wins, reusable), without retries.
    fn mocked(rules: &[&Rule]) -> Client {
        crate::collect::mocked_client!(aws_sdk_rds, rules)
    }

    fn instances() -> Rule {
        mock!(Client::describe_db_instances).then_output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(
                    types::DbInstance::builder()
                        .db_instance_arn(INSTANCE_ARN)
                        .db_instance_identifier("krci-keycloak-1")
                        .engine("aurora-postgresql")
                        .engine_version("16.4")
                        .db_instance_class("db.r6g.large")
                        .storage_encrypted(true)
                        .kms_key_id(KEY)
                        .publicly_accessible(false)
                        .multi_az(false)
                        .backup_retention_period(7)
                        .deletion_protection(false)
                        .db_cluster_identifier("krci-keycloak")
                        .db_subnet_group(
                            DbSubnetGroup::builder()
                                .db_subnet_group_name("krci-shared-data")
                                .vpc_id("vpc-0e1edd681811ae31c")
                                .subnets(
                                    Subnet::builder()
                                        .subnet_identifier("subnet-045e05ae7f27d65de")
                                        .build(),
                                )
                                .subnets(
                                    Subnet::builder()
                                        .subnet_identifier("subnet-0a891169b94dbc020")
                                        .build(),
                                )
                                .build(),
                        )
                        .vpc_security_groups(
                            VpcSecurityGroupMembership::builder()
                                .vpc_security_group_id("sg-0c2d4e6f8a0b1c3d5")
                                .status("active")
                                .build(),
                        )
                        .tag_list(Tag::builder().key("Project").value("krci").build())
                        .build(),
                )
                .build()
        })
    }

    #[tokio::test]
    async fn maps_instances_and_clusters_from_the_lists() {
        let clusters = mock!(Client::describe_db_clusters).then_output(|| {
            DescribeDbClustersOutput::builder()
                .db_clusters(
                    types::DbCluster::builder()
                        .db_cluster_arn(CLUSTER_ARN)
                        .db_cluster_identifier("krci-keycloak")
                        .engine("aurora-postgresql")
                        .engine_version("16.4")
                        .storage_encrypted(true)
                        .kms_key_id(KEY)
                        .multi_az(true)
                        .backup_retention_period(14)
                        .deletion_protection(true)
                        .iam_database_authentication_enabled(true)
                        .enabled_cloudwatch_logs_exports("postgresql")
                        .vpc_security_groups(
                            VpcSecurityGroupMembership::builder()
                                .vpc_security_group_id("sg-0c2d4e6f8a0b1c3d5")
                                .status("active")
                                .build(),
                        )
                        .master_user_secret(
                            MasterUserSecret::builder()
                                .secret_arn(SECRET)
                                .secret_status("active")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
        let rds = mocked(&[&instances(), &clusters]);

        let got = read(&rds, &scope()).await.expect("collected");

        assert_eq!(
            got.instances,
            vec![DbInstance {
                arn: INSTANCE_ARN.to_string(),
                id: "krci-keycloak-1".to_string(),
                region: "eu-central-1".to_string(),
                engine: "aurora-postgresql".to_string(),
                engine_version: "16.4".to_string(),
                instance_class: "db.r6g.large".to_string(),
                storage_encrypted: true,
                kms_key_id: Some(KEY.to_string()),
                publicly_accessible: false,
                multi_az: false,
                backup_retention_period: 7,
                deletion_protection: false,
                iam_database_authentication_enabled: false,
                enabled_cloudwatch_logs_exports: vec![],
                cluster_identifier: Some("krci-keycloak".to_string()),
                vpc_id: Some("vpc-0e1edd681811ae31c".to_string()),
                subnet_ids: vec![
                    "subnet-045e05ae7f27d65de".to_string(),
                    "subnet-0a891169b94dbc020".to_string()
                ],
                security_group_ids: vec!["sg-0c2d4e6f8a0b1c3d5".to_string()],
                master_user_secret_arn: None,
                tags: Tags::from([("Project".to_string(), "krci".to_string())]),
            }]
        );
        let c = &got.clusters[0];
        assert_eq!(
            (c.arn.as_str(), c.id.as_str()),
            (CLUSTER_ARN, "krci-keycloak")
        );
        assert_eq!(c.publicly_accessible, None);
        assert_eq!(c.security_group_ids, ["sg-0c2d4e6f8a0b1c3d5"]);
        assert!(
            c.multi_az
                && c.deletion_protection
                && c.iam_database_authentication_enabled
                && c.storage_encrypted
        );
        assert_eq!(c.backup_retention_period, 14);
        assert_eq!(
            c.enabled_cloudwatch_logs_exports,
            vec!["postgresql".to_string()]
        );
        assert_eq!(c.master_user_secret_arn.as_deref(), Some(SECRET));
    }

    #[tokio::test]
    async fn one_list_failing_fails_the_service() {
        let clusters = mock!(Client::describe_db_clusters).then_error(|| {
            DescribeDBClustersError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("denied")
                    .build(),
            )
        });
        let rds = mocked(&[&instances(), &clusters]);

        let err = read(&rds, &scope()).await.expect_err("not read");

        assert_eq!(err.class, ErrorClass::AccessDenied);
    }
}
