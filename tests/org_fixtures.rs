//! The two bundled organizations: the reference as the architecture describes
//! it (no finding), and as the reference Terraform really builds it plus planted
//! drift (exactly the set listed next to the fixture, each with its reason).

use crate::util::repo;
use archaudit::config::Config;
use archaudit::engine::{parse_rule, Catalogue, Evaluation};
use archaudit::snapshot::load_snapshot;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    rule_id: String,
    account_id: String,
    resource: String,
    why: String,
}

fn evaluate(path: &str) -> Evaluation {
    let snapshot = load_snapshot(&repo(path)).unwrap();
    let compiled = Catalogue::builtin().unwrap().compile().unwrap();
    compiled
        .evaluate(&snapshot, &Config::default().assign_roles(&snapshot))
        .unwrap()
}

#[test]
fn compliant_reference_has_no_finding_and_is_fully_evaluated() {
    let evaluation = evaluate("fixtures/snapshots/reference-compliant.json");
    let found: Vec<String> = evaluation
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f.rule_id, f.account_id, f.resource, f.message
            )
        })
        .collect();
    assert!(
        found.is_empty(),
        "unexpected findings:\n{}",
        found.join("\n")
    );
    assert!(evaluation.gaps.is_empty(), "{:#?}", evaluation.gaps);
    assert_eq!(evaluation.checks_not_evaluated, 0);
    let roles: BTreeSet<&str> = evaluation
        .accounts
        .iter()
        .map(|a| a.role.as_str())
        .collect();
    assert_eq!(
        roles,
        BTreeSet::from(["development", "management", "production", "shared"])
    );
    // Every rule of the catalogue was exercised by the compliant organization
    // (but the drift rules, which need --tfstate).
    let catalogue = Catalogue::builtin().unwrap();
    assert_eq!(
        evaluation.rules_run,
        catalogue
            .rules
            .iter()
            .filter(|r| !r.reads_terraform())
            .count()
    );
}

#[test]
fn drifted_reference_has_exactly_the_listed_findings() {
    let evaluation = evaluate("fixtures/snapshots/reference-drifted.json");
    let text = std::fs::read_to_string(repo("fixtures/snapshots/reference-drifted.expected.json"))
        .unwrap();
    let expected: Vec<Expected> = serde_json::from_str(&text).unwrap();
    for e in &expected {
        assert!(
            e.why.len() > 10,
            "{} {}: say why it is expected",
            e.rule_id,
            e.resource
        );
    }
    let want: BTreeSet<(&str, &str, &str)> = expected
        .iter()
        .map(|e| {
            (
                e.rule_id.as_str(),
                e.account_id.as_str(),
                e.resource.as_str(),
            )
        })
        .collect();
    assert_eq!(
        want.len(),
        expected.len(),
        "duplicate entries in the expected list"
    );
    let got: BTreeSet<(&str, &str, &str)> = evaluation
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.account_id.as_str(),
                f.resource.as_str(),
            )
        })
        .collect();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing (expected, not found): {missing:#?}\nextra (found, not expected): {extra:#?}"
    );
    assert!(evaluation.gaps.is_empty(), "{:#?}", evaluation.gaps);
}

/// The built-in rules run on the RVM, but for the multi-value rules with a
/// key it would misevaluate; in the interpreter (as user rules) they find
/// exactly the same in both organizations, messages included.
#[test]
fn rvm_and_interpreter_find_the_same_in_both_organizations() {
    let builtin = Catalogue::builtin().unwrap();
    let mut interpreted = builtin.clone();
    for rule in &mut interpreted.rules {
        rule.builtin = false;
    }
    let (builtin, interpreted) = (builtin.compile().unwrap(), interpreted.compile().unwrap());
    for (id, why) in &builtin.interpreted {
        assert!(
            why.starts_with("a multi-value rule with a key"),
            "{id}: {why}"
        );
    }
    assert!(
        builtin.interpreted.len() * 2 < builtin.rules.len(),
        "{:?}",
        builtin.interpreted
    );
    assert!(interpreted.interpreted.is_empty());
    for path in [
        "fixtures/snapshots/reference-compliant.json",
        "fixtures/snapshots/reference-drifted.json",
        "fixtures/snapshots/reference-drifted-next-day.json",
    ] {
        let snapshot = load_snapshot(&repo(path)).unwrap();
        let roles = Config::default().assign_roles(&snapshot);
        let a = builtin.evaluate(&snapshot, &roles).unwrap();
        let b = interpreted.evaluate(&snapshot, &roles).unwrap();
        assert!(
            !b.findings.is_empty() || path.contains("compliant"),
            "{path}"
        );
        assert_eq!(a.findings, b.findings, "{path}");
        assert_eq!(a.gaps, b.gaps, "{path}");
        assert_eq!(a.evaluated, b.evaluated, "{path}");
    }
}

/// A built-in rule runs on the RVM under the same time limit as in the
/// interpreter: a runaway ends as "not evaluated" naming it, in every
/// account, and the run goes on.
#[test]
fn a_runaway_builtin_rule_on_the_rvm_is_not_evaluated() {
    let numbers: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    let source = format!(
        "# METADATA\n# title: Runaway\n# description: Loops 10^8 times per load balancer.\n\
         # custom:\n#   id: ORG990\n#   name: runaway\n#   severity: low\n#   roles: [any]\n\
         #   services: [elbv2]\n#   remediation: None.\npackage archaudit.rules.runaway\n\n\
         import rego.v1\n\ns := [{}]\n\ndeny contains f if {{\n\tsome lb in input.elbv2.load_balancers\n\
         \tn := count([x | some a in s; some b in s; some c in s; some d in s; x := a + b + c + d])\n\
         \tn > 0\n\tf := {{\"resource\": lb.arn, \"region\": lb.region, \"message\": \"looped\"}}\n}}\n",
        numbers.join(", ")
    );
    let rule = parse_rule("rules/elb/runaway.rego", "elb", &source, true).unwrap();
    let mut catalogue = Catalogue::from_rules(vec![rule]).unwrap();
    catalogue.limits.time = std::time::Duration::from_millis(300);
    let compiled = catalogue.compile().unwrap();
    assert!(
        compiled.interpreted.is_empty(),
        "{:?}",
        compiled.interpreted
    );
    let snapshot = load_snapshot(&repo("fixtures/snapshots/reference-drifted.json")).unwrap();
    let started = std::time::Instant::now();
    let evaluation = compiled
        .evaluate(&snapshot, &Config::default().assign_roles(&snapshot))
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(evaluation.findings.is_empty());
    let message = "ORG990: rules/elb/runaway.rego: exceeded the time limit of 0.3 s for one rule \
                   over one account (--rule-time-limit); not evaluated in any account";
    let gaps: Vec<(&str, Option<&str>)> = evaluation
        .gaps
        .iter()
        .map(|g| (g.service.as_str(), g.message.as_deref()))
        .collect();
    assert!(!gaps.is_empty());
    assert!(
        gaps.iter().all(|g| *g == ("rules", Some(message))),
        "{gaps:#?}"
    );
    assert_eq!(evaluation.checks_not_evaluated, evaluation.checks);
}
