//! Drift from Terraform (TFD rules) of the drifted example against the fixture
//! states: exact unmanaged / missing / changed sets, the ignore list, bad
//! states, globs, and sensitive values kept out of every format.

use crate::util::archaudit;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";
const SHARED: &str = "fixtures/terraform/states/shared.tfstate";
const DEVELOPMENT: &str = "fixtures/terraform/states/development.tfstate";
const PRODUCTION: &str = "fixtures/terraform/states/production.tfstate";
const SHARED_ID: &str = "318465720941";
const PRODUCTION_ID: &str = "571293840655";
const DEVELOPMENT_ID: &str = "729384615022";

/// A config file that runs only the drift rules, plus `extra`.
fn drift_config(dir: &Path, extra: &str) -> String {
    let path = dir.join("archaudit.toml");
    std::fs::write(&path, format!("[rules]\nenable = [\"drift\"]\n{extra}")).unwrap();
    path.display().to_string()
}

/// `check` of the drifted example with `args` added; (exit code, stdout, stderr).
fn check(config: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![DRIFTED, "--config", config, "--fail-on", "none"];
    all.extend_from_slice(args);
    let mut cmd = vec!["check"];
    cmd.extend(all);
    archaudit(&cmd)
}

fn json_report(config: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = check(config, &all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// (rule id, account, resource) of every finding.
fn findings(report: &Value) -> BTreeSet<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["account_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn of_rule<'a>(
    all: &'a BTreeSet<(String, String, String)>,
    rule: &str,
) -> BTreeSet<(&'a str, &'a str)> {
    all.iter()
        .filter(|(r, _, _)| r == rule)
        .map(|(_, a, res)| (a.as_str(), res.as_str()))
        .collect()
}

fn message<'a>(report: &'a Value, rule: &str, resource: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("no {rule} finding for {resource}"))["message"]
        .as_str()
        .unwrap()
}

const ALL_STATES: [&str; 6] = [
    "--tfstate",
    SHARED,
    "--tfstate",
    DEVELOPMENT,
    "--tfstate",
    PRODUCTION,
];

