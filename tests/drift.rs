//! Drift over time: `archaudit diff` and `--baseline` on two snapshots of the
//! example organization a day apart. The next day's fixture was edited by hand
//! from the first: the shared ALB's :443 listener moved to the console default
//! TLS policy, the shared RDS upgrade log group got a retention, the production
//! ALB got a WAF web ACL and deletion protection, development gained an ECR
//! repository with console defaults and could not read RDS, and the management
//! account's `ops-readonly` user was deleted. A day passing also ages keys and
//! certificates, which updates those findings' messages.

use crate::sarif::check_sarif;
use crate::util::{archaudit, assert_clean_error};
use serde_json::Value;
use std::collections::BTreeSet;

const OLD: &str = "fixtures/snapshots/reference-drifted.json";
const NEW: &str = "fixtures/snapshots/reference-drifted-next-day.json";

fn json(args: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = archaudit(args);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    (code, serde_json::from_str(&stdout).expect("JSON on stdout"))
}

/// (rule id, resource) of each finding of a list.
fn keys(findings: &Value) -> BTreeSet<(String, String)> {
    findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const PROD_ALB: &str = "arn:aws:elasticloadbalancing:eu-central-1:571293840655:loadbalancer/app/production-ingress-alb/fe103bff719af5a7";
const SHARED_ALB: &str = "arn:aws:elasticloadbalancing:eu-central-1:318465720941:loadbalancer/app/shared-ingress-alb/6b049f449640af85";
const SCRATCH_REPO: &str = "arn:aws:ecr:eu-central-1:729384615022:repository/krci/audit-scratch";
const DEV_RDS: &str = "arn:aws:rds:eu-central-1:729384615022:db:krci-dev-sandbox";
const UPGRADE_LOGS: &str =
    "arn:aws:logs:eu-central-1:318465720941:log-group:/aws/rds/instance/krci-shared-postgres/upgrade";

fn expected_new() -> BTreeSet<(String, String)> {
    set(&[
        (
            "TLS003",
            "arn:aws:elasticloadbalancing:eu-central-1:318465720941:listener/app/shared-ingress-alb/6b049f449640af85/f87a8f29ed581f67",
        ),
        ("ECR001", SCRATCH_REPO),
        ("ECR003", SCRATCH_REPO),
        ("ECR004", SCRATCH_REPO),
    ])
}

fn expected_updated() -> BTreeSet<(String, String)> {
    set(&[
        (
            "TLS004",
            "arn:aws:acm:eu-central-1:729384615022:certificate/e14d989b-dbe4-47e3-a16c-f2a7745f0fa1",
        ),
        ("IAM002", "arn:aws:iam::729384615022:user/ci-legacy"),
        ("IAM003", "arn:aws:iam::729384615022:user/ci-legacy"),
    ])
}

fn expected_resolved() -> BTreeSet<(String, String)> {
    set(&[
        ("WAF001", PROD_ALB),
        ("ELB002", PROD_ALB),
        ("OBS001", UPGRADE_LOGS),
    ])
}

fn expected_not_reevaluated() -> BTreeSet<(String, String)> {
    set(&[
        ("RDS001", DEV_RDS),
        ("RDS002", DEV_RDS),
        ("RDS004", DEV_RDS),
        ("RDS005", DEV_RDS),
    ])
}

#[test]
fn diff_of_two_days_lists_exact_resource_and_finding_changes() {
    let (code, diff) = json(&["diff", OLD, NEW, "--format", "json"]);
    assert_eq!(code, 1, "high findings are open in NEW: --fail-on high");
    assert_eq!(diff["old"]["snapshot_generated_at"], "2026-11-24T06:00:00Z");
    assert_eq!(diff["new"]["snapshot_generated_at"], "2026-11-25T06:00:00Z");

    let resources = &diff["resources"];
    let arns = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["kind"].as_str().unwrap(),
                    r["arn"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        arns(&resources["added"]),
        [format!("ecr.repositories {SCRATCH_REPO}")]
    );
    assert_eq!(
        arns(&resources["removed"]),
        ["iam.users arn:aws:iam::406520781234:user/ops-readonly"]
    );
    let changes: Vec<(String, String, Value, Value)> = resources["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["changes"].as_array().unwrap().iter().map(move |c| {
                (
                    r["arn"].as_str().unwrap().to_string(),
                    c["field"].as_str().unwrap().to_string(),
                    c.get("old").cloned().unwrap_or(Value::Null),
                    c.get("new").cloned().unwrap_or(Value::Null),
                )
            })
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (
                SHARED_ALB.to_string(),
                "listeners :443 ssl_policy".to_string(),
                Value::from("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                Value::from("ELBSecurityPolicy-2016-08"),
            ),
            (
                UPGRADE_LOGS.to_string(),
                "retention_in_days".to_string(),
                Value::Null,
                Value::from(30),
            ),
            (
                PROD_ALB.to_string(),
                "attributes deletion_protection.enabled".to_string(),
                Value::from("false"),
                Value::from("true"),
            ),
            (
                PROD_ALB.to_string(),
                "web_acl_arn".to_string(),
                Value::Null,
                Value::from("arn:aws:wafv2:eu-central-1:571293840655:regional/webacl/ExternalACL/3c1f0e52-8a7d-4c61-9b0e-6f2d4a9e7b18"),
            ),
        ]
    );
    // Development's RDS was not read the next day: its instance is not "removed".
    assert_eq!(
        resources["not_compared"],
        serde_json::json!([{
            "account_id": "729384615022",
            "region": "eu-central-1",
            "service": "rds",
            "read_in": "old"
        }])
    );

    let findings = &diff["findings"];
    assert_eq!(keys(&findings["new"]), expected_new());
    assert_eq!(keys(&findings["updated"]), expected_updated());
    assert_eq!(keys(&findings["resolved"]), expected_resolved());
    assert_eq!(
        keys(&findings["not_reevaluated"]),
        expected_not_reevaluated()
    );
    // 147 findings the first day: 137 unchanged + 3 updated + 3 resolved + 4 not re-evaluated.
    assert_eq!(findings["unchanged"].as_array().unwrap().len(), 137);
    let updated = &findings["updated"].as_array().unwrap()[0];
    assert_ne!(updated["message"], updated["old_message"]);
    let summary = &diff["summary"];
    assert_eq!(summary["findings_new"], 4);
    assert_eq!(summary["findings_resolved"], 3);
    assert_eq!(summary["resources_changed"], 3);
    assert_eq!(summary["complete"], false, "NEW could not read RDS");
}

