//! SARIF 2.1.0 for GitHub code scanning (serde-sarif types).
//!
//! GitHub rejects a whole upload when one result lacks a file location, and an
//! ARN is not a file uri. So every result has exactly one location with a
//! repository-relative, scheme-less uri and a start line: the Terraform block
//! that declares the resource when [`Report::locations`] knows it, else the
//! rule's own file and line. The ARN goes in the message and in
//! `logicalLocations`. `partialFingerprints` carries the finding's fingerprint
//! (rule, account, region, resource), never a line, so an alert keeps its
//! identity when Terraform lines move. One run per file, identified by its
//! category in `automationDetails.id`.

use super::{DiffReport, Report, Reporter};
use crate::engine::{Finding, Rule, Severity};
use crate::history::BaselineState;
use crate::terraform::{repo_relative_uri, Located};
use anyhow::Result;
use serde_json::{json, Value};
use serde_sarif::sarif;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

/// GitHub code scanning accepts at most this many results in a run.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub shows at most 20 tags per rule.
const MAX_TAGS: usize = 20;
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct SarifReporter {
    /// The run's `automationDetails.id`, e.g. `archaudit/o-7k2p9x4m1q/`; a
    /// trailing `/` is added when missing. Uploads with the same category
    /// replace each other's results.
    pub category: String,
    /// The repository root that uris are relative to (the checkout that
    /// upload-sarif runs in): the current directory by default.
    pub root: PathBuf,
    /// The most results written; the least severe are dropped past it.
    pub max_results: usize,
    /// Also write the baseline's resolved findings, as `absent` results (`diff`;
    /// never for an upload of one run, where GitHub would open them as alerts).
    pub with_absent: bool,
}

impl SarifReporter {
    /// A reporter for `category`, with uris relative to the current directory.
    pub fn new(category: impl Into<String>) -> SarifReporter {
        SarifReporter {
            category: category.into(),
            root: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            max_results: MAX_RESULTS,
            with_absent: false,
        }
    }
}

/// The conventional category for a scope (an organization id, or account ids):
/// `archaudit/<scope>/`.
pub fn category(scope: &str) -> String {
    format!("archaudit/{scope}/")
}

fn normalized_category(category: &str) -> String {
    let category = category.trim();
    if category.is_empty() {
        "archaudit/".to_string()
    } else if category.ends_with('/') {
        category.to_string()
    } else {
        format!("{category}/")
    }
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low => sarif::ResultLevel::Note,
    }
}

/// GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below 4 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

/// Framework tags from a rule's references (peer tools are not frameworks).
fn framework_tags(references: &[String]) -> Vec<&'static str> {
    const FRAMEWORKS: &[(&str, &str)] = &[
        ("Well-Architected", "well-architected"),
        ("CIS AWS Foundations", "cis-aws-foundations"),
        ("CIS Amazon EKS", "cis-eks"),
        ("EKS Best Practices", "eks-best-practices"),
        ("Security Hub", "security-hub"),
        ("AWS Config", "aws-config"),
        ("KubeRocketCI reference", "krci-reference"),
    ];
    let mut tags = Vec::new();
    for reference in references {
        for (needle, tag) in FRAMEWORKS {
            if reference.contains(needle) && !tags.contains(tag) {
                tags.push(*tag);
            }
        }
    }
    tags
}

fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let mut tags: Vec<String> = vec![rule.area.clone(), "security".to_string()];
    for tag in framework_tags(&rule.references) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags.truncate(MAX_TAGS);
    let mut markdown = rule.remediation.clone();
    if !rule.references.is_empty() {
        markdown.push_str("\n\n**References**\n");
        for reference in &rule.references {
            markdown.push_str("\n- ");
            markdown.push_str(reference);
        }
    }
    sarif::ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.name.clone())
        .short_description(text(&rule.title))
        .full_description(text(&rule.description))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(rule.remediation.clone())
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(rule.severity).to_string()))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .tags(tags)
                .additional_properties(BTreeMap::from([
                    ("precision".to_string(), json!(rule.precision)),
                    (
                        "security-severity".to_string(),
                        json!(security_severity(rule.severity)),
                    ),
                ]))
                .build(),
        )
        .build()
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.to_string())
        .build()
}

/// A result to write: a finding, and the reason if it is suppressed.
struct Item<'a> {
    finding: &'a Finding,
    suppressed: Option<&'a str>,
    /// Against `--baseline`; `absent` for a resolved finding (`diff` only).
    state: Option<BaselineState>,
}

