//! A seeded organization, audited live: every account through its assumed
//! role, the snapshot's contents, the findings, and the same findings from
//! `collect` + `check` as from `audit`.

use super::{read_snapshot, Endpoint};
use serde_json::Value;
use std::collections::BTreeSet;

/// The services moto serves well enough to be read completely.
const READABLE: &[&str] = &[
    "acm",
    "amp",
    "dynamodb",
    "ec2",
    "ecr",
    "efs",
    "eks",
    "elbv2",
    "iam",
    "logs",
    "opensearch",
    "rds",
    "s3",
    "s3control",
    "secretsmanager",
    "ssm",
    "wafv2",
    "cloudtrail",
    "config",
    "guardduty",
    "kms",
    "securityhub",
];

fn account<'a>(snapshot: &'a Value, id: &str) -> &'a Value {
    snapshot["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"]["id"] == id)
        .unwrap_or_else(|| panic!("account {id} not in the snapshot"))
}

fn coverage<'a>(account: &'a Value, region: &str, service: &str) -> &'a Value {
    account["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"] == region && c["service"] == service)
        .unwrap_or_else(|| panic!("no coverage for {service} in {region}"))
}

fn named<'a>(items: &'a Value, key: &str, value: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i[key] == value)
        .unwrap_or_else(|| panic!("no item with {key} = {value} in {items}"))
}