#[test]
fn diff_table_of_two_days() {
    let (code, stdout, stderr) = archaudit(&["diff", OLD, NEW]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn diff_markdown_names_the_changed_listener() {
    let (_, stdout, _) = archaudit(&["diff", OLD, NEW, "--format", "markdown"]);
    assert!(
        stdout.starts_with("## archaudit diff: 4 findings new, 3 findings resolved"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| listeners :443 ssl\\_policy | ELBSecurityPolicy-TLS13-1-2-2021-06 | ELBSecurityPolicy-2016-08 |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| resolved | high | WAF001 alb-without-waf |"),
        "{stdout}"
    );
}

#[test]
fn fail_on_new_gates_only_on_new_findings() {
    // NEW has critical findings, but none is new: only --fail-on-new gates.
    let (code, _, stderr) = archaudit(&["diff", OLD, NEW, "--fail-on-new", "critical"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, _) = archaudit(&["diff", OLD, NEW, "--fail-on-new", "high"]);
    assert_eq!(code, 1, "TLS003 is new and high");
    // An explicit --fail-on still applies beside it.
    let (code, _, _) = archaudit(&[
        "diff",
        OLD,
        NEW,
        "--fail-on-new",
        "critical",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 1);
    // Incomplete NEW with --strict: 3.
    let (code, _, _) = archaudit(&["diff", OLD, NEW, "--fail-on", "none", "--strict"]);
    assert_eq!(code, 3);
}

#[test]
fn check_with_a_baseline_marks_every_finding() {
    let (code, report) = json(&[
        "check",
        NEW,
        "--baseline",
        OLD,
        "--format",
        "json",
        "--fail-on-new",
        "critical",
    ]);
    assert_eq!(code, 0, "no new critical finding, and --fail-on is off");
    let findings = report["findings"].as_array().unwrap();
    let with = |state: &str| -> BTreeSet<(String, String)> {
        keys(&Value::from(
            findings
                .iter()
                .filter(|f| f["baseline_state"] == state)
                .cloned()
                .collect::<Vec<_>>(),
        ))
    };
    assert_eq!(with("new"), expected_new());
    assert_eq!(with("updated"), expected_updated());
    assert_eq!(with("unchanged").len(), 137);
    assert_eq!(findings.len(), 4 + 3 + 137);
    let baseline = &report["baseline"];
    assert_eq!(baseline["source"], OLD);
    assert_eq!(baseline["new"], 4);
    assert_eq!(keys(&baseline["resolved"]), expected_resolved());
    assert_eq!(
        keys(&baseline["not_reevaluated"]),
        expected_not_reevaluated()
    );
    assert_eq!(report["summary"]["failed"], false);

    let (code, report) = json(&[
        "check",
        NEW,
        "--baseline",
        OLD,
        "--format",
        "json",
        "--fail-on-new",
        "high",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["failed"], true);
}

#[test]
fn a_json_report_works_as_baseline_and_as_old() {
    let dir = tempfile::tempdir().unwrap();
    let old_report = dir.path().join("2026-11-24.json");
    let (code, _, stderr) = archaudit(&[
        "check",
        OLD,
        "--format",
        "json",
        "--fail-on",
        "none",
        "--output",
        old_report.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let old_report = old_report.to_str().unwrap();

    let (_, diff) = json(&["diff", old_report, NEW, "--format", "json"]);
    assert_eq!(
        diff["resources"],
        Value::Null,
        "a report holds no resources"
    );
    assert_eq!(keys(&diff["findings"]["new"]), expected_new());
    assert_eq!(keys(&diff["findings"]["resolved"]), expected_resolved());
    assert_eq!(
        keys(&diff["findings"]["not_reevaluated"]),
        expected_not_reevaluated()
    );

    let (_, report) = json(&["check", NEW, "--baseline", old_report, "--format", "json"]);
    assert_eq!(report["baseline"]["new"], 4);
    assert_eq!(report["baseline"]["unchanged"], 137);
}

#[test]
fn diff_sarif_carries_baseline_states_and_check_sarif_has_no_absent_results() {
    let (_, stdout, stderr) = archaudit(&["diff", OLD, NEW, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    check_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let count = |state: &str| {
        results
            .iter()
            .filter(|r| r["baselineState"] == state)
            .count()
    };
    assert_eq!(count("new"), 4);
    assert_eq!(count("updated"), 3);
    assert_eq!(count("unchanged"), 137);
    assert_eq!(count("absent"), 3);
    assert_eq!(results.len(), 147);

    let (_, stdout, _) = archaudit(&["check", NEW, "--baseline", OLD, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    check_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 144, "an upload holds open findings only");
    assert!(results.iter().all(|r| r["baselineState"] != "absent"));
}

#[test]
fn bad_baselines_are_clean_errors() {
    assert_clean_error(
        &archaudit(&["check", NEW, "--baseline", "no/such/baseline.json"]),
        &["no/such/baseline.json"],
    );
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign.json");
    std::fs::write(&foreign, r#"{"tool": {"name": "prowler"}, "findings": []}"#).unwrap();
    assert_clean_error(
        &archaudit(&["diff", foreign.to_str().unwrap(), NEW]),
        &["foreign.json"],
    );
    let truncated = dir.path().join("truncated.json");
    let text = std::fs::read_to_string(crate::util::repo(OLD)).unwrap();
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    assert_clean_error(
        &archaudit(&["diff", truncated.to_str().unwrap(), NEW]),
        &["truncated.json"],
    );
    // --fail-on-new needs a baseline.
    let (code, _, stderr) = archaudit(&["check", NEW, "--fail-on-new", "high"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--baseline"), "{stderr}");
}