/// Keeps the `max` most severe items (open before suppressed before resolved
/// at equal severity, otherwise in the report's order); returns how many were
/// dropped.
fn keep_most_severe(items: &mut Vec<Item>, max: usize) -> usize {
    items.sort_by_key(|i| {
        (
            std::cmp::Reverse(i.finding.severity),
            i.suppressed.is_some(),
            i.state == Some(BaselineState::Absent),
        )
    });
    let dropped = items.len().saturating_sub(max);
    items.truncate(max);
    dropped
}

fn sentence(message: &str) -> String {
    let message = message.trim();
    if message.ends_with(['.', '!', '?']) {
        message.to_string()
    } else {
        format!("{message}.")
    }
}

impl SarifReporter {
    fn result(
        &self,
        item: &Item,
        rules: &HashMap<&str, (usize, &Rule)>,
        report: &Report,
    ) -> sarif::Result {
        let f = item.finding;
        let located = report.locations.map(|l| l.locate_finding(f));
        let mut message = format!(
            "{} Account {} ({}, role {}), region {}, resource {}.",
            sentence(&f.message),
            f.account_name,
            f.account_id,
            f.account_role,
            f.region,
            f.resource
        );
        let mut properties = BTreeMap::from([
            ("accountId".to_string(), json!(f.account_id)),
            ("accountName".to_string(), json!(f.account_name)),
            ("accountRole".to_string(), json!(f.account_role)),
            ("region".to_string(), json!(f.region)),
        ]);
        let rule = rules.get(f.rule_id.as_str());
        let rule_location = || {
            let (uri, line) = match rule {
                Some((_, r)) => (repo_relative_uri(&r.path, &self.root), r.line.max(1)),
                None => (format!("rules/{}.rego", f.rule_name), 1),
            };
            (uri, line, None)
        };
        let (uri, start_line, end_line) = match &located {
            Some(Located::Declared(loc)) => {
                message.push_str(&format!(" Declared in Terraform as {}.", loc.address));
                properties.insert("terraformAddress".into(), json!(loc.address));
                (loc.uri.clone(), loc.start_line.max(1), Some(loc.end_line))
            }
            Some(Located::Managed { address }) => {
                message.push_str(&format!(
                    " Managed by Terraform as {address}, declared in no scanned directory."
                ));
                properties.insert("terraformAddress".into(), json!(address));
                rule_location()
            }
            Some(Located::Unmanaged) => {
                message.push_str(" The resource is unmanaged: declared in no Terraform state.");
                properties.insert("unmanaged".into(), json!(true));
                rule_location()
            }
            Some(Located::NotAResource) | None => rule_location(),
        };

        let mut region = sarif::Region::builder()
            .start_line(start_line as i64)
            .build();
        region.end_line = end_line
            .filter(|end| *end >= start_line)
            .map(|end| end as i64);
        let location = sarif::Location::builder()
            .physical_location(
                sarif::PhysicalLocation::builder()
                    .artifact_location(sarif::ArtifactLocation::builder().uri(uri).build())
                    .region(region)
                    .build(),
            )
            .logical_locations(vec![sarif::LogicalLocation::builder()
                .fully_qualified_name(f.resource.clone())
                .kind("resource")
                .build()])
            .build();

        let mut result = sarif::Result::builder()
            .rule_id(f.rule_id.clone())
            .level(level(f.severity))
            .message(sarif::Message::builder().text(message).build())
            .locations(vec![location])
            .partial_fingerprints(BTreeMap::from([(
                "primaryLocationLineHash".to_string(),
                f.fingerprint.clone(),
            )]))
            .properties(
                sarif::PropertyBag::builder()
                    .additional_properties(properties)
                    .build(),
            )
            .build();
        result.rule_index = rule.map(|(i, _)| *i as i64);
        result.baseline_state = item.state.map(|s| json!(s.as_str()));
        if let Some(reason) = item.suppressed {
            result.suppressions = Some(vec![sarif::Suppression::builder()
                .kind(json!("external"))
                .justification(reason.to_string())
                .build()]);
        }
        result
    }
}

