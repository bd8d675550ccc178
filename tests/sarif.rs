//! SARIF for GitHub code scanning, the Markdown report, and Terraform locations.
//!
//! Every SARIF produced here is validated against the vendored SARIF 2.1.0
//! schema (fixtures/sarif/sarif-2.1.0.json, with its broken `language` pattern
//! fixed) and against GitHub's own upload rules, which the schema does not
//! check. The Terraform fixture (fixtures/terraform) declares resources of the
//! drifted example; its states map them to exact lines.

use crate::util::repo;
use archaudit::config::Config;
use archaudit::engine::{Catalogue, Evaluation, Finding, Rule, Severity, Suppressed};
use archaudit::report::{MarkdownReporter, Report, Reporter, SarifReporter};
use archaudit::snapshot::{load_snapshot, parse_snapshot, Snapshot};
use archaudit::terraform::{Located, Locations, SourceLocation};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";
const SHARED_STATE: &str = "fixtures/terraform/states/shared.tfstate";
const DEVELOPMENT_STATE: &str = "fixtures/terraform/states/development.tfstate";
const CATEGORY: &str = "archaudit/o-7k2p9x4m1q/";

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(repo("fixtures/sarif/sarif-2.1.0.json")).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the vendored schema compiles")
    })
}

/// GitHub's rules for an upload, beyond the schema: each broken one is listed.
fn github_problems(sarif: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let runs = sarif["runs"].as_array().expect("runs");
    if runs.len() != 1 {
        problems.push(format!("{} runs, expected one", runs.len()));
    }
    for run in runs {
        let driver = &run["tool"]["driver"];
        if driver["name"] != "archaudit" {
            problems.push("tool.driver.name is not archaudit".into());
        }
        let id = run["automationDetails"]["id"].as_str().unwrap_or("");
        if !id.ends_with('/') {
            problems.push(format!("automationDetails.id {id:?} does not end with /"));
        }
        let rules = driver["rules"].as_array().expect("rules");
        for rule in rules {
            for field in [
                "/shortDescription/text",
                "/fullDescription/text",
                "/help/text",
            ] {
                if rule
                    .pointer(field)
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    problems.push(format!("rule {} has no {field}", rule["id"]));
                }
            }
            let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
            if tags == 0 || tags > 20 {
                problems.push(format!("rule {} has {tags} tags", rule["id"]));
            }
            let score: f64 = rule["properties"]["security-severity"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.0);
            if !(0.1..=10.0).contains(&score) {
                problems.push(format!("rule {} security-severity {score}", rule["id"]));
            }
        }
        let results = run["results"].as_array().expect("results");
        if results.len() > 25_000 {
            problems.push(format!("{} results in a run", results.len()));
        }
        for (i, result) in results.iter().enumerate() {
            let rule_id = result["ruleId"].as_str().unwrap_or("");
            let index = result["ruleIndex"].as_u64().map(|i| i as usize);
            if index.and_then(|i| rules.get(i)).map(|r| &r["id"]) != Some(&Value::from(rule_id)) {
                problems.push(format!(
                    "result {i}: ruleId {rule_id:?} is not rules[ruleIndex]"
                ));
            }
            if result["message"]["text"]
                .as_str()
                .is_none_or(|t| t.trim().is_empty())
            {
                problems.push(format!("result {i}: no message text"));
            }
            if result["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .is_none_or(str::is_empty)
            {
                problems.push(format!("result {i}: no partialFingerprints"));
            }
            let locations = result["locations"]
                .as_array()
                .map_or(&[][..], Vec::as_slice);
            if locations.len() != 1 {
                problems.push(format!("result {i}: {} locations", locations.len()));
                continue;
            }
            let physical = &locations[0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap_or("");
            let scheme = uri.split_once(':').is_some_and(|(s, _)| !s.contains('/'));
            if uri.is_empty() || uri.starts_with('/') || uri.starts_with("../") || scheme {
                problems.push(format!(
                    "result {i}: uri {uri:?} is not relative and scheme-less"
                ));
            }
            if physical["region"]["startLine"].as_u64().unwrap_or(0) < 1 {
                problems.push(format!("result {i}: no startLine >= 1"));
            }
        }
    }
    problems
}

/// Validates against the schema and GitHub's rules; panics with every problem.
pub fn check_sarif(sarif: &Value) {
    let mut problems: Vec<String> = validator()
        .iter_errors(sarif)
        .map(|e| format!("schema: {e} at {}", e.instance_path()))
        .collect();
    problems.extend(github_problems(sarif));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

struct Audit {
    snapshot: Snapshot,
    rules: Vec<Rule>,
    evaluation: Evaluation,
}

fn audit(snapshot: Snapshot, catalogue: &Catalogue) -> Audit {
    let evaluation = catalogue
        .compile()
        .unwrap()
        .evaluate(&snapshot, &Config::default().assign_roles(&snapshot))
        .unwrap();
    Audit {
        snapshot,
        rules: catalogue.rules.clone(),
        evaluation,
    }
}

fn drifted() -> Audit {
    audit(
        load_snapshot(&repo(DRIFTED)).unwrap(),
        &Catalogue::builtin().unwrap(),
    )
}

fn render(
    audit: &Audit,
    locations: Option<&Locations>,
    suppressed: &[Suppressed],
    reporter: &mut dyn Reporter,
) -> String {
    let report = Report {
        evaluation: &audit.evaluation,
        rules: &audit.rules,
        generated_at: &audit.snapshot.generated_at,
        fail_on: Some(Severity::High),
        suppressed,
        notes: &[],
        locations,
        baseline: None,
    };
    let mut out = Vec::new();
    reporter.emit(&mut out, &report).unwrap();
    String::from_utf8(out).unwrap()
}

fn sarif_reporter(root: &Path) -> SarifReporter {
    let mut reporter = SarifReporter::new(CATEGORY);
    reporter.root = root.to_path_buf();
    reporter
}

fn sarif(audit: &Audit, locations: Option<&Locations>, root: &Path) -> Value {
    let text = render(audit, locations, &[], &mut sarif_reporter(root));
    serde_json::from_str(&text).unwrap()
}

/// The fixture's Terraform, with uris relative to `root`.
fn fixture_locations(root: &Path) -> Locations {
    Locations::load(
        &[
            root.join(SHARED_STATE),
            PathBuf::from(DEVELOPMENT_STATE), // relative to the root
        ],
        &[PathBuf::from("fixtures/terraform")],
        root,
    )
    .unwrap()
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

/// Result by rule id and resource.
fn result<'a>(sarif: &'a Value, rule: &str, resource: &str) -> &'a Value {
    results(sarif)
        .iter()
        .find(|r| {
            r["ruleId"] == rule
                && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == resource
        })
        .unwrap_or_else(|| panic!("no {rule} result for {resource}"))
}

fn location(result: &Value) -> (String, u64, Option<u64>) {
    let physical = &result["locations"][0]["physicalLocation"];
    (
        physical["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string(),
        physical["region"]["startLine"].as_u64().unwrap(),
        physical["region"]["endLine"].as_u64(),
    )
}

#[test]
fn the_vendored_schema_rejects_what_github_would() {
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]});
    assert!(!validator().is_valid(&bad), "driver.name is required");
    let lang = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "language": "en-US"}]});
    assert!(validator().is_valid(&lang), "the fixed language pattern");
    // The schema allows a result without a location; GitHub does not.
    let no_location = serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "archaudit", "rules": []}},
        "automationDetails": {"id": "a/"},
        "results": [{"message": {"text": "x"}}]}]});
    assert!(validator().is_valid(&no_location));
    assert!(!github_problems(&no_location).is_empty());
}