#[test]
fn drift_of_the_fixture_states_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    let report = json_report(&config, &ALL_STATES);
    let all = findings(&report);
    assert!(all.iter().all(|(rule, _, _)| rule.starts_with("TFD")));

    let ecr = |name: &str| format!("arn:aws:ecr:eu-central-1:{PRODUCTION_ID}:repository/{name}");
    let missing: BTreeSet<(&str, String)> = of_rule(&all, "TFD002")
        .into_iter()
        .map(|(a, r)| (a, r.to_string()))
        .collect();
    assert_eq!(
        missing,
        BTreeSet::from([
            (PRODUCTION_ID, ecr("krci/notification-service")),
            (
                PRODUCTION_ID,
                format!("arn:aws:iam::{PRODUCTION_ID}:role/AWSIRSA_Production_Velero")
            ),
        ]),
        "the us-east-1 log group of the production state is in a region not read: not missing"
    );

    let lb = "arn:aws:elasticloadbalancing:eu-central-1";
    let changed: BTreeSet<(&str, String)> = of_rule(&all, "TFD003")
        .into_iter()
        .map(|(a, r)| (a, r.to_string()))
        .collect();
    let expected_changed: BTreeSet<(&str, String)> = [
        (SHARED_ID, "arn:aws:eks:eu-central-1:318465720941:cluster/shared".to_string()),
        (SHARED_ID, format!("{lb}:318465720941:listener/app/shared-ingress-alb/6b049f449640af85/90ab20d7a0e91064")),
        (SHARED_ID, "arn:aws:ssm:eu-central-1:318465720941:parameter/infra/core/addons/keycloak".to_string()),
        (PRODUCTION_ID, ecr("krci/payments-api")),
        (PRODUCTION_ID, ecr("krci/web-portal")),
        (PRODUCTION_ID, "arn:aws:eks:eu-central-1:571293840655:cluster/production".to_string()),
        (PRODUCTION_ID, format!("{lb}:571293840655:listener/app/production-ingress-alb/fe103bff719af5a7/172d0c894cb3651e")),
        (PRODUCTION_ID, format!("{lb}:571293840655:loadbalancer/app/production-ingress-alb/fe103bff719af5a7")),
        (PRODUCTION_ID, "arn:aws:ssm:eu-central-1:571293840655:parameter/infra/core/addons/external-dns".to_string()),
        (PRODUCTION_ID, "arn:aws:s3:::terraform-states-571293840655".to_string()),
        (DEVELOPMENT_ID, "arn:aws:eks:eu-central-1:729384615022:cluster/krci-dev".to_string()),
        (DEVELOPMENT_ID, format!("{lb}:729384615022:listener/app/krci-dev-ingress-alb/e06a010e7bbf5481/38ada9d45d26f718")),
        // A world-open SSH rule added by hand to the node group (its rules are
        // inline), and a tag changed by hand on the Keycloak database's group.
        (SHARED_ID, "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-05a156f82e12726bc".to_string()),
        (SHARED_ID, "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-0a02ae2701029ab6b".to_string()),
        // GuardDuty, Config and KMS settings changed outside Terraform.
        (SHARED_ID, "arn:aws:config:eu-central-1:318465720941:configuration-recorder/default".to_string()),
        (SHARED_ID, "arn:aws:guardduty:eu-central-1:318465720941:detector/b6c2a8f41e9d3c7a5f0e8d2b4a6c9e13".to_string()),
        (SHARED_ID, "arn:aws:kms:eu-central-1:318465720941:key/fc0a464d-02f6-4f1a-a524-31cc7de86f0c".to_string()),
        (DEVELOPMENT_ID, "arn:aws:kms:eu-central-1:729384615022:key/aa110415-1d7d-4b33-aaa9-594adc6ae993".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(changed, expected_changed);
    assert_eq!(
        message(&report, "TFD003", &format!("{lb}:571293840655:listener/app/production-ingress-alb/fe103bff719af5a7/172d0c894cb3651e")),
        "module.ingress.aws_lb_listener.https (production-ingress-alb :443): ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06 (state) -> ELBSecurityPolicy-2016-08 (live)"
    );
    assert_eq!(
        message(&report, "TFD003", &ecr("krci/payments-api")),
        "aws_ecr_repository.service[\"krci/payments-api\"] (krci/payments-api): image_tag_mutability IMMUTABLE (state) -> MUTABLE (live); image_scanning_configuration.0.scan_on_push true (state) -> false (live); tags.user:tag (not set) (state) -> production (live)"
    );
    assert_eq!(
        message(&report, "TFD003", "arn:aws:ssm:eu-central-1:571293840655:parameter/infra/core/addons/external-dns"),
        "aws_ssm_parameter.platform[\"/infra/core/addons/external-dns\"] (/infra/core/addons/external-dns): type (sensitive) changed"
    );

    assert_eq!(
        message(&report, "TFD003", "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-05a156f82e12726bc"),
        "module.eks.aws_security_group.node (shared-node): ingress (not set) (state) -> tcp 22 from 0.0.0.0/0 \"ssh\" (live)"
    );
    assert_eq!(
        message(&report, "TFD003", "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-0a02ae2701029ab6b"),
        "module.data.aws_security_group.keycloak_rds (keycloak-postgres-rds): tags.CostCenter platform (state) -> identity (live)"
    );
    assert_eq!(
        message(&report, "TFD003", "arn:aws:kms:eu-central-1:318465720941:key/fc0a464d-02f6-4f1a-a524-31cc7de86f0c"),
        "module.kms.aws_kms_key.rds_shared (fc0a464d-02f6-4f1a-a524-31cc7de86f0c): enable_key_rotation true (state) -> false (live)"
    );
    // A detector's plans are siblings of one type, told apart by their name.
    let detector = message(
        &report,
        "TFD003",
        "arn:aws:guardduty:eu-central-1:318465720941:detector/b6c2a8f41e9d3c7a5f0e8d2b4a6c9e13",
    );
    for plan in [
        "eks_audit_logs",
        "ebs_malware_protection",
        "rds_login_events",
    ] {
        assert!(
            detector.contains(&format!("aws_guardduty_detector_feature.{plan} status ENABLED (state) -> DISABLED (live)"))
                || detector.contains(&format!("aws_guardduty_detector_feature.{plan} (b6c2a8f41e9d3c7a5f0e8d2b4a6c9e13): status ENABLED (state) -> DISABLED (live)")),
            "{detector}"
        );
    }
    assert!(!detector.contains("s3_data_events"), "{detector}");

    // Unmanaged: only accounts a state manages (not the management account),
    // without what AWS creates; the full list is in the table snapshot.
    let unmanaged = of_rule(&all, "TFD001");
    let count = |account: &str| unmanaged.iter().filter(|(a, _)| *a == account).count();
    assert_eq!(
        (
            count(SHARED_ID),
            count(PRODUCTION_ID),
            count(DEVELOPMENT_ID)
        ),
        // shared-docs and production-static-assets were made outside Terraform too,
        // development's hand-made trail and its bucket, and security groups:
        // shared-troubleshooting, krci-dev-sandbox-rds and krci-dev-redis-debug,
        // and a rule added by hand to production-node (its rules are resources).
        (34, 25, 39)
    );
    assert_eq!(unmanaged.len(), 98, "no other account");
    for arn in [
        "arn:aws:s3:::production-alb-access-logs-571293840655",
        "arn:aws:rds:eu-central-1:729384615022:db:krci-dev-sandbox",
        "arn:aws:es:eu-central-1:318465720941:domain/krci-logs", // read by a data source only
        "arn:aws:cloudtrail:eu-central-1:729384615022:trail/krci-dev-audit", // a team trail made by hand
        "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-08c89696adb520650", // shared-troubleshooting
        "arn:aws:ec2:eu-central-1:729384615022:security-group/sg-0ed7b1f5f46610b4f", // krci-dev-sandbox-rds
        "arn:aws:ec2:eu-central-1:729384615022:security-group/sg-06b210ab99287cc89", // krci-dev-redis-debug
        // metrics-server debugging: kubelet from 0.0.0.0/0 on a group whose rules are resources
        "arn:aws:ec2:eu-central-1:571293840655:security-group-rule/sgr-0b91d4190640b369e",
    ] {
        assert!(unmanaged.iter().any(|(_, r)| *r == arn), "{arn}");
    }
    for arn in [
        "arn:aws:iam::571293840655:role/OrganizationAccountAccessRole",
        "arn:aws:iam::571293840655:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_AdministratorAccess_cabe4dc9ed5c900c",
        "arn:aws:secretsmanager:eu-central-1:318465720941:secret:rds!db-19146a0f-d349-4fa3-a619-a4313f1d97c1-JolHdR",
        "arn:aws:ecr:eu-central-1:571293840655:repository/krci/payments-api", // managed
        "arn:aws:s3:::terraform-states-318465720941",                          // managed, by id
        // made by AWS, by EKS
        "arn:aws:ec2:eu-central-1:729384615022:security-group/sg-0e0789623426dfb5f",
        "arn:aws:ec2:eu-central-1:571293840655:security-group/sg-038475a6f6fc721e1",
        // the group made by hand is reported, not each of its rules
        "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-011d98a66161ed375",
        // inline rules, and the rules of a group held by aws_security_group_rule
        "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-071f38a9726b2dec8",
        "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-057a2845fa86541bf",
    ] {
        assert!(!unmanaged.iter().any(|(_, r)| *r == arn), "{arn}");
    }
    assert_eq!(report["summary"]["complete"], true);
    assert_eq!(report["summary"]["rules_run"], 3);
}

#[test]
fn drift_table_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    let mut args = vec!["--format", "table"];
    args.extend_from_slice(&ALL_STATES);
    let (code, table, stderr) = check(&config, &args);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("drift-table", table);
}

