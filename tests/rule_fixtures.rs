//! Every rule against its own pass and fail fixtures:
//! `fixtures/rules/<area>/<name>/{pass,fail}.json`, each
//! `{"expect": [resource ARNs], "snapshot": {...}}`, plus `"terraform":
//! {account id: drift}` for the drift rules (their `input.terraform`). The rule
//! alone is evaluated and must flag exactly the expected resources, with every
//! check evaluated, and find the same on the RVM (built-in rules) as in the
//! interpreter (user rules), messages included.

use crate::util::repo;
use archaudit::config::Config;
use archaudit::engine::{Catalogue, TerraformInput};
use archaudit::snapshot::parse_snapshot;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFixture {
    expect: Vec<String>,
    snapshot: serde_json::Value,
    #[serde(default)]
    terraform: Option<std::collections::BTreeMap<String, serde_json::Value>>,
}

fn run_fixture(catalogue: &Catalogue, rule_id: &str, kind: &str) -> Result<(), String> {
    let rule = catalogue.find(rule_id).unwrap();
    let path = repo(&format!(
        "fixtures/rules/{}/{}/{kind}.json",
        rule.area, rule.name
    ));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fixture: RuleFixture =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let snapshot = parse_snapshot(
        fixture.snapshot.to_string().as_bytes(),
        &path.display().to_string(),
    )
    .map_err(|e| format!("{e:#}"))?;

    let mut single = catalogue.clone();
    single.retain(|r| r.id == rule_id);
    let compiled = single.compile().map_err(|e| format!("{e:#}"))?;
    let terraform = fixture.terraform.map(|accounts| TerraformInput {
        accounts,
        errors: Vec::new(),
    });
    let evaluation = compiled
        .evaluate_with(
            &snapshot,
            &Config::default().assign_roles(&snapshot),
            terraform.as_ref(),
        )
        .map_err(|e| format!("{e:#}"))?;

    // Built-in rules run on the RVM; the interpreter (which runs user rules)
    // must find exactly the same.
    let mut interpreted = single.clone();
    for rule in &mut interpreted.rules {
        rule.builtin = false;
    }
    let interpreted = interpreted
        .compile()
        .map_err(|e| format!("{e:#}"))?
        .evaluate_with(
            &snapshot,
            &Config::default().assign_roles(&snapshot),
            terraform.as_ref(),
        )
        .map_err(|e| format!("{e:#}"))?;

    let mut problems = Vec::new();
    if (&interpreted.findings, &interpreted.gaps) != (&evaluation.findings, &evaluation.gaps) {
        problems.push(format!(
            "the RVM found {:#?} (gaps {:#?}), the interpreter {:#?} (gaps {:#?})",
            evaluation.findings, evaluation.gaps, interpreted.findings, interpreted.gaps
        ));
    }
    if evaluation.checks == 0 {
        problems.push("the rule applies to no account of the fixture".to_string());
    }
    if evaluation.checks_not_evaluated != 0 {
        problems.push(format!("not evaluated: {:?}", evaluation.gaps));
    }
    let got: BTreeSet<&str> = evaluation
        .findings
        .iter()
        .map(|f| f.resource.as_str())
        .collect();
    let want: BTreeSet<&str> = fixture.expect.iter().map(String::as_str).collect();
    if got != want {
        problems.push(format!("flagged {got:#?}, expected {want:#?}"));
    }
    if kind == "fail" && want.is_empty() {
        problems.push("a fail fixture must expect at least one finding".into());
    }
    if kind == "pass" && !want.is_empty() {
        problems.push("a pass fixture must expect no finding".into());
    }
    for f in &evaluation.findings {
        if f.message.trim().is_empty() || f.rule_id != rule_id {
            problems.push(format!("bad finding {f:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{rule_id} {kind} ({}):\n  {}",
            path.display(),
            problems.join("\n  ")
        ))
    }
}

#[test]
fn every_rule_passes_its_pass_fixture_and_fails_its_fail_fixture() {
    let catalogue = Catalogue::builtin().unwrap();
    assert!(!catalogue.rules.is_empty());
    let failures: Vec<String> = catalogue
        .rules
        .iter()
        .flat_map(|r| ["pass", "fail"].map(|kind| run_fixture(&catalogue, &r.id, kind)))
        .filter_map(Result::err)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let catalogue = Catalogue::builtin().unwrap();
    let mut orphans = Vec::new();
    for area in std::fs::read_dir(repo("fixtures/rules")).unwrap() {
        let area = area.unwrap().path();
        for dir in std::fs::read_dir(&area).unwrap() {
            let dir = dir.unwrap().path();
            let name = dir.file_name().unwrap().to_str().unwrap();
            let area_name = area.file_name().unwrap().to_str().unwrap();
            if !catalogue
                .rules
                .iter()
                .any(|r| r.name == name && r.area == area_name)
            {
                orphans.push(dir.display().to_string());
            }
        }
    }
    assert!(orphans.is_empty(), "fixtures without a rule: {orphans:?}");
}