#[test]
fn sarif_of_every_rule_fixture_is_valid_and_points_at_the_rule_file() {
    let catalogue = Catalogue::builtin().unwrap();
    let root = repo("");
    let mut checked = 0;
    for rule in &catalogue.rules {
        let path = repo(&format!(
            "fixtures/rules/{}/{}/fail.json",
            rule.area, rule.name
        ));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let fixture: Value = serde_json::from_str(&text).unwrap();
        let snapshot = parse_snapshot(
            fixture["snapshot"].to_string().as_bytes(),
            &path.display().to_string(),
        )
        .unwrap();
        let mut single = catalogue.clone();
        single.retain(|r| r.id == rule.id);
        let audit = audit(snapshot, &single);
        let sarif = sarif(&audit, None, &root);
        check_sarif(&sarif);
        let results = results(&sarif);
        assert_eq!(
            results.len(),
            audit.evaluation.findings.len(),
            "{}",
            rule.id
        );
        for r in results {
            assert_eq!(
                location(r),
                (rule.path.clone(), rule.line as u64, None),
                "{}: without Terraform, the location is the rule's own file and line",
                rule.id
            );
            let text = r["message"]["text"].as_str().unwrap();
            let arn = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap();
            assert!(text.contains(arn), "the ARN is in the message: {text}");
            assert_eq!(r["locations"][0]["logicalLocations"][0]["kind"], "resource");
            assert!(!text.contains("unmanaged"), "{text}");
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} rule fixtures found");
}

#[test]
fn terraform_fixture_maps_resources_to_exact_lines() {
    let root = repo("");
    let locations = fixture_locations(&root);
    let declared = |uri: &str, start: usize, end: usize, address: &str| {
        Located::Declared(SourceLocation {
            uri: format!("fixtures/terraform/{uri}"),
            start_line: start,
            end_line: end,
            address: address.to_string(),
        })
    };
    let shared = "318465720941";
    let dev = "729384615022";
    let cases = [
        // Root module, past a block comment holding `resource ... {`.
        (shared, "arn:aws:elasticloadbalancing:eu-central-1:318465720941:loadbalancer/app/shared-ingress-alb/6b049f449640af85",
         declared("shared/main.tf", 20, 28, "aws_lb.ingress")),
        // A listener, a sub-resource of the load balancer, has its own block.
        (shared, "arn:aws:elasticloadbalancing:eu-central-1:318465720941:listener/app/shared-ingress-alb/6b049f449640af85/90ab20d7a0e91064",
         declared("shared/main.tf", 30, 44, "aws_lb_listener.https")),
        // A remote module (and a module nested in it): the `module` call.
        (shared, "arn:aws:eks:eu-central-1:318465720941:cluster/shared",
         declared("shared/main.tf", 46, 55, "module.eks.aws_eks_cluster.this[0]")),
        (shared, "arn:aws:iam::318465720941:role/shared-node-role",
         declared("shared/main.tf", 46, 55, "module.eks.module.eks_managed_node_group[\"default\"].aws_iam_role.this[0]")),
        // A local module outside the --tf-dir root, through modules.json.
        (shared, "arn:aws:rds:eu-central-1:318465720941:db:keycloak-postgres",
         declared("modules/data/main.tf", 5, 12, "module.data.aws_db_instance.keycloak")),
        (shared, "arn:aws:elasticfilesystem:eu-central-1:318465720941:file-system/fs-0cc261a29c796b73a",
         declared("modules/data/main.tf", 14, 20, "module.data.aws_efs_file_system.shared")),
        // A for_each module: every instance is declared by the module's block.
        (shared, "arn:aws:iam::318465720941:role/AWSIRSA_Shared_Velero",
         declared("modules/irsa-role/main.tf", 13, 23, "module.irsa[\"velero\"].aws_iam_role.this")),
        // A for_each resource, past a heredoc full of braces.
        (shared, "arn:aws:ssm:eu-central-1:318465720941:parameter/edp/sonar/admin-password",
         declared("shared/platform.tf", 16, 28, "aws_ssm_parameter.platform[\"/edp/sonar/admin-password\"]")),
        (shared, "arn:aws:wafv2:eu-central-1:318465720941:regional/webacl/ExternalACL/d5275f54-5dd8-4bde-abc1-9df1070dd29d",
         declared("shared/platform.tf", 30, 43, "aws_wafv2_web_acl.external")),
        // No `arn` in the state: found by its id.
        (shared, "arn:aws:s3:::terraform-states-318465720941",
         declared("shared/platform.tf", 1, 3, "aws_s3_bucket.terraform_states")),
        // The same address in another root: each state finds its own root.
        (dev, "arn:aws:elasticloadbalancing:eu-central-1:729384615022:loadbalancer/app/krci-dev-ingress-alb/e06a010e7bbf5481",
         declared("development/main.tf", 25, 28, "aws_lb.ingress")),
        (dev, "arn:aws:ecr:eu-central-1:729384615022:repository/krci/payments-api",
         declared("development/main.tf", 18, 23, "aws_ecr_repository.service[\"krci/payments-api\"]")),
        // A data source reads a resource; it does not manage it.
        (shared, "arn:aws:es:eu-central-1:318465720941:domain/krci-logs", Located::Unmanaged),
        (shared, "arn:aws:acm:eu-central-1:318465720941:certificate/38c50e6f-7b97-4543-a1c2-44c41ec533ae", Located::Unmanaged),
        // Found by id only in a state that manages the finding's account.
        (dev, "arn:aws:s3:::terraform-states-318465720941", Located::Unmanaged),
        (shared, "arn:aws:iam::318465720941:root", Located::NotAResource),
    ];
    for (account, arn, expected) in cases {
        assert_eq!(locations.locate(account, arn), expected, "{arn}");
    }
    assert!(locations.unresolved_states().is_empty());

    // A state without its Terraform directory: managed, but no block to point at.
    let state_only = Locations::load(&[repo(SHARED_STATE)], &[], &root).unwrap();
    assert_eq!(
        state_only.locate(
            shared,
            "arn:aws:rds:eu-central-1:318465720941:db:keycloak-postgres"
        ),
        Located::Managed {
            address: "module.data.aws_db_instance.keycloak".into()
        }
    );
    // A --tf-dir that declares none of a state's resources is reported.
    let wrong_dir = Locations::load(
        &[repo(SHARED_STATE)],
        &[PathBuf::from("fixtures/terraform/modules/irsa-role")],
        &root,
    )
    .unwrap();
    assert_eq!(wrong_dir.unresolved_states().len(), 1);
}

#[test]
fn sarif_of_the_drifted_example_with_terraform_locations() {
    let root = repo("");
    let locations = fixture_locations(&root);
    let audit = drifted();
    let sarif = sarif(&audit, Some(&locations), &root);
    check_sarif(&sarif);

    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], CATEGORY);
    assert_eq!(
        results(&sarif).len(),
        audit.evaluation.findings.len(),
        "one result per finding"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        audit.rules.len(),
        "every rule, with or without results"
    );

    let eks = result(
        &sarif,
        "EKS001",
        "arn:aws:eks:eu-central-1:318465720941:cluster/shared",
    );
    assert_eq!(
        location(eks),
        ("fixtures/terraform/shared/main.tf".into(), 46, Some(55))
    );
    assert_eq!(eks["level"], "error");
    assert!(eks["message"]["text"]
        .as_str()
        .unwrap()
        .contains("Declared in Terraform as module.eks.aws_eks_cluster.this[0]."));

    // Unmanaged: the rule's file, and the message says so.
    let logs = result(
        &sarif,
        "OBS002",
        "arn:aws:es:eu-central-1:318465720941:domain/krci-logs",
    );
    let rule = audit.rules.iter().find(|r| r.id == "OBS002").unwrap();
    assert_eq!(location(logs), (rule.path.clone(), rule.line as u64, None));
    assert!(logs["message"]["text"]
        .as_str()
        .unwrap()
        .contains("unmanaged: declared in no Terraform state"));

    // The account itself is no resource: the rule's file, and not "unmanaged".
    let root_finding = result(&sarif, "TOPO001", "arn:aws:iam::318465720941:root");
    assert!(!root_finding["message"]["text"]
        .as_str()
        .unwrap()
        .contains("unmanaged"));
    assert!(location(root_finding).0.starts_with("rules/"));

    let text = serde_json::to_string(&sarif).unwrap();
    assert!(
        !text.contains("DO-NOT-LEAK"),
        "sensitive state attributes never reach a report"
    );

    // Rule texts are copied verbatim from the rule files (and checked above);
    // blanking them keeps this snapshot about the SARIF, not the catalogue's prose.
    insta::assert_json_snapshot!("drifted-sarif", sarif, {
        ".runs[0].tool.driver.version" => "[version]",
        ".runs[0].tool.driver.semanticVersion" => "[version]",
        ".runs[0].tool.driver.rules[].fullDescription.text" => "[rule description]",
        ".runs[0].tool.driver.rules[].help.text" => "[rule remediation]",
        ".runs[0].tool.driver.rules[].help.markdown" => "[rule remediation and references]",
    });
}