#[test]
fn globs_name_the_same_states() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    let explicit = json_report(&config, &ALL_STATES);
    let globbed = json_report(
        &config,
        &["--tfstate", "fixtures/terraform/states/*.tfstate"],
    );
    assert_eq!(findings(&explicit), findings(&globbed));
    let (code, _, stderr) = check(
        &config,
        &["--tfstate", "fixtures/terraform/nope/*.tfstate", "--strict"],
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("fixtures/terraform/nope/*.tfstate: no file matches"),
        "{stderr}"
    );
}

#[test]
fn ignore_list_builtin_defaults_and_user_entries() {
    let dir = tempfile::tempdir().unwrap();
    let unmanaged = |extra: &str| {
        let config = drift_config(dir.path(), extra);
        let report = json_report(&config, &ALL_STATES);
        of_rule(&findings(&report), "TFD001")
            .into_iter()
            .map(|(_, r)| r.to_string())
            .collect::<BTreeSet<String>>()
    };
    let default = unmanaged("");
    let all = unmanaged("[drift]\nbuiltin_ignores = false\n");
    let builtin: BTreeSet<&str> = all.difference(&default).map(String::as_str).collect();
    assert!(default.is_subset(&all));
    assert_eq!(builtin.len(), 8 + 6, "{builtin:#?}");
    let groups = [
        "sg-05e80d1a6abf35740",
        "sg-024aa0e3c2dd361d1",
        "sg-06b40f049f870aada",
        "sg-038475a6f6fc721e1",
        "sg-0e0789623426dfb5f",
        "sg-08133989d73627418",
    ];
    assert!(builtin.iter().all(|arn| arn.contains(":role/aws-reserved/")
        || arn.ends_with(":role/OrganizationAccountAccessRole")
        || arn.contains(":secret:rds!db-")
        // each VPC's default group and the cluster group EKS made
        || groups.iter().any(|g| arn.ends_with(&format!(":security-group/{g}")))
        // the management account's organization trail, seen from its members
        || arn.ends_with(":trail/krci-organization-trail")));

    let user = unmanaged(
        r#"
[[drift.ignore]]
type = "aws_subnet"
reason = "subnets come from the network team's stack"
[[drift.ignore]]
resource = "arn:aws:iam::*:role/AWSIRSA_*"
reason = "IRSA roles live in the addons state, not given here"
[[drift.ignore]]
tag = "owner=team-payments"
reason = "sandbox database of the payments team"
"#,
    );
    let gone: BTreeSet<&String> = default.difference(&user).collect();
    assert_eq!(gone.len(), 18 + 14 + 1, "{gone:#?}");
    assert!(gone.iter().all(|arn| arn.contains(":subnet/")
        || arn.contains(":role/AWSIRSA_")
        || arn.ends_with(":db:krci-dev-sandbox")));
    assert!(user.is_subset(&default));
}

