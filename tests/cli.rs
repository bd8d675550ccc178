//! The real binary: exit codes, formats, merging shards, user rules, coverage
//! gaps, and bad input (each a one-line error naming the file, never a panic).

use crate::util::{archaudit, assert_clean_error, repo, rule_fixture_snapshot};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";
const COMPLIANT: &str = "fixtures/snapshots/reference-compliant.json";
const WAF_FAIL: &str = "fixtures/rules/waf/alb-without-waf/fail.json";

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn json_findings(stdout: &str) -> BTreeSet<(String, String, String)> {
    let report: Value = serde_json::from_str(stdout).unwrap();
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

#[test]
fn drifted_example_prints_findings_by_account_and_exits_1() {
    let (code, stdout, stderr) = archaudit(&["check", DRIFTED]);
    assert_eq!(code, 1, "{stderr}");
    for header in [
        "krci-production (571293840655), role production:",
        "krci-shared (318465720941), role shared:",
        "krci-development (729384615022), role development:",
    ] {
        assert!(stdout.contains(header), "missing {header:?} in\n{stdout}");
    }
    assert!(
        stdout.contains("Result: FAILED (--fail-on high)."),
        "{stdout}"
    );
    assert!(stdout.contains(" in 4 accounts; "), "{stdout}");
    // Most severe first within an account.
    let shared = stdout.split("krci-shared (318465720941)").nth(1).unwrap();
    let first_low = shared.find("│ low").unwrap_or(usize::MAX);
    let first_high = shared.find("│ high").unwrap();
    assert!(first_high < first_low);
}

#[test]
fn compliant_example_is_clean_and_exits_0() {
    let (code, stdout, stderr) = archaudit(&["check", COMPLIANT]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("No findings in 4 accounts;"), "{stdout}");
    assert!(stdout.contains("0 of "), "{stdout}");
    assert!(
        stdout.contains("Result: passed (--fail-on high)."),
        "{stdout}"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(archaudit(&["check", DRIFTED, "--fail-on", "none"]).0, 0);
    assert_eq!(archaudit(&["check", DRIFTED, "--fail-on", "critical"]).0, {
        let (_, stdout, _) = archaudit(&["check", DRIFTED, "--format", "json"]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        if report["summary"]["by_severity"]["critical"]
            .as_u64()
            .unwrap()
            > 0
        {
            1
        } else {
            0
        }
    });
}

#[test]
fn json_report_goes_to_output_file_with_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let (code, stdout, _) = archaudit(&[
        "check",
        DRIFTED,
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "the report goes to the file only");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["schema_version"], "1.0");
    assert_eq!(report["summary"]["accounts"], 4);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(
        report["summary"]["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
    for f in findings {
        for key in [
            "rule_id",
            "rule_name",
            "title",
            "severity",
            "account_id",
            "account_name",
            "account_role",
            "region",
            "resource",
            "message",
            "fingerprint",
        ] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {f}"
            );
        }
    }
}

#[test]
fn shards_merge_into_the_same_findings_and_duplicates_are_refused() {
    let whole: Value =
        serde_json::from_str(&std::fs::read_to_string(repo(DRIFTED)).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, account) in whole["accounts"].as_array().unwrap().iter().enumerate() {
        let mut shard = whole.clone();
        shard["accounts"] = json!([account]);
        paths.push(write(&dir, &format!("shard-{i}.json"), &shard.to_string()));
    }
    let mut args = vec!["check", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let (code, merged, _) = archaudit(&args);
    assert_eq!(code, 1);
    let (_, single, _) = archaudit(&["check", "--format", "json", DRIFTED]);
    assert_eq!(json_findings(&merged), json_findings(&single));
    assert!(!json_findings(&single).is_empty());

    let result = archaudit(&["check", &paths[0], &paths[1], &paths[0]]);
    assert_clean_error(&result, &["is in both", "shard-0.json"]);
}

#[test]
fn unreadable_service_is_a_gap_not_a_pass_and_strict_exits_3() {
    let mut snapshot = rule_fixture_snapshot(WAF_FAIL);
    assert_eq!(snapshot["accounts"][0]["coverage"][1]["service"], "wafv2");
    snapshot["accounts"][0]["coverage"][1] = json!({
        "region": "eu-central-1", "service": "wafv2", "status": "error",
        "error": "AccessDenied", "message": "AccessDeniedException: not authorized to perform wafv2:GetWebACLForResource"
    });
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "denied.json", &snapshot.to_string());

    let waf_findings = |stdout: &str| {
        json_findings(stdout)
            .into_iter()
            .filter(|f| f.0 == "WAF001")
            .count()
    };
    let (_, stdout, _) = archaudit(&["check", &path, "--format", "json"]);
    assert_eq!(
        waf_findings(&stdout),
        0,
        "the WAF finding rests on unread data, so it is not reported"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["complete"], false);
    assert!(report["summary"]["checks_not_evaluated"].as_u64().unwrap() >= 1);
    let gaps = report["coverage_gaps"].as_array().unwrap();
    let waf_gap = gaps
        .iter()
        .find(|g| g["service"] == "wafv2")
        .expect("a wafv2 gap");
    assert_eq!(waf_gap["region"], "eu-central-1");
    assert_eq!(waf_gap["error"], "AccessDenied");
    assert!(waf_gap["rules_not_evaluated"]
        .as_array()
        .unwrap()
        .contains(&json!("WAF001")));
    // The same snapshot with wafv2 readable does report it: the gap is what hid it.
    let readable = write(
        &dir,
        "readable.json",
        &rule_fixture_snapshot(WAF_FAIL).to_string(),
    );
    assert_eq!(
        waf_findings(&archaudit(&["check", &readable, "--format", "json"]).1),
        1
    );

    let (code, stdout, _) = archaudit(&["check", &path, "--fail-on", "none"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Coverage gaps"), "{stdout}");
    assert!(stdout.contains("AccessDenied"), "{stdout}");
    assert_eq!(
        archaudit(&["check", &path, "--strict", "--fail-on", "none"]).0,
        3
    );

    // A service with no coverage entry at all was not collected: same treatment.
    snapshot["accounts"][0]["coverage"] =
        json!([{"region": "eu-central-1", "service": "elbv2", "status": "ok"}]);
    let path = write(&dir, "uncollected.json", &snapshot.to_string());
    let (_, stdout, _) = archaudit(&["check", &path, "--format", "json"]);
    assert_eq!(waf_findings(&stdout), 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let gap = report["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["service"] == "wafv2")
        .unwrap()
        .clone();
    assert_eq!(gap["error"], "NotCollected");

    // An account whose role could not be assumed: every applicable rule is not evaluated.
    snapshot["accounts"][0]["coverage"] = json!([{"region": "global", "service": "account", "status": "error",
        "error": "AssumeRoleFailed", "message": "AccessDenied: not authorized to perform sts:AssumeRole"}]);
    let path = write(&dir, "unreachable.json", &snapshot.to_string());
    let (code, stdout, _) = archaudit(&[
        "check",
        &path,
        "--format",
        "json",
        "--strict",
        "--fail-on",
        "none",
    ]);
    assert_eq!(code, 3);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["findings"], json!([]));
    // Only organization-level rules (which read `input.org`, no account data) stay evaluable.
    let catalogue = archaudit::engine::Catalogue::builtin().unwrap();
    let org_level = catalogue
        .rules
        .iter()
        .filter(|r| r.services.is_empty() && r.applies_to(Some("shared")))
        .count() as u64;
    let checks = report["summary"]["checks"].as_u64().unwrap();
    assert!(checks > org_level);
    assert_eq!(
        report["summary"]["checks_not_evaluated"].as_u64().unwrap(),
        checks - org_level
    );
    assert_eq!(report["coverage_gaps"][0]["service"], "account");
    assert_eq!(report["coverage_gaps"][0]["error"], "AssumeRoleFailed");
}

#[test]
fn bad_snapshots_are_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let drifted = std::fs::read_to_string(repo(DRIFTED)).unwrap();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            dir.path().join("missing.json").display().to_string(),
            vec!["missing.json", "cannot read"],
        ),
        (write(&dir, "empty.json", ""), vec!["empty.json", "empty"]),
        (
            write(&dir, "truncated.json", &drifted[..drifted.len() / 2]),
            vec!["truncated.json", "line", "column"],
        ),
        (
            write(&dir, "text.json", "hello, world\n"),
            vec!["text.json", "not valid snapshot JSON", "line 1 column 1"],
        ),
        (
            write(
                &dir,
                "state.json",
                r#"{"version": 4, "terraform_version": "1.9.5", "resources": []}"#,
            ),
            vec!["state.json", "not an archaudit snapshot"],
        ),
        (
            write(
                &dir,
                "future.json",
                r#"{"schema_version": "2.0", "generated_at": "2027-01-01T00:00:00Z", "accounts": []}"#,
            ),
            vec!["future.json", "\"2.0\"", "1.x"],
        ),
        (
            write(
                &dir,
                "wrong.json",
                r#"{"schema_version": "1.0", "generated_at": "2026-11-24T06:00:00Z", "accounts": [{"account": {"id": 5}}]}"#,
            ),
            vec!["wrong.json", "invalid type", "line 1"],
        ),
    ];
    for (path, needles) in cases {
        assert_clean_error(&archaudit(&["check", &path]), &needles);
    }
}

#[test]
fn bad_flags_and_rule_dirs_exit_2() {
    let (code, _, stderr) = archaudit(&["check", COMPLIANT, "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'xml'") && stderr.contains("table, json"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-rules");
    assert_clean_error(
        &archaudit(&["check", COMPLIANT, "--rules-dir", missing.to_str().unwrap()]),
        &["no-such-rules", "cannot read rules directory"],
    );

    let broken = write(
        &dir,
        "broken.rego",
        "# METADATA\n# title: x\npackage archaudit.rules.x\ndeny contains f if {\n",
    );
    let result = archaudit(&[
        "check",
        COMPLIANT,
        "--rules-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_clean_error(&result, &[&broken]);
}

#[test]
fn bad_shard_and_encryption_flags_are_usage_errors_before_any_aws_call() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shard.json.zst");
    for bad in ["4/4", "0/0", "-1/4", "1of4", "3"] {
        let result = archaudit(&[
            "collect",
            "--account",
            "571293840655",
            &format!("--shard={bad}"),
            "--output",
            out.to_str().unwrap(),
            // Nothing listens here: a call would fail differently.
            "--endpoint-url",
            "http://127.0.0.1:9",
        ]);
        assert_clean_error(&result, &["--shard", &format!("{bad:?}"), "0 <= I < N"]);
    }
    assert!(!out.exists());
    assert_clean_error(
        &archaudit(&[
            "check",
            COMPLIANT,
            "--output",
            out.to_str().unwrap(),
            "--sse-kms-key-id",
            "alias/krci-audit",
        ]),
        &["--sse-kms-key-id applies to an s3:// --output only"],
    );
}

#[test]
fn user_rules_join_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("custom")).unwrap();
    let rule = r#"# METADATA
# title: Load balancer without an owner tag
# description: Every load balancer must carry an `owner` tag so that alerts reach a team that can act on them.
# custom:
#   id: ORG001
#   name: load-balancer-without-owner
#   severity: low
#   roles: [any]
#   services: [elbv2]
#   references: ["Internal tagging standard"]
#   remediation: "Add the tag: ```hcl\ntags = { owner = \"platform\" }\n```"
package archaudit.rules.load_balancer_without_owner

import rego.v1

deny contains f if {
	some lb in input.elbv2.load_balancers
	not lb.tags.owner
	f := {"resource": lb.arn, "region": lb.region, "message": sprintf("%s has no owner tag", [lb.name])}
}
"#;
    std::fs::write(
        dir.path().join("custom/load-balancer-without-owner.rego"),
        rule,
    )
    .unwrap();
    let rules_dir = dir.path().to_str().unwrap();

    let (code, stdout, _) = archaudit(&["rules", "--rules-dir", rules_dir]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("ORG001") && stdout.contains("WAF001"),
        "{stdout}"
    );

    let snapshot = rule_fixture_snapshot(WAF_FAIL);
    let path = write(&dir, "snap.json", &snapshot.to_string());
    let (_, stdout, _) = archaudit(&[
        "check",
        &path,
        "--format",
        "json",
        "--rules-dir",
        rules_dir,
        "--fail-on",
        "none",
    ]);
    let flagged: Vec<_> = json_findings(&stdout)
        .into_iter()
        .filter(|f| f.0 == "ORG001")
        .collect();
    assert_eq!(
        flagged.len(),
        3,
        "every load balancer of the fixture lacks the tag: {flagged:?}"
    );

    // A user rule may not take a built-in id.
    std::fs::write(
        dir.path().join("custom/load-balancer-without-owner.rego"),
        rule.replace("ORG001", "WAF001"),
    )
    .unwrap();
    assert_clean_error(
        &archaudit(&["rules", "--rules-dir", rules_dir]),
        &["WAF001", "load-balancer-without-owner.rego"],
    );
}

#[test]
fn explain_prints_docs_and_suggests_on_typos() {
    let (code, stdout, _) = archaudit(&["explain", "WAF001"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("WAF001 alb-without-waf: "), "{stdout}");
    for part in [
        "Severity:  high",
        "Remediation",
        "aws_wafv2_web_acl_association",
        "References",
        "rules/waf/alb-without-waf.rego:",
    ] {
        assert!(stdout.contains(part), "{part} in {stdout}");
    }
    assert_eq!(
        archaudit(&["explain", "alb-without-waf"]).1,
        stdout,
        "by name too"
    );

    let result = archaudit(&["explain", "WAF01"]);
    assert_clean_error(&result, &["unknown rule \"WAF01\"", "did you mean WAF001"]);
}

#[test]
fn rules_lists_every_rule_in_each_format() {
    let catalogue = archaudit::engine::Catalogue::builtin().unwrap();
    let (code, table, _) = archaudit(&["rules"]);
    assert_eq!(code, 0);
    let (_, markdown, _) = archaudit(&["rules", "--format", "markdown"]);
    let (_, json, _) = archaudit(&["rules", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json.as_array().unwrap().len(), catalogue.rules.len());
    for rule in &catalogue.rules {
        assert!(
            table.contains(&rule.id) && table.contains(&rule.name),
            "{}",
            rule.id
        );
        assert!(
            markdown.contains(&format!("| {} | `{}` |", rule.id, rule.name)),
            "{}",
            rule.id
        );
    }
}