#[test]
fn fingerprints_survive_edits_above_the_block() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("fixtures/terraform");
    copy_tree(&repo("fixtures/terraform"), &copy);
    let audit = drifted();
    let before = sarif(&audit, Some(&fixture_locations(dir.path())), dir.path());

    for file in ["shared/main.tf", "modules/data/main.tf"] {
        let path = copy.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("# one\n# two\n\n# four\n\n{text}")).unwrap();
    }
    let after = sarif(&audit, Some(&fixture_locations(dir.path())), dir.path());
    check_sarif(&after);

    let by_fingerprint = |sarif: &Value| -> BTreeMap<String, (String, u64, Option<u64>)> {
        results(sarif)
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    location(r),
                )
            })
            .collect()
    };
    let (before, after) = (by_fingerprint(&before), by_fingerprint(&after));
    assert_eq!(
        before.len(),
        results(&sarif(&audit, None, dir.path())).len()
    );
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same fingerprints"
    );
    let mut moved = 0;
    for (fingerprint, (uri, start, end)) in &before {
        let edited = uri.ends_with("shared/main.tf") || uri.ends_with("modules/data/main.tf");
        let shift = if edited { 5 } else { 0 };
        moved += usize::from(edited);
        assert_eq!(
            after[fingerprint],
            (uri.clone(), start + shift, end.map(|e| e + shift)),
            "{fingerprint}"
        );
    }
    assert!(moved >= 3, "the edit moved some locations ({moved})");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn state_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(repo(SHARED_STATE)).unwrap();
    let cases = [
        (
            "v3.tfstate",
            r#"{"version": 3, "modules": []}"#.to_string(),
            "version 3 is not supported",
        ),
        (
            "cut.tfstate",
            good[..good.len() / 2].to_string(),
            "invalid JSON",
        ),
        (
            "plan.txt",
            "Terraform will perform the following actions".to_string(),
            "not a Terraform state",
        ),
        ("empty.tfstate", String::new(), "empty"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = format!(
            "{:#}",
            Locations::load(std::slice::from_ref(&path), &[], dir.path()).unwrap_err()
        );
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains(expected), "{err:?} should say {expected:?}");
        assert!(!err.contains("DO-NOT-LEAK"), "{err}");
    }
    let missing = dir.path().join("missing.tfstate");
    let err = format!(
        "{:#}",
        Locations::load(std::slice::from_ref(&missing), &[], dir.path()).unwrap_err()
    );
    assert!(
        err.contains("missing.tfstate") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn suppressed_findings_are_dismissed_results() {
    let root = repo("");
    let mut audit = drifted();
    let finding: Finding = audit.evaluation.findings.remove(0);
    let suppressed = [Suppressed {
        finding: finding.clone(),
        reason: "Break-glass key, rotated by the security team".into(),
        expires: Some("2099-12-31".into()),
    }];
    let text = render(&audit, None, &suppressed, &mut sarif_reporter(&root));
    let sarif: Value = serde_json::from_str(&text).unwrap();
    check_sarif(&sarif);
    let results = results(&sarif);
    assert_eq!(results.len(), audit.evaluation.findings.len() + 1);
    let dismissed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(dismissed.len(), 1);
    assert_eq!(
        dismissed[0]["partialFingerprints"]["primaryLocationLineHash"],
        finding.fingerprint.as_str()
    );
    assert_eq!(
        dismissed[0]["suppressions"],
        serde_json::json!([{"kind": "external", "justification": "Break-glass key, rotated by the security team"}])
    );
}

#[test]
fn past_the_result_limit_the_most_severe_are_kept() {
    let root = repo("");
    let audit = drifted();
    let mut reporter = sarif_reporter(&root);
    reporter.max_results = 10;
    let sarif: Value = serde_json::from_str(&render(&audit, None, &[], &mut reporter)).unwrap();
    check_sarif(&sarif);
    let kept: Vec<&str> = results(&sarif)
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(kept.len(), 10);
    assert!(kept.iter().all(|l| *l == "error"), "{kept:?}");
    let criticals = audit
        .evaluation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    let security: Vec<&str> = results(&sarif)
        .iter()
        .map(|r| {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            sarif["runs"][0]["tool"]["driver"]["rules"][index]["properties"]["security-severity"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        security[..criticals].iter().all(|s| *s == "9.5"),
        "{security:?}"
    );
}

#[test]
fn a_full_run_stays_inside_githubs_size_limit() {
    // 25,000 results of the drifted example's findings, repeated with distinct resources.
    let root = repo("");
    let mut audit = drifted();
    let template = audit.evaluation.findings.clone();
    audit.evaluation.findings = (0..archaudit::report::SARIF_MAX_RESULTS)
        .map(|i| {
            let mut f = template[i % template.len()].clone();
            f.resource = format!("{}-{i}", f.resource);
            f.fingerprint = format!("{:032x}", i);
            f
        })
        .collect();
    let text = render(&audit, None, &[], &mut sarif_reporter(&root));
    // JSON like this compresses far better than 5:1, so this bound keeps the
    // gzipped upload under GitHub's 10 MB.
    assert!(
        text.len() < 50 * 1024 * 1024,
        "{} bytes uncompressed",
        text.len()
    );
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert!(github_problems(&sarif).is_empty());
}

#[test]
fn user_rules_with_absolute_paths_get_relative_uris() {
    let dir = tempfile::tempdir().unwrap();
    let rules_dir = dir.path().join("team rules");
    std::fs::create_dir_all(&rules_dir).unwrap();
    std::fs::write(
        rules_dir.join("bucket-named-legacy.rego"),
        r#"# METADATA
# title: Bucket with legacy in its name
# description: A team rule.
# custom:
#   id: TEAM001
#   name: bucket-named-legacy
#   severity: low
#   roles: [any]
#   services: [s3]
#   remediation: Rename it.
package archaudit.rules.bucket_named_legacy

import rego.v1

deny contains f if {
	some b in input.s3.buckets
	f := {"resource": b.arn, "message": "a bucket"}
}
"#,
    )
    .unwrap();
    let mut catalogue = Catalogue::load(std::slice::from_ref(&rules_dir)).unwrap();
    catalogue.retain(|r| r.id == "TEAM001");
    assert!(Path::new(&catalogue.rules[0].path).is_absolute());
    let audit = audit(load_snapshot(&repo(DRIFTED)).unwrap(), &catalogue);
    assert!(!audit.evaluation.findings.is_empty());
    let sarif = sarif(&audit, None, &repo(""));
    check_sarif(&sarif);
    for r in results(&sarif) {
        assert_eq!(
            location(r),
            ("team%20rules/bucket-named-legacy.rego".into(), 15, None)
        );
    }
}

#[test]
fn markdown_report_of_the_drifted_example() {
    let root = repo("");
    let locations = fixture_locations(&root);
    let audit = drifted();
    let markdown = render(&audit, Some(&locations), &[], &mut MarkdownReporter);
    assert!(markdown.starts_with("## archaudit: "), "{markdown}");
    assert!(markdown.contains("<details><summary>"), "long tables fold");
    for line in markdown.lines().filter(|l| l.starts_with("| ")) {
        // Every row has as many cells as its header: no stray `|`.
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 3 || cells == 6 || cells == 7, "{line}");
    }
    assert!(markdown.contains(
        "fixtures/terraform/shared/main.tf:46 (module.eks.aws\\_eks\\_cluster.this\\[0\\])"
    ));
    insta::assert_snapshot!("drifted-markdown", markdown);
}