#[test]
fn drift_ignore_config_errors_name_the_line_and_key() {
    let cases = [
        (
            "[[drift.ignore]]\nreason = \"x\"\n",
            "drift.ignore[0]: give `resource`",
        ),
        (
            "[[drift.ignore]]\ntype = \"aws_vpc\"\nreason = \" \"\n",
            "5: drift.ignore[0].reason",
        ),
        (
            "[[drift.ignore]]\ntype = \"AWS VPC\"\nreason = \"x\"\n",
            "4: drift.ignore[0].type",
        ),
        (
            "[[drift.ignore]]\nresource = \"arn:[\"\nreason = \"x\"\n",
            "4: drift.ignore[0].resource: bad glob",
        ),
        ("[drift]\nignores = []\n", "unknown field `ignores`"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (extra, expected) in cases {
        let config = drift_config(dir.path(), extra);
        let (code, _, stderr) = check(&config, &ALL_STATES);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(expected),
            "{stderr:?} should contain {expected:?}"
        );
    }
}

#[test]
fn bad_states_are_named_and_the_audit_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    let v3 = dir.path().join("v3.tfstate");
    std::fs::write(&v3, r#"{"version": 3, "serial": 9, "modules": []}"#).unwrap();
    let truncated = dir.path().join("truncated.tfstate");
    let text = std::fs::read_to_string(crate::util::repo(PRODUCTION)).unwrap();
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let absent = dir.path().join("absent.tfstate");
    for (path, problem) in [
        (&v3, "version 3 is not supported"),
        (&truncated, "invalid JSON"),
        (&absent, "cannot read Terraform state"),
    ] {
        let path = path.to_str().unwrap();
        let mut args = vec![
            "--format",
            "json",
            "--tfstate",
            PRODUCTION,
            "--tfstate",
            path,
        ];
        let (code, stdout, stderr) = check(&config, &args);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains(path) && stderr.contains(problem),
            "{stderr}"
        );
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let all = findings(&report);
        assert!(
            of_rule(&all, "TFD001").is_empty(),
            "unmanaged is not evaluated"
        );
        assert_eq!(of_rule(&all, "TFD003").len(), 7, "the good state's changes");
        assert_eq!(report["summary"]["complete"], false);
        let gaps = report["coverage_gaps"].as_array().unwrap();
        assert!(!gaps.is_empty());
        for gap in gaps {
            assert_eq!(gap["service"], "terraform");
            assert_eq!(gap["error"], "Other", "not a refusal: {gap}");
            assert!(gap["message"].as_str().unwrap().contains(path));
            assert_eq!(
                gap["rules_not_evaluated"],
                serde_json::json!(["TFD001", "TFD002", "TFD003"])
            );
        }
        args.push("--strict");
        assert_eq!(check(&config, &args).0, 3);
    }
}

#[test]
fn without_tfstate_the_drift_rules_do_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    let report = json_report(&config, &["--strict"]);
    assert_eq!(report["summary"]["rules_run"], 0);
    assert_eq!(report["summary"]["checks"], 0);
    assert_eq!(report["summary"]["complete"], true);
    assert!(report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn state_secrets_reach_no_report_format() {
    let dir = tempfile::tempdir().unwrap();
    let config = drift_config(dir.path(), "");
    for format in ["table", "json", "sarif", "markdown"] {
        let mut args = vec!["--format", format];
        args.extend_from_slice(&ALL_STATES);
        let (code, out, stderr) = check(&config, &args);
        assert_eq!(code, 0, "{stderr}");
        for secret in ["DO-NOT-LEAK", "LS0tLS1CRUdJTiBD"] {
            assert!(!out.contains(secret), "{format}: {secret}");
        }
        if format == "json" {
            assert!(out.contains("type (sensitive) changed"));
        }
    }
}
