//! archaudit.toml: validation (file, line, key), role mapping, rule selection,
//! severity overrides and suppressions, through the library and the binary.

use crate::util::{archaudit, assert_clean_error, rule_fixture_snapshot};
use archaudit::config::Config;
use archaudit::engine::{suppress, Catalogue, Severity};
use archaudit::snapshot::{parse_snapshot, Snapshot};
use serde_json::{json, Value};

const WAF_FAIL: &str = "fixtures/rules/waf/alb-without-waf/fail.json";
const ALB: &str = "arn:aws:elasticloadbalancing:eu-central-1:318465720941:loadbalancer/app/shared-ingress-alb/5f1a2c3d4e5b6a79";

fn error(text: &str) -> String {
    format!("{:#}", Config::parse(text, "archaudit.toml").unwrap_err())
}

#[test]
fn bad_config_names_file_line_and_key() {
    let cases = [
        ("[rules]\ndisable = [\"TF007\"]\ncolour = \"red\"\n", "archaudit.toml:3: unknown field `colour`"),
        ("[[suppress]]\nrule = \"IAM001\"\n", "archaudit.toml:1: missing field `reason`"),
        ("[[suppress]]\nrule = \"IAM001\"\nreason = \"ok\"\nexpires = \"2026-13-01\"\n", "archaudit.toml:4: suppress[0].expires: \"2026-13-01\" is not a date"),
        ("[[suppress]]\nrule = \"IAM001\"\nreason = \"ok\"\nresource = \"arn:aws:iam::*:user/[ci\"\n", "archaudit.toml:4: suppress[0].resource: bad glob"),
        ("[[suppress]]\nrule = \"IAM001\"\nreason = \"  \"\n", "archaudit.toml:3: suppress[0].reason: must say why"),
        ("[[suppress]]\nrule = \"IAM001\"\nreason = \"x\"\naccount = \"5712\"\n", "archaudit.toml:4: suppress[0].account: \"5712\" is not a 12-digit account id"),
        ("[roles]\naccounts = { \"571293840655\" = \"Production\" }\n", "archaudit.toml:2: roles.accounts.571293840655: \"Production\" is not a lowercase role name"),
        ("\n[[roles.match]]\nrole = \"shared\"\n", "archaudit.toml:2: roles.match[0]: give `name`"),
        ("[rules]\nseverity = { WAF001 = \"urgent\" }\n", "archaudit.toml:2: rules.severity.WAF001: unknown severity"),
        ("rules = [", "archaudit.toml:1: "),
    ];
    for (text, expected) in cases {
        let msg = error(text);
        assert!(
            msg.starts_with(expected),
            "{msg:?} should start with {expected:?}"
        );
        assert_eq!(msg.lines().count(), 1, "one line: {msg:?}");
    }
}

#[test]
fn unknown_rule_ids_and_areas_are_errors_with_suggestions() {
    for (text, expected) in [
        ("[rules]\ndisable = [\"WAF01\"]\n", "archaudit.toml:2: rules.disable: unknown rule id or area \"WAF01\"; did you mean WAF001"),
        ("[rules]\nenable = [\"kubernetes\"]\n", "archaudit.toml:2: rules.enable: unknown rule id or area \"kubernetes\""),
        ("\n\n[[suppress]]\nrule = \"IAM999\"\nreason = \"x\"\n", "archaudit.toml:3: suppress.rule: unknown rule id or area \"IAM999\""),
    ] {
        let mut config = Config::parse(text, "archaudit.toml").unwrap();
        config.path = Some("archaudit.toml".into());
        let mut catalogue = Catalogue::builtin().unwrap();
        let msg = format!("{:#}", catalogue.configure(&config).unwrap_err());
        assert!(msg.starts_with(expected), "{msg:?} should start with {expected:?}");
    }
}

#[test]
fn rule_selection_and_severity_overrides() {
    let config = Config::parse(
        "[rules]\nenable = [\"waf\", \"EKS001\"]\ndisable = [\"WAF003\"]\nseverity = { waf001 = \"critical\" }\n",
        "t.toml",
    )
    .unwrap();
    let mut catalogue = Catalogue::builtin().unwrap();
    catalogue.configure(&config).unwrap();
    let ids: Vec<&str> = catalogue.rules.iter().map(|r| r.id.as_str()).collect();
    let all = Catalogue::builtin().unwrap();
    let mut expected: Vec<&str> = all
        .rules
        .iter()
        .filter(|r| (r.area == "waf" || r.id == "EKS001") && r.id != "WAF003")
        .map(|r| r.id.as_str())
        .collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(ids.contains(&"WAF001") && ids.contains(&"EKS001") && !ids.contains(&"WAF003"));
    assert_eq!(
        catalogue.find("WAF001").unwrap().severity,
        Severity::Critical
    );
}

