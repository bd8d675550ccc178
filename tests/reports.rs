//! Report output, pinned with insta snapshots (the tool version is redacted).

use crate::util::repo;
use archaudit::config::Config;
use archaudit::engine::{Catalogue, Evaluation, Severity};
use archaudit::report::{JsonReporter, Report, Reporter, TableReporter};
use archaudit::snapshot::{load_snapshot, Snapshot};

fn render(path: &str, reporter: &mut dyn Reporter) -> String {
    let snapshot = load_snapshot(&repo(path)).unwrap();
    render_snapshot(&snapshot, reporter).1
}

/// Evaluates a snapshot with the built-in rules and the default config
/// (`--fail-on high`); the evaluation and the report.
pub fn render_snapshot(snapshot: &Snapshot, reporter: &mut dyn Reporter) -> (Evaluation, String) {
    let catalogue = Catalogue::builtin().unwrap();
    let evaluation = catalogue
        .compile()
        .unwrap()
        .evaluate(snapshot, &Config::default().assign_roles(snapshot))
        .unwrap();
    let report = Report {
        evaluation: &evaluation,
        rules: &catalogue.rules,
        generated_at: &snapshot.generated_at,
        fail_on: Some(Severity::High),
        suppressed: &[],
        notes: &[],
        locations: None,
        baseline: None,
    };
    let mut out = Vec::new();
    reporter.emit(&mut out, &report).unwrap();
    let out = String::from_utf8(out).unwrap();
    (evaluation, out)
}

#[test]
fn json_report_of_the_drifted_example() {
    let json: serde_json::Value = serde_json::from_str(&render(
        "fixtures/snapshots/reference-drifted.json",
        &mut JsonReporter,
    ))
    .unwrap();
    insta::assert_json_snapshot!("drifted-report", json, { ".tool.version" => "[version]" });
}

#[test]
fn table_report_of_the_drifted_example() {
    let table = render(
        "fixtures/snapshots/reference-drifted.json",
        &mut TableReporter {
            terminal: false,
            show_suppressed: false,
        },
    );
    assert!(!table.contains('\u{1b}'), "no colour codes off a terminal");
    insta::assert_snapshot!("drifted-table", table);
}

/// `check` reads a snapshot file one account at a time: its report is the
/// one the whole snapshot gives, byte for byte.
#[test]
fn check_reads_one_account_at_a_time_to_the_same_report() {
    for path in [
        "fixtures/snapshots/reference-drifted.json",
        "fixtures/snapshots/reference-compliant.json",
    ] {
        let snapshot = load_snapshot(&repo(path)).unwrap();
        let (evaluation, whole) = render_snapshot(&snapshot, &mut JsonReporter);
        let (code, streamed, stderr) = crate::util::archaudit(&["check", path, "--format", "json"]);
        let expected = if evaluation.findings.is_empty() { 0 } else { 1 };
        assert_eq!(code, expected, "{path}: {stderr}");
        assert_eq!(streamed, whole, "{path}");
    }
}
