//! Evaluation speed: the whole catalogue over a generated organization of N
//! accounts with R resources each (a realistic spread over the services).
//!
//! `cargo bench --bench engine` runs 10 and 100 accounts of 1,000 resources;
//! `ARCHAUDIT_BENCH_LARGE=1` adds 1,000 accounts.

use archaudit::config::{Config, ROLE_TAG};
use archaudit::engine::Catalogue;
use archaudit::snapshot::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::collections::BTreeMap;
use std::time::Duration;

const REGION: &str = "eu-central-1";

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// One account with about `resources` resources, some compliant, some not.
fn account(index: usize, resources: usize) -> AccountSnapshot {
    let id = format!("{:012}", 100_000_000_000u64 + index as u64 * 7_919);
    let role = ["production", "shared", "development"][index % 3];
    let mut a = AccountSnapshot {
        account: Account {
            id: id.clone(),
            name: format!("krci-{role}-{index}"),
            tags: tags(&[(ROLE_TAG, role)]),
            ..Account::default()
        },
        regions: vec![REGION.to_string()],
        ..AccountSnapshot::default()
    };
    for (service, global) in coverage_keys() {
        let region = if global { GLOBAL_REGION } else { REGION };
        a.coverage.push(CoverageEntry::ok(region, service));
    }
    // Ten resources per unit.
    for u in 0..resources.div_ceil(10) {
        let bad = u % 4 == 0;
        let lb_arn =
            format!("arn:aws:elasticloadbalancing:{REGION}:{id}:loadbalancer/app/alb-{u}/{u:016x}");
        a.elbv2.load_balancers.push(LoadBalancer {
            arn: lb_arn.clone(),
            name: format!("alb-{u}"),
            region: REGION.into(),
            lb_type: "application".into(),
            scheme: if bad { "internet-facing" } else { "internal" }.into(),
            vpc_id: Some(format!("vpc-{u:017x}")),
            security_group_ids: Vec::new(),
            dns_name: None,
            attributes: BTreeMap::from([
                (
                    "deletion_protection.enabled".to_string(),
                    "true".to_string(),
                ),
                (
                    "routing.http.drop_invalid_header_fields.enabled".to_string(),
                    (!bad).to_string(),
                ),
            ]),
            listeners: vec![Listener {
                arn: format!("{lb_arn}/listener/{u:016x}").replace(":loadbalancer/", ":listener/"),
                port: 443,
                protocol: "HTTPS".into(),
                ssl_policy: Some(
                    if bad {
                        "ELBSecurityPolicy-2016-08"
                    } else {
                        "ELBSecurityPolicy-TLS13-1-2-2021-06"
                    }
                    .into(),
                ),
                certificates: vec![format!(
                    "arn:aws:acm:{REGION}:{id}:certificate/{u:08x}-0000-4000-8000-000000000000"
                )],
                default_actions: vec![],
            }],
            web_acl_arn: None,
            tags: tags(&[("SysName", "KubeRocketCI")]),
        });
        let bucket = format!("bucket-{id}-{u}");
        a.s3.buckets.push(Bucket {
            arn: format!("arn:aws:s3:::{bucket}"),
            name: bucket,
            region: REGION.into(),
            created: None,
            versioning: (!bad).then(|| "Enabled".to_string()),
            encryption: None,
            public_access_block: None,
            policy: None,
            policy_is_public: None,
            acl_grants: Vec::new(),
            logging_enabled: None,
            tags: Tags::new(),
        });
        a.iam.roles.push(Role {
            arn: format!("arn:aws:iam::{id}:role/AWSIRSA_App_{u}"),
            name: format!("AWSIRSA_App_{u}"),
            path: "/".into(),
            created: "2025-06-01T10:00:00Z".into(),
            trust_policy: serde_json::json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": format!("arn:aws:iam::{id}:oidc-provider/oidc.eks.{REGION}.amazonaws.com/id/ABC{u}")},
                "Condition": {"StringLike": {format!("oidc.eks.{REGION}.amazonaws.com/id/ABC{u}:sub"): if bad { "system:serviceaccount:*" } else { "system:serviceaccount:app:app" }}}
            }]}),
            attached_policies: vec![],
            last_used: None,
            tags: Tags::new(),
        });
        for p in 0..2 {
            let name = format!(
                "/edp/app-{u}/{}",
                if p == 0 { "db-password" } else { "url" }
            );
            a.ssm.parameters.push(Parameter {
                arn: format!("arn:aws:ssm:{REGION}:{id}:parameter{name}"),
                name,
                region: REGION.into(),
                param_type: if bad { "String" } else { "SecureString" }.into(),
                key_id: None,
                tier: Some("Standard".into()),
                last_modified: None,
                description: None,
            });
        }
        a.ecr.repositories.push(Repository {
            arn: format!("arn:aws:ecr:{REGION}:{id}:repository/krci/app-{u}"),
            name: format!("krci/app-{u}"),
            region: REGION.into(),
            uri: format!("{id}.dkr.ecr.{REGION}.amazonaws.com/krci/app-{u}"),
            image_tag_mutability: "IMMUTABLE".into(),
            scan_on_push: !bad,
            encryption_type: "KMS".into(),
            kms_key: None,
            has_lifecycle_policy: true,
            policy: None,
            tags: Tags::new(),
        });
        a.logs.log_groups.push(LogGroup {
            arn: format!("arn:aws:logs:{REGION}:{id}:log-group:/aws/app-{u}"),
            name: format!("/aws/app-{u}"),
            region: REGION.into(),
            retention_in_days: (!bad).then_some(90),
            kms_key_id: None,
            created: None,
        });
        a.secretsmanager.secrets.push(Secret {
            arn: format!("arn:aws:secretsmanager:{REGION}:{id}:secret:app-{u}-AbCdEf"),
            name: format!("app-{u}"),
            region: REGION.into(),
            kms_key_id: None,
            rotation_enabled: !bad,
            rotation_days: None,
            last_rotated: None,
            last_changed: None,
            owning_service: None,
            tags: Tags::new(),
        });
        a.ec2.vpcs.push(Vpc {
            arn: format!("arn:aws:ec2:{REGION}:{id}:vpc/vpc-{u:017x}"),
            id: format!("vpc-{u:017x}"),
            region: REGION.into(),
            cidr_block: "10.0.0.0/16".into(),
            is_default: false,
            secondary_cidr_blocks: Vec::new(),
            tags: Tags::new(),
        });
        a.ec2.launch_templates.push(LaunchTemplate {
            arn: format!("arn:aws:ec2:{REGION}:{id}:launch-template/lt-{u:017x}"),
            id: format!("lt-{u:017x}"),
            name: format!("nodes-{u}"),
            region: REGION.into(),
            default_version: 1,
            image_id: None,
            metadata_options: Some(MetadataOptions {
                http_tokens: Some(if bad { "optional" } else { "required" }.into()),
                http_put_response_hop_limit: Some(1),
                http_endpoint: Some("enabled".into()),
            }),
            block_devices: vec![],
            tags: Tags::new(),
        });
    }
    a.normalize();
    a
}

fn organization(accounts: usize, resources: usize) -> Snapshot {
    let mut snapshot = Snapshot::new("2026-11-24T06:00:00Z".into());
    snapshot.accounts = (0..accounts).map(|i| account(i, resources)).collect();
    snapshot.normalize();
    snapshot
}

fn bench_evaluate(c: &mut Criterion) {
    // As the binary does, before any thread.
    archaudit::engine::no_library_backtraces();
    let catalogue = Catalogue::builtin().unwrap();
    let compiled = catalogue.compile().unwrap();
    let mut sizes = vec![10, 100];
    if std::env::var_os("ARCHAUDIT_BENCH_LARGE").is_some() {
        sizes.push(1_000);
    }
    let mut group = c.benchmark_group(format!("evaluate/{}-rules", catalogue.rules.len()));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for accounts in sizes {
        let snapshot = organization(accounts, 1_000);
        let roles = Config::default().assign_roles(&snapshot);
        group.throughput(Throughput::Elements(snapshot.resource_count() as u64));
        group.bench_with_input(
            BenchmarkId::new("accounts-x1000-resources", accounts),
            &snapshot,
            |b, s| b.iter(|| compiled.evaluate(s, &roles).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