fn org() -> Snapshot {
    let account = |id: &str, name: &str, tags: Value| json!({"account": {"id": id, "name": name, "tags": tags}, "regions": ["eu-central-1"]});
    let doc = json!({
        "schema_version": "1.0",
        "generated_at": "2026-11-24T06:00:00Z",
        "accounts": [
            account("571293840655", "krci-production", json!({"archaudit:role": "shared"})),
            account("318465720941", "krci-shared", json!({})),
            account("729384615022", "krci-development", json!({"Environment": "dev"})),
            account("406520781234", "krci-management", json!({"team": "platform", "archaudit:role": "management"})),
            account("112233445566", "sandbox-7", json!({"owner": "me"})),
        ]
    });
    parse_snapshot(doc.to_string().as_bytes(), "org").unwrap()
}

#[test]
fn roles_by_id_then_name_or_tag_matchers_then_role_tag() {
    let config = Config::parse(
        r#"
[roles]
accounts = { "571293840655" = "production" }
[[roles.match]]
name = "krci-shar*"
role = "shared"
[[roles.match]]
tag = { key = "Environment", value = "dev" }
role = "development"
"#,
        "t.toml",
    )
    .unwrap();
    let roles = config.assign_roles(&org());
    let get = |id: &str| roles.get(id).map(String::as_str);
    assert_eq!(
        get("571293840655"),
        Some("production"),
        "id wins over the role tag"
    );
    assert_eq!(get("318465720941"), Some("shared"), "by name glob");
    assert_eq!(get("729384615022"), Some("development"), "by tag");
    assert_eq!(get("406520781234"), Some("management"), "by the role tag");
    assert_eq!(get("112233445566"), None, "unassigned");

    let custom_tag = Config::parse("[roles]\ntag_key = \"team\"\n", "t.toml").unwrap();
    assert_eq!(
        custom_tag
            .assign_roles(&org())
            .get("406520781234")
            .map(String::as_str),
        Some("platform")
    );
}

fn waf_snapshot_file(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("snap.json");
    std::fs::write(&path, rule_fixture_snapshot(WAF_FAIL).to_string()).unwrap();
    path.display().to_string()
}