#[test]
fn org_collection_reads_every_account_through_assumed_roles() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(0);
    let out = endpoint.path("org.json");
    let (code, _, stderr) = endpoint.archaudit(&[
        "collect",
        "--org",
        "--regions",
        "eu-central-1",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("not-a-real-"),
        "a secret or parameter value reached the snapshot"
    );
    let snap = read_snapshot(&out);

    assert_eq!(
        snap["organization"]["management_account_id"],
        seeded.management.as_str()
    );
    let ids: BTreeSet<&str> = snap["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account"]["id"].as_str().unwrap())
        .collect();
    let mut expected: BTreeSet<&str> = seeded.accounts.values().map(String::as_str).collect();
    expected.insert(&seeded.management);
    assert_eq!(ids, expected);

    for (role, id) in &seeded.accounts {
        let a = account(&snap, id);
        assert_eq!(a["account"]["tags"]["archaudit:role"], role.as_str());
        assert_eq!(a["account"]["name"], format!("krci-{role}"));
        assert_eq!(a["regions"], serde_json::json!(["eu-central-1"]));
        for service in READABLE {
            let region = if ["iam", "s3", "s3control"].contains(service) {
                "global"
            } else {
                "eu-central-1"
            };
            let c = coverage(a, region, service);
            assert_eq!(c["status"], "ok", "{role} {service}: {c}");
        }
        // moto has no GetEnabledStandards: a gap of its own where a hub is
        // on (shared), and the hub is still read.
        let standards = coverage(a, "eu-central-1", "securityhub-standards");
        if role == "shared" {
            assert_eq!(standards["error"], "NotImplemented", "{standards}");
        } else {
            assert_eq!(standards["status"], "ok", "{standards}");
        }
        // moto has no Managed Grafana: recorded, not guessed.
        let grafana = coverage(a, "eu-central-1", "grafana");
        assert_eq!(grafana["status"], "error");
        assert_eq!(grafana["error"], "NotImplemented");

        let bucket = named(
            &a["s3"]["buckets"],
            "name",
            &format!("terraform-states-{id}"),
        );
        assert_eq!(bucket["region"], "eu-central-1");
        assert_eq!(bucket["encryption"]["sse_algorithm"], "AES256");
        assert_eq!(
            bucket["versioning"],
            if role == "production" {
                "Suspended"
            } else {
                "Enabled"
            }
        );
        assert_eq!(bucket["policy"].is_object(), role != "development");

        let cluster = named(&a["eks"]["clusters"], "name", role);
        assert_eq!(cluster["version"], "1.34");
        assert_eq!(cluster["endpoint_public_access"], true);
        assert_eq!(
            cluster["public_access_cidrs"],
            serde_json::json!(["0.0.0.0/0"])
        );
        assert_eq!(
            cluster["encryption"].as_array().unwrap().is_empty(),
            role == "production"
        );

        let velero = named(
            &a["iam"]["roles"],
            "name",
            &format!("AWSIRSA_{}_Velero", capitalize(role)),
        );
        let statement = &velero["trust_policy"]["Statement"][0];
        assert_eq!(
            statement["Action"], "sts:AssumeRoleWithWebIdentity",
            "trust policy decoded: {velero}"
        );
        assert_eq!(a["iam"]["oidc_providers"].as_array().unwrap().len(), 1);

        let alb = named(
            &a["elbv2"]["load_balancers"],
            "name",
            &format!("{role}-ingress-alb"),
        );
        assert_eq!(alb["scheme"], "internet-facing");
        let protocols: BTreeSet<&str> = alb["listeners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["protocol"].as_str().unwrap())
            .collect();
        assert_eq!(protocols, BTreeSet::from(["HTTP", "HTTPS"]));
        assert!(alb.get("web_acl_arn").is_none(), "no WAF is associated");
        assert_eq!(a["acm"]["certificates"].as_array().unwrap().len(), 1);

        let repos: BTreeSet<&str> = a["ecr"]["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        if role == "shared" {
            assert!(repos.is_empty());
        } else {
            assert_eq!(
                repos,
                BTreeSet::from(["krci/payments-api", "krci/web-portal"])
            );
        }
        let tables: Vec<&str> = a["dynamodb"]["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(tables.contains(&"terraform_locks"), role != "development");
    }

    let shared = account(&snap, &seeded.accounts["shared"]);
    let db = named(&shared["rds"]["instances"], "id", "keycloak-postgres");
    assert_eq!(
        (
            db["storage_encrypted"].clone(),
            db["multi_az"].clone(),
            db["backup_retention_period"].clone()
        ),
        (false.into(), false.into(), 1.into())
    );
    assert_eq!(
        named(
            &shared["ssm"]["parameters"],
            "name",
            "/edp/sonar/admin-password"
        )["type"],
        "String"
    );
    assert_eq!(
        named(
            &shared["ssm"]["parameters"],
            "name",
            "/edp/nexus/admin-password"
        )["type"],
        "SecureString"
    );
    assert_eq!(
        named(
            &shared["secretsmanager"]["secrets"],
            "name",
            "/edp/keycloak/admin"
        )["rotation_enabled"],
        false
    );
    assert_eq!(shared["efs"]["file_systems"][0]["encrypted"], false);
    assert_eq!(shared["amp"]["workspaces"][0]["alias"], "krci-shared");
    assert!(named(
        &shared["logs"]["log_groups"],
        "name",
        "/aws/eks/shared/cluster"
    )
    .get("retention_in_days")
    .is_none());

    detection_sections(&snap, &seeded.accounts);

    let dev = account(&snap, &seeded.accounts["development"]);
    let user = named(&dev["iam"]["users"], "name", "ci-legacy");
    assert_eq!(user["access_keys"].as_array().unwrap().len(), 1);
    assert_eq!(user["access_keys"][0]["status"], "Active");
    assert!(user["access_keys"][0]["id"].as_str().unwrap().len() >= 16);
    assert!(user["login_profile"]["created"].is_string(), "{user}");
    assert_eq!(user["mfa_devices"], serde_json::json!([]));

    // Guard rails: set in production, missing in development.
    let prod = account(&snap, &seeded.accounts["production"]);
    let id = &seeded.accounts["production"];
    assert_eq!(
        prod["s3control"]["public_access_blocks"],
        serde_json::json!([{
            "arn": format!("arn:aws:s3::{id}:account-public-access-block"),
            "block_public_acls": true,
            "ignore_public_acls": true,
            "block_public_policy": true,
            "restrict_public_buckets": true,
        }])
    );
    assert_eq!(
        dev["s3control"]["public_access_blocks"],
        serde_json::json!([])
    );
    assert_eq!(prod["ec2"]["ebs_encryption_by_default"][0]["enabled"], true);
    assert_eq!(dev["ec2"]["ebs_encryption_by_default"][0]["enabled"], false);
    assert_eq!(
        prod["iam"]["password_policy"]["minimum_password_length"],
        14
    );
    assert_eq!(
        prod["iam"]["password_policy"]["password_reuse_prevention"],
        24
    );
    assert!(dev["iam"].get("password_policy").is_none());
    let bastion = named(&dev["ec2"]["security_groups"], "name", "krci-dev-bastion");
    let ssh: Vec<&Value> = bastion["ingress"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["from_port"] == 22)
        .collect();
    assert_eq!(ssh.len(), 1, "{bastion}");
    assert_eq!(
        (
            &ssh[0]["protocol"],
            &ssh[0]["to_port"],
            &ssh[0]["cidr_ipv4"]
        ),
        (&"tcp".into(), &22.into(), &"0.0.0.0/0".into())
    );
    assert!(ssh[0]["id"].as_str().unwrap().starts_with("sgr-"));
    // moto gives every new group AWS's allow-all egress rule.
    assert_eq!(bastion["egress"][0]["protocol"], "-1");
}

/// What seed.py's `detection` made, read back: trails with their status,
/// detectors with their plans, recorders, the hub, customer-managed keys.
fn detection_sections(snap: &Value, accounts: &std::collections::BTreeMap<String, String>) {
    let shared = account(snap, &accounts["shared"]);
    let trail = named(&shared["cloudtrail"]["trails"], "name", "platform-audit");
    assert_eq!(
        (
            trail["multi_region"].clone(),
            trail["log_file_validation"].clone(),
            trail["logging"].clone(),
            trail["home_region"].clone()
        ),
        (true.into(), true.into(), true.into(), "eu-central-1".into())
    );
    let keys = shared["kms"]["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "customer-managed keys only: {keys:?}");
    assert_eq!(keys[0]["aliases"], serde_json::json!(["alias/eks/shared"]));
    assert_eq!(keys[0]["rotation_enabled"], true);
    assert_eq!(keys[0]["state"], "Enabled");
    assert_eq!(trail["kms_key_id"], keys[0]["arn"]);
    assert!(keys[0]["policy"]["Statement"].is_array(), "{}", keys[0]);
    let detector = &shared["guardduty"]["detectors"][0];
    assert_eq!(detector["status"], "ENABLED");
    assert_eq!(detector["features"]["EKS_AUDIT_LOGS"], "ENABLED");
    assert_eq!(
        detector["features"]["RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT"],
        "ENABLED"
    );
    let recorder = named(&shared["config"]["recorders"], "name", "default");
    assert_eq!(
        (
            recorder["recording"].clone(),
            recorder["all_supported"].clone()
        ),
        (true.into(), true.into())
    );
    assert_eq!(
        shared["config"]["delivery_channels"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(shared["securityhub"]["hubs"].as_array().unwrap().len(), 1);

    let production = account(snap, &accounts["production"]);
    let legacy = named(&production["cloudtrail"]["trails"], "name", "legacy-audit");
    assert_eq!(
        (legacy["multi_region"].clone(), legacy["logging"].clone()),
        (false.into(), false.into())
    );
    assert!(legacy.get("kms_key_id").is_none());
    assert_eq!(production["kms"]["keys"][0]["rotation_enabled"], false);
    assert_eq!(
        production["guardduty"]["detectors"][0]["features"]["EKS_AUDIT_LOGS"],
        "DISABLED"
    );
    assert_eq!(production["config"]["recorders"][0]["recording"], false);
    assert!(production["securityhub"]["hubs"]
        .as_array()
        .unwrap()
        .is_empty());

    let dev = account(snap, &accounts["development"]);
    assert!(dev["guardduty"]["detectors"].as_array().unwrap().is_empty());
    assert!(dev["cloudtrail"]["trails"].as_array().unwrap().is_empty());
    assert_eq!(dev["kms"]["keys"][0]["state"], "PendingDeletion");
    assert!(dev["kms"]["keys"][0]["deletion_date"].is_string());
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn findings(report: &str) -> BTreeSet<(String, String, String)> {
    let v: Value = serde_json::from_str(report).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["account_role"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn audit_reports_the_seeded_drift_like_check_on_the_collected_snapshot() {
    let endpoint = Endpoint::start();
    endpoint.seed(0);
    let (code, report, stderr) = endpoint.audit_org(&[]);
    assert_eq!(code, 1, "high findings fail the default gate: {stderr}");
    let found = findings(&report);
    let has = |rule: &str, role: &str, resource_part: &str| {
        found
            .iter()
            .any(|(r, ro, res)| r == rule && ro == role && res.contains(resource_part))
    };
    let expected = [
        ("TF002", "production", "terraform-states-"),
        ("TF004", "development", "terraform-states-"),
        ("TF006", "development", ":root"),
        ("EKS002", "production", "cluster/production"),
        (
            "TLS003",
            "production",
            "listener/app/production-ingress-alb",
        ),
        ("ECR002", "production", "repository/krci/payments-api"),
        ("TOPO001", "shared", ":root"),
        ("SEC001", "shared", "/edp/sonar/admin-password"),
        ("SEC002", "shared", "/edp/keycloak/admin"),
        ("RDS001", "shared", "keycloak-postgres"),
        ("RDS003", "shared", "keycloak-postgres"),
        ("RDS004", "shared", "keycloak-postgres"),
        ("EFS001", "shared", "file-system/"),
        ("OBS001", "shared", "/aws/eks/shared/cluster"),
        ("IAM001", "development", "user/ci-legacy"),
        ("IAM013", "development", "user/ci-legacy"),
        ("NET004", "development", ":security-group/sg-"),
        ("CMP001", "development", ":ebs-encryption-by-default"),
        ("BKT001", "development", ":account-public-access-block"),
        ("IAM009", "shared", ":account-password-policy"),
        ("CT001", "production", ":root"),
        ("CT004", "production", "trail/legacy-audit"),
        ("CT003", "production", "trail/legacy-audit"),
        ("CT001", "development", ":root"),
        ("GD001", "development", ":root"),
        ("GD002", "production", "detector/"),
        ("CFG001", "production", "configuration-recorder/default"),
        ("SH001", "production", ":root"),
        ("KMS001", "production", "key/"),
        ("KMS003", "development", "key/"),
    ];
    for role in ["production", "shared", "development"] {
        for (rule, part) in [
            ("EKS001", "cluster/"),
            ("EKS003", "cluster/"),
            ("WAF001", "loadbalancer/app/"),
            ("TLS002", "listener/app/"),
            ("IAM005", "_ExternalSecrets"),
            ("IAM006", "_Velero"),
            ("NET001", ":vpc/"),
            ("TF005", "terraform-states-"),
        ] {
            assert!(
                has(rule, role, part),
                "{rule} for {role} ({part}) missing in {found:#?}"
            );
        }
    }
    for (rule, role, part) in expected {
        assert!(
            has(rule, role, part),
            "{rule} for {role} ({part}) missing in {found:#?}"
        );
    }
    // Production's guard rails are read as set.
    for rule in ["CMP001", "BKT001", "IAM009", "IAM010", "IAM011"] {
        assert!(
            !has(rule, "production", ""),
            "{rule} for production in {found:#?}"
        );
    }
    // Nothing is reported on data that was not read: Grafana (absent in moto) is not evaluated.
    assert!(!found
        .iter()
        .any(|(r, ro, _)| r == "TOPO006" && ro == "shared"));
    let v: Value = serde_json::from_str(&report).unwrap();
    assert!(v["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["service"] == "grafana"
            && g["rules_not_evaluated"]
                .as_array()
                .unwrap()
                .contains(&"TOPO006".into())));

    // collect + check on the saved (compressed) snapshot gives the same findings.
    let snapshot = endpoint.path("org.json.zst");
    let (code, _, stderr) = endpoint.archaudit(&[
        "collect",
        "--org",
        "--regions",
        "eu-central-1",
        "--output",
        snapshot.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_, offline, _) =
        crate::util::archaudit(&["check", snapshot.to_str().unwrap(), "--format", "json"]);
    assert_eq!(findings(&offline), found);
}

#[test]
fn all_regions_are_read_with_the_endpoint_from_the_environment() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(0);
    let out = endpoint.path("regions.json");
    // No --endpoint-url: AWS_ENDPOINT_URL (set by run_archaudit) must be honoured.
    let (code, _, stderr) = super::run_archaudit(
        &endpoint.url,
        &[
            "collect",
            "--account",
            &seeded.management,
            "--regions",
            "all",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let snap = read_snapshot(&out);
    let a = account(&snap, &seeded.management);
    let regions: BTreeSet<&str> = a["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        regions.len() > 10 && regions.contains("eu-central-1") && regions.contains("us-east-1"),
        "{regions:?}"
    );
    for region in &regions {
        assert_eq!(coverage(a, region, "ecr")["status"], "ok", "{region}");
    }
    // Global services once per account; the state bucket was seeded in eu-central-1.
    assert_eq!(
        a["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["service"] == "iam")
            .count(),
        1
    );
    assert_eq!(
        named(
            &a["s3"]["buckets"],
            "name",
            &format!("terraform-states-{}", seeded.management)
        )["region"],
        "eu-central-1"
    );
    let ops: BTreeSet<String> = endpoint
        .calls()
        .iter()
        .filter_map(|c| c["operation"].as_str().map(str::to_string))
        .collect();
    assert!(ops.contains("DescribeRegions"), "{ops:?}");
    let granted = super::policy::assert_calls_granted(&endpoint.calls());
    assert!(granted.contains("ec2:DescribeRegions"), "{granted:?}");
}