impl Reporter for SarifReporter {
    /// The new run's findings, each with its `baselineState`, and the
    /// resolved ones as `absent`.
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
        self.with_absent = true;
        self.emit(out, diff.report)
    }

    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let mut descriptors: Vec<sarif::ReportingDescriptor> =
            report.rules.iter().map(descriptor).collect();
        let rules: HashMap<&str, (usize, &Rule)> = report
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), (i, r)))
            .collect();

        let mut items: Vec<Item> = report
            .evaluation
            .findings
            .iter()
            .map(|finding| Item {
                finding,
                suppressed: None,
                state: report.baseline_state(finding),
            })
            .chain(report.suppressed.iter().map(|s| Item {
                finding: &s.finding,
                suppressed: Some(s.reason.as_str()),
                state: report.baseline_state(&s.finding),
            }))
            .collect();
        if self.with_absent {
            if let Some(baseline) = report.baseline {
                items.extend(baseline.diff.resolved.iter().map(|finding| Item {
                    finding,
                    suppressed: None,
                    state: Some(BaselineState::Absent),
                }));
            }
        }
        let dropped = keep_most_severe(&mut items, self.max_results);
        if dropped > 0 {
            eprintln!(
                "archaudit: SARIF: GitHub accepts at most {} results per run; \
                 dropped the {dropped} least severe",
                self.max_results
            );
        }

        // A finding of a rule not in the catalogue given (it cannot happen
        // through the CLI) still needs a rule for its ruleId.
        let unknown: Vec<&Finding> = items
            .iter()
            .map(|i| i.finding)
            .filter(|f| !rules.contains_key(f.rule_id.as_str()))
            .collect();
        for f in unknown {
            if descriptors.iter().any(|d| d.id == f.rule_id) {
                continue;
            }
            descriptors.push(
                sarif::ReportingDescriptor::builder()
                    .id(f.rule_id.clone())
                    .name(f.rule_name.clone())
                    .short_description(text(&f.rule_name))
                    .full_description(text(&f.rule_name))
                    .help(text(&f.rule_name))
                    .build(),
            );
        }
        let results: Vec<sarif::Result> = items
            .iter()
            .map(|item| {
                let mut result = self.result(item, &rules, report);
                if result.rule_index.is_none() {
                    result.rule_index = descriptors
                        .iter()
                        .position(|d| d.id == item.finding.rule_id)
                        .map(|i| i as i64);
                }
                result
            })
            .collect();

        let notifications: Vec<sarif::Notification> = report
            .evaluation
            .gaps
            .iter()
            .map(|g| {
                let mut text = format!(
                    "Not read: account {}, region {}, {}: {}",
                    g.account_id, g.region, g.service, g.error
                );
                if let Some(m) = &g.message {
                    text.push_str(&format!(" ({m})"));
                }
                if !g.rules_not_evaluated.is_empty() {
                    text.push_str(&format!(
                        "; not evaluated there: {}",
                        g.rules_not_evaluated.join(", ")
                    ));
                }
                sarif::Notification::builder()
                    .level(json!("warning"))
                    .message(sarif::Message::builder().text(text).build())
                    .build()
            })
            .collect();
        let mut invocation = sarif::Invocation::builder()
            .execution_successful(true)
            .build();
        if !notifications.is_empty() {
            invocation.tool_execution_notifications = Some(notifications);
        }

        let driver = sarif::ToolComponent::builder()
            .name(env!("CARGO_PKG_NAME"))
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .information_uri(env!("CARGO_PKG_REPOSITORY"))
            .rules(descriptors)
            .build();
        let run = sarif::Run::builder()
            .tool(sarif::Tool::builder().driver(driver).build())
            .automation_details(
                sarif::RunAutomationDetails::builder()
                    .id(normalized_category(&self.category))
                    .build(),
            )
            .invocations(vec![invocation])
            .results(results)
            .properties(
                sarif::PropertyBag::builder()
                    .additional_properties(BTreeMap::from([(
                        "snapshotGeneratedAt".to_string(),
                        Value::from(report.generated_at),
                    )]))
                    .build(),
            )
            .build();
        let log = sarif::Sarif::builder()
            .schema(SCHEMA_URI)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        super::write_json(out, &log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_end_with_a_slash() {
        assert_eq!(normalized_category("archaudit/o-1"), "archaudit/o-1/");
        assert_eq!(normalized_category("archaudit/o-1/"), "archaudit/o-1/");
        assert_eq!(normalized_category(" "), "archaudit/");
        assert_eq!(category("o-7k2p9x4m1q"), "archaudit/o-7k2p9x4m1q/");
    }

    #[test]
    fn severities_map_onto_github_scales() {
        assert_eq!(level(Severity::High), sarif::ResultLevel::Error);
        assert_eq!(level(Severity::Low), sarif::ResultLevel::Note);
        for (severity, low, high) in [
            (Severity::Critical, 9.0, 10.0),
            (Severity::High, 7.0, 8.9),
            (Severity::Medium, 4.0, 6.9),
            (Severity::Low, 0.1, 3.9),
        ] {
            let score: f64 = security_severity(severity).parse().unwrap();
            assert!((low..=high).contains(&score), "{severity}");
        }
        assert_eq!(
            framework_tags(&[
                "Security Hub ELB.16 / AWS Config ALB_WAF_ENABLED".into(),
                "Prowler x".into(),
                "CIS AWS Foundations 1.4: y".into(),
            ]),
            vec!["security-hub", "aws-config", "cis-aws-foundations"]
        );
    }
}