fn write_config(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("archaudit.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn suppressions_hide_findings_from_gating_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = waf_snapshot_file(&dir);
    let (code, _, _) = archaudit(&[
        "check",
        &snapshot,
        "--config",
        &write_config(&dir, "[rules]\nenable = [\"WAF001\"]\n"),
    ]);
    assert_eq!(code, 1, "the high WAF finding fails the default gate");

    let config = write_config(
        &dir,
        &format!(
            "[rules]\nenable = [\"WAF001\"]\n\n[[suppress]]\nrule = \"WAF001\"\nresource = \"{}\"\nreason = \"WAF handled by Firewall Manager, SEC-42\"\nexpires = \"2099-12-31\"\n",
            ALB.replace("shared-ingress-alb", "shared-*")
        ),
    );
    let (code, stdout, _) =
        archaudit(&["check", &snapshot, "--config", &config, "--format", "json"]);
    assert_eq!(code, 0, "suppressed findings never count for --fail-on");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["findings"], json!([]));
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["suppressed"][0]["resource"], ALB);
    assert_eq!(
        report["suppressed"][0]["reason"],
        "WAF handled by Firewall Manager, SEC-42"
    );
    assert_eq!(report["suppressed"][0]["expires"], "2099-12-31");

    let (_, table, _) = archaudit(&["check", &snapshot, "--config", &config]);
    assert!(table.contains("No findings (1 suppressed)"), "{table}");
    assert!(
        !table.contains("SEC-42"),
        "listed only with --show-suppressed"
    );
    let (_, table, _) = archaudit(&["check", &snapshot, "--config", &config, "--show-suppressed"]);
    assert!(
        table.contains("Suppressed findings") && table.contains("SEC-42 (until 2099-12-31)"),
        "{table}"
    );

    // Expired: the finding is back, and the suppression is reported.
    let expired = write_config(&dir, "[rules]\nenable = [\"WAF001\"]\n\n[[suppress]]\nrule = \"WAF001\"\nreason = \"temporary\"\nexpires = \"2020-01-31\"\n");
    let (code, stdout, _) =
        archaudit(&["check", &snapshot, "--config", &expired, "--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["suppression_notes"],
        json!([{"kind": "expired", "rule": "WAF001", "line": 4, "reason": "temporary", "expires": "2020-01-31", "matched": 1}])
    );
    let (_, table, _) = archaudit(&["check", &snapshot, "--config", &expired]);
    assert!(table.contains("Warning: suppression of WAF001 at config line 4 (\"temporary\") expired on 2020-01-31 and no longer hides its 1 finding."), "{table}");

    // Stale: matches nothing.
    let stale = write_config(&dir, "[rules]\nenable = [\"WAF001\"]\n\n[[suppress]]\nrule = \"WAF001\"\naccount = \"111122223333\"\nreason = \"old account\"\n");
    let (code, stdout, _) =
        archaudit(&["check", &snapshot, "--config", &stale, "--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["suppression_notes"][0]["kind"], "stale");
    assert_eq!(report["suppression_notes"][0]["matched"], 0);
}

#[test]
fn suppression_matching_by_account_region_and_resource() {
    let config = Config::parse(
        "[[suppress]]\nrule = \"waf001\"\naccount = \"318465720941\"\nregion = \"eu-central-1\"\nresource = \"arn:aws:elasticloadbalancing:*:loadbalancer/app/shared-ingress-alb/*\"\nreason = \"x\"\n",
        "t.toml",
    )
    .unwrap();
    let s = &config.suppressions[0];
    let finding = |account: &str, region: &str, resource: &str| archaudit::engine::Finding {
        rule_id: "WAF001".into(),
        rule_name: "alb-without-waf".into(),
        severity: Severity::High,
        account_id: account.into(),
        account_name: "n".into(),
        account_role: "shared".into(),
        region: region.into(),
        resource: resource.into(),
        message: "m".into(),
        fingerprint: "f".into(),
        terraform_address: None,
    };
    assert!(s.matches(&finding("318465720941", "eu-central-1", ALB)));
    assert!(!s.matches(&finding("571293840655", "eu-central-1", ALB)));
    assert!(!s.matches(&finding("318465720941", "us-east-1", ALB)));
    assert!(!s.matches(&finding(
        "318465720941",
        "eu-central-1",
        &ALB.replace("ingress", "admin")
    )));

    let today: jiff::civil::Date = "2026-11-24".parse().unwrap();
    let outcome = suppress::apply(
        vec![
            finding("318465720941", "eu-central-1", ALB),
            finding("571293840655", "eu-central-1", ALB),
        ],
        &config.suppressions,
        today,
    );
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(outcome.findings[0].account_id, "571293840655");
    assert_eq!(outcome.suppressed.len(), 1);
    assert!(outcome.notes.is_empty());
}

#[test]
fn config_errors_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = waf_snapshot_file(&dir);
    let config = write_config(&dir, "[rules]\ndisable = [\"WAF01\"]\n");
    assert_clean_error(
        &archaudit(&["check", &snapshot, "--config", &config]),
        &["archaudit.toml:2: rules.disable", "did you mean WAF001"],
    );
    let missing = dir.path().join("none.toml");
    assert_clean_error(
        &archaudit(&["check", &snapshot, "--config", missing.to_str().unwrap()]),
        &["none.toml", "cannot read config"],
    );
}

#[test]
fn unassigned_accounts_are_listed_and_get_role_independent_rules_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshot = rule_fixture_snapshot(WAF_FAIL);
    snapshot["accounts"][0]["account"]["tags"] = json!({});
    let path = dir.path().join("snap.json");
    std::fs::write(&path, snapshot.to_string()).unwrap();
    let (_, table, _) = archaudit(&["check", path.to_str().unwrap(), "--fail-on", "none"]);
    assert!(table.contains("Unassigned accounts (no architecture role; role-independent rules only): krci-shared (318465720941)"), "{table}");
    let (_, json, _) = archaudit(&["check", path.to_str().unwrap(), "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["accounts"][0]["role"], "unassigned");
    let catalogue = Catalogue::builtin().unwrap();
    for f in report["findings"].as_array().unwrap() {
        let rule = catalogue.find(f["rule_id"].as_str().unwrap()).unwrap();
        assert!(
            rule.roles.iter().any(|r| r == "any"),
            "{} applies to roles only",
            rule.id
        );
    }
}
