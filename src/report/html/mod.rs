//! The HTML report: one self-contained page for people (inline CSS, one
//! small constant script, nothing loaded from the network), readable on a
//! laptop and printable. It shows the organization drawn against the
//! reference architecture ([`architecture`]), where it hurts ([`charts`]:
//! findings by severity, checks passed / failed / not evaluated, a heat map
//! of accounts x rule areas), what could not be read, drift against a
//! baseline, and the findings grouped by rule with each rule's docs
//! ([`docs`]), filterable and sortable.
//!
//! The page is an askama template (templates/report.html) over the typed
//! view built here. askama escapes every value for HTML text and quoted
//! attributes, so names, tags and messages from AWS cannot form markup. No
//! data goes into the script or into a URL: the script is a constant file
//! that reads `data-` attributes and only sets `hidden`, `open`, classes and
//! text. The filter state lives in the page's fragment (`#f:sev=4&q=...`), so
//! a filtered view can be linked.

mod architecture;
mod charts;
mod docs;

use super::diff::{not_compared_lines, resource_name, resources_summary, shown};
use super::{note_effect, plural, DiffReport, Report, Reporter};
use crate::engine::{AccountInfo, CoverageGap, Finding, Severity, UNASSIGNED};
use crate::history::{BaselineState, ResourceDiff, ResourceRef};
use crate::snapshot::Snapshot;
use crate::terraform::Located;
use anyhow::Result;
use architecture::{Inventory, REFERENCE_ROLES};
use askama::Template;
use std::collections::BTreeMap;
use std::io::Write;

/// The page's styles and script: constants, never built from data.
const CSS: &str = include_str!("../../../templates/report.css");
const SCRIPT: &str = include_str!("../../../templates/report.js");

/// Above this many findings the groups start closed (the page stays quick).
const OPEN_GROUPS_UP_TO: usize = 300;

/// The HTML reporter. What the picture needs from the snapshot is taken when
/// it is made; without a snapshot (a run read from a JSON report) the page
/// says the picture cannot be drawn.
pub struct HtmlReporter {
    inventory: Option<Inventory>,
    show_suppressed: bool,
    resources: Option<ResourceDiff>,
    diff: Option<DiffHeader>,
}

/// The two runs of `archaudit diff`.
struct DiffHeader {
    old_source: String,
    old_generated_at: String,
    new_source: String,
}

impl HtmlReporter {
    pub fn new(snapshot: Option<&Snapshot>, show_suppressed: bool) -> HtmlReporter {
        HtmlReporter {
            inventory: snapshot.map(Inventory::new),
            show_suppressed,
            resources: None,
            diff: None,
        }
    }

    /// Adds the resources changed since the baseline (both runs snapshots).
    pub fn with_resources(mut self, resources: Option<ResourceDiff>) -> HtmlReporter {
        self.resources = resources;
        self
    }
}

impl Reporter for HtmlReporter {
    fn emit(&mut self, out: &mut dyn Write, report: &Report) -> Result<()> {
        let page = self.page(report);
        out.write_all(page.render()?.as_bytes())?;
        Ok(())
    }

    /// `archaudit diff --format html`: the new run's page, with the drift first.
    fn emit_diff(&mut self, out: &mut dyn Write, diff: &DiffReport) -> Result<()> {
        self.resources = diff.resources.cloned();
        self.diff = Some(DiffHeader {
            old_source: diff.old_source.to_string(),
            old_generated_at: diff.old_generated_at.to_string(),
            new_source: diff.new_source.to_string(),
        });
        self.emit(out, diff.report)
    }
}

/// Findings and gaps by account, for the picture and the charts.
pub(super) struct Index<'r> {
    pub report: &'r Report<'r>,
    findings: BTreeMap<&'r str, Vec<&'r Finding>>,
    gaps: BTreeMap<&'r str, Vec<&'r CoverageGap>>,
}

impl<'r> Index<'r> {
    fn new(report: &'r Report<'r>) -> Index<'r> {
        let mut findings: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &report.evaluation.findings {
            findings.entry(&f.account_id).or_default().push(f);
        }
        let mut gaps: BTreeMap<&str, Vec<&CoverageGap>> = BTreeMap::new();
        for g in &report.evaluation.gaps {
            gaps.entry(&g.account_id).or_default().push(g);
        }
        Index {
            report,
            findings,
            gaps,
        }
    }

    pub fn findings_of(&self, account: &str) -> impl Iterator<Item = &'r Finding> + '_ {
        self.findings.get(account).into_iter().flatten().copied()
    }

    pub fn gaps_of(&self, account: &str) -> impl Iterator<Item = &'r CoverageGap> + '_ {
        self.gaps.get(account).into_iter().flatten().copied()
    }
}

/// Accounts in drawing order: the reference roles, other roles by name,
/// unassigned last; by name within a role.
pub(super) fn account_order<'a>(
    accounts: impl Iterator<Item = &'a AccountInfo>,
) -> Vec<&'a AccountInfo> {
    let rank = |role: &str| match REFERENCE_ROLES.iter().position(|r| *r == role) {
        Some(i) => i,
        None if role == UNASSIGNED => REFERENCE_ROLES.len() + 1,
        None => REFERENCE_ROLES.len(),
    };
    let mut out: Vec<&AccountInfo> = accounts.collect();
    out.sort_by(|a, b| {
        (rank(&a.role), &a.role, &a.name, &a.id).cmp(&(rank(&b.role), &b.role, &b.name, &b.id))
    });
    out
}

/// At most `max` characters, with an ellipsis when cut.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The CSS class of a severity's colour.
pub(super) fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "s4",
        Severity::High => "s3",
        Severity::Medium => "s2",
        Severity::Low => "s1",
    }
}

fn sev_rank(s: Severity) -> u8 {
    match s {
        Severity::Critical => 4,
        Severity::High => 3,
        Severity::Medium => 2,
        Severity::Low => 1,
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    css: &'static str,
    script: &'static str,
    version: &'static str,
    title: String,
    subtitle: String,
    generated_at: &'a str,
    verdict: Option<(String, bool)>,
    incomplete: bool,
    cards: Vec<Stat>,
    bars: charts::Bars,
    checks: charts::Checks,
    picture: Option<architecture::Picture>,
    legend: Vec<(&'static str, &'static str, &'static str)>,
    heat: charts::HeatMap,
    gaps: Vec<GapRow>,
    gaps_line: String,
    notes: Vec<String>,
    drift: Option<Drift>,
    filters: Filters,
    groups: Vec<Group>,
    total: usize,
    suppressed_total: usize,
    show_suppressed: bool,
    open_groups: bool,
    has_terraform: bool,
    has_baseline: bool,
    accounts: Vec<AccountRow>,
}

/// A number in the summary.
struct Stat {
    label: &'static str,
    value: String,
    class: &'static str,
}

struct GapRow {
    account_id: String,
    account_name: String,
    region: String,
    service: String,
    error: String,
    message: String,
    rules: String,
}

struct Filters {
    severities: Vec<(u8, &'static str, usize)>,
    accounts: Vec<(String, String)>,
    areas: Vec<String>,
    rules: Vec<(String, String)>,
}

struct Suppression {
    reason: String,
    expires: Option<String>,
}

struct Row {
    sev: &'static str,
    sev_class: &'static str,
    sev_n: u8,
    rule_id: String,
    account_id: String,
    account_name: String,
    role: String,
    region: String,
    resource: String,
    message: String,
    fingerprint: String,
    terraform: String,
    state: Option<&'static str>,
    was: Option<String>,
    suppressed: Option<Suppression>,
}

struct Doc {
    name: String,
    description: String,
    remediation: String,
    references: Vec<String>,
    source: String,
    precision: String,
    roles: String,
}

struct Group {
    rule_id: String,
    title: String,
    area: String,
    sev: &'static str,
    sev_class: &'static str,
    sev_n: u8,
    open: usize,
    suppressed: usize,
    doc: Option<Doc>,
    rows: Vec<Row>,
}

struct AccountRow {
    id: String,
    name: String,
    role: String,
    status: String,
    resources: usize,
    counts: Vec<(usize, &'static str)>,
    suppressed: usize,
    gaps: usize,
    tags: Vec<(String, String)>,
}

struct ResourceRow {
    account_id: String,
    region: String,
    kind: String,
    name: String,
}

struct Changed {
    resource: ResourceRow,
    fields: Vec<(String, String, String)>,
}

struct Resources {
    summary: String,
    added: Vec<ResourceRow>,
    removed: Vec<ResourceRow>,
    changed: Vec<Changed>,
    not_compared: Vec<String>,
}

struct Drift {
    heading: String,
    counts: Vec<Stat>,
    resolved: Vec<Row>,
    not_reevaluated: Vec<Row>,
    resources: Option<Resources>,
    resources_note: &'static str,
}

fn resource_row(r: &ResourceRef) -> ResourceRow {
    ResourceRow {
        account_id: r.account_id.clone(),
        region: r.region.clone(),
        kind: r.kind.clone(),
        name: resource_name(r),
    }
}

impl HtmlReporter {
    fn page<'a>(&self, report: &'a Report<'a>) -> Page<'a> {
        let index = Index::new(report);
        let e = report.evaluation;
        let title = match (&self.diff, &self.inventory) {
            (Some(_), _) => "archaudit diff".to_string(),
            (None, Some(inv)) => match &inv.organization {
                Some(org) => format!("archaudit report · {org}"),
                None => "archaudit report".to_string(),
            },
            (None, None) => "archaudit report".to_string(),
        };
        let subtitle = match &self.diff {
            Some(d) => format!(
                "From {} (snapshot of {}) to {} (snapshot of {})",
                d.old_source, d.old_generated_at, d.new_source, report.generated_at
            ),
            None => format!(
                "{} in {}, snapshot of {}",
                plural(e.findings.len(), "finding"),
                plural(e.accounts.len(), "account"),
                report.generated_at
            ),
        };
        let not_evaluated = e.checks_not_evaluated;
        let mut cards = vec![
            Stat {
                label: "findings",
                value: e.findings.len().to_string(),
                class: if e.findings.is_empty() { "good" } else { "bad" },
            },
            Stat {
                label: "accounts",
                value: e.accounts.len().to_string(),
                class: "",
            },
            Stat {
                label: "resources read",
                value: e.resources.to_string(),
                class: "",
            },
            Stat {
                label: "rules run",
                value: format!("{} of {}", e.rules_run, report.rules.len()),
                class: "",
            },
            Stat {
                label: "checks not evaluated",
                value: not_evaluated.to_string(),
                class: if not_evaluated > 0 || !e.gaps.is_empty() {
                    "gap"
                } else {
                    "good"
                },
            },
            Stat {
                label: "suppressed",
                value: report.suppressed.len().to_string(),
                class: "",
            },
        ];
        if let Some(b) = report.baseline {
            cards.insert(
                1,
                Stat {
                    label: "new since baseline",
                    value: b.diff.new.len().to_string(),
                    class: if b.diff.new.is_empty() { "good" } else { "bad" },
                },
            );
        }
        let gaps = e
            .gaps
            .iter()
            .map(|g| GapRow {
                account_id: g.account_id.clone(),
                account_name: e
                    .accounts
                    .iter()
                    .find(|a| a.id == g.account_id)
                    .map_or_else(String::new, |a| a.name.clone()),
                region: g.region.clone(),
                service: g.service.clone(),
                error: g.error.to_string(),
                message: g.message.clone().unwrap_or_default(),
                rules: if g.rules_not_evaluated.is_empty() {
                    "none needed it".to_string()
                } else {
                    g.rules_not_evaluated.join(", ")
                },
            })
            .collect();
        let notes = report
            .notes
            .iter()
            .map(|n| {
                format!(
                    "The suppression of {} at config line {} (\u{201c}{}\u{201d}) {}.",
                    n.rule,
                    n.line,
                    n.reason,
                    note_effect(n)
                )
            })
            .collect();
        let groups = self.groups(report);
        let filters = filters(report, &groups);
        Page {
            css: CSS,
            script: SCRIPT,
            version: env!("CARGO_PKG_VERSION"),
            title,
            subtitle,
            generated_at: report.generated_at,
            verdict: report.verdict().map(|v| (v, report.failed())),
            incomplete: report.incomplete(),
            cards,
            bars: charts::severity_bars(&index),
            checks: charts::checks(&index),
            picture: self
                .inventory
                .as_ref()
                .map(|inv| architecture::picture(inv, &index)),
            legend: architecture::legend(),
            heat: charts::heat_map(&index),
            gaps_line: format!(
                "{} of the organization could not be read.",
                plural(e.gaps.len(), "part")
            ),
            gaps,
            notes,
            drift: self.drift(report),
            filters,
            total: e.findings.len(),
            suppressed_total: report.suppressed.len(),
            show_suppressed: self.show_suppressed,
            open_groups: e.findings.len() + report.suppressed.len() <= OPEN_GROUPS_UP_TO,
            has_terraform: report.locations.is_some(),
            has_baseline: report.baseline.is_some(),
            groups,
            accounts: self.accounts(report),
        }
    }

    fn row(&self, report: &Report, was: &BTreeMap<&str, String>, f: &Finding) -> Row {
        let terraform = match report
            .locations
            .map(|l| l.locate(&f.account_id, &f.resource))
        {
            Some(Located::Declared(loc)) => {
                format!("{}:{} ({})", loc.uri, loc.start_line, loc.address)
            }
            Some(Located::Managed { address }) => address,
            Some(Located::Unmanaged) => "unmanaged".to_string(),
            Some(Located::NotAResource) | None => String::new(),
        };
        Row {
            sev: f.severity.as_str(),
            sev_class: sev_class(f.severity),
            sev_n: sev_rank(f.severity),
            rule_id: f.rule_id.clone(),
            account_id: f.account_id.clone(),
            account_name: f.account_name.clone(),
            role: f.account_role.clone(),
            region: f.region.clone(),
            resource: f.resource.clone(),
            message: f.message.clone(),
            fingerprint: f.fingerprint.clone(),
            terraform,
            state: report.baseline_state(f).map(state_word),
            was: was.get(f.fingerprint.as_str()).cloned(),
            suppressed: None,
        }
    }

    /// Findings (and suppressed ones) grouped by rule: most severe first,
    /// then the largest groups.
    fn groups(&self, report: &Report) -> Vec<Group> {
        let was = updated_from(report);
        let mut by_rule: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        for f in &report.evaluation.findings {
            by_rule
                .entry(&f.rule_id)
                .or_default()
                .push(self.row(report, &was, f));
        }
        for s in report.suppressed {
            let mut row = self.row(report, &was, &s.finding);
            row.state = None;
            row.suppressed = Some(Suppression {
                reason: s.reason.clone(),
                expires: s.expires.clone(),
            });
            by_rule.entry(&s.finding.rule_id).or_default().push(row);
        }
        let mut groups: Vec<Group> = by_rule
            .into_iter()
            .map(|(id, rows)| {
                let rule = report.rule(id);
                let severity = rows.iter().map(|r| r.sev_n).max().unwrap_or(0);
                let first = &rows[0];
                let suppressed = rows.iter().filter(|r| r.suppressed.is_some()).count();
                Group {
                    rule_id: id.to_string(),
                    title: rule.map_or_else(|| first.rule_id.clone(), |r| r.title.clone()),
                    area: rule.map_or_else(|| "custom".to_string(), |r| r.area.clone()),
                    sev: rows
                        .iter()
                        .find(|r| r.sev_n == severity)
                        .map_or("low", |r| r.sev),
                    sev_class: rows
                        .iter()
                        .find(|r| r.sev_n == severity)
                        .map_or("s1", |r| r.sev_class),
                    sev_n: severity,
                    open: rows.len() - suppressed,
                    suppressed,
                    doc: rule.map(|r| Doc {
                        name: r.name.clone(),
                        description: docs::markdown(&r.description),
                        remediation: docs::markdown(&r.remediation),
                        references: r.references.clone(),
                        source: format!("{}:{}", r.path, r.line),
                        precision: r.precision.clone(),
                        roles: r.roles.join(", "),
                    }),
                    rows,
                }
            })
            .collect();
        groups.sort_by(|a, b| (b.sev_n, b.open, &a.rule_id).cmp(&(a.sev_n, a.open, &b.rule_id)));
        groups
    }

    fn accounts(&self, report: &Report) -> Vec<AccountRow> {
        let e = report.evaluation;
        account_order(e.accounts.iter())
            .into_iter()
            .map(|a| {
                let count = |s: Severity| {
                    e.findings
                        .iter()
                        .filter(|f| f.account_id == a.id && f.severity == s)
                        .count()
                };
                let inv = self.inventory.as_ref().and_then(|i| i.accounts.get(&a.id));
                AccountRow {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    role: a.role.clone(),
                    status: inv.and_then(|i| i.status.clone()).unwrap_or_default(),
                    resources: a.resources,
                    counts: Severity::ALL
                        .iter()
                        .map(|s| (count(*s), sev_class(*s)))
                        .collect(),
                    suppressed: report
                        .suppressed
                        .iter()
                        .filter(|s| s.finding.account_id == a.id)
                        .count(),
                    gaps: e.gaps.iter().filter(|g| g.account_id == a.id).count(),
                    tags: inv
                        .map(|i| i.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    fn drift(&self, report: &Report) -> Option<Drift> {
        let baseline = report.baseline?;
        let d = &baseline.diff;
        let heading = match &self.diff {
            Some(_) => "Findings and resources since the earlier run".to_string(),
            None => format!("Since the baseline {}", baseline.source),
        };
        let stat = |label, n: usize, class| Stat {
            label,
            value: n.to_string(),
            class,
        };
        let resources = self.resources.as_ref().map(|r| Resources {
            summary: resources_summary(r),
            added: r.added.iter().map(resource_row).collect(),
            removed: r.removed.iter().map(resource_row).collect(),
            changed: r
                .changed
                .iter()
                .map(|c| Changed {
                    resource: resource_row(&c.resource),
                    fields: c
                        .changes
                        .iter()
                        .map(|ch| {
                            (
                                ch.field.clone(),
                                shown(ch.old.as_ref()),
                                shown(ch.new.as_ref()),
                            )
                        })
                        .collect(),
                })
                .collect(),
            not_compared: not_compared_lines(r),
        });
        let none = BTreeMap::new();
        let listed = |findings: &[Finding]| -> Vec<Row> {
            findings
                .iter()
                .map(|f| {
                    let mut row = self.row(report, &none, f);
                    row.state = None;
                    row
                })
                .collect()
        };
        Some(Drift {
            heading,
            counts: vec![
                stat(
                    "new",
                    d.new.len(),
                    if d.new.is_empty() { "" } else { "bad" },
                ),
                stat("updated", d.updated.len(), ""),
                stat("unchanged", d.unchanged.len(), ""),
                stat(
                    "resolved",
                    d.resolved.len(),
                    if d.resolved.is_empty() { "" } else { "good" },
                ),
                stat(
                    "not re-evaluated",
                    d.not_reevaluated.len(),
                    if d.not_reevaluated.is_empty() {
                        ""
                    } else {
                        "gap"
                    },
                ),
            ],
            resolved: listed(&d.resolved),
            not_reevaluated: listed(&d.not_reevaluated),
            resources,
            resources_note: if self.diff.is_some() {
                "Resources are compared when both runs are snapshots; one of them is a JSON report, which holds findings only."
            } else {
                "Resources are compared when the baseline is a snapshot; this baseline is a JSON report, which holds findings only."
            },
        })
    }
}

/// What each updated finding was in the baseline, by fingerprint.
fn updated_from<'a>(report: &'a Report) -> BTreeMap<&'a str, String> {
    let Some(baseline) = report.baseline else {
        return BTreeMap::new();
    };
    baseline
        .diff
        .updated
        .iter()
        .map(|u| {
            let was = if u.old_severity != u.finding.severity {
                format!("{}: {}", u.old_severity, u.old_message)
            } else {
                u.old_message.clone()
            };
            (u.finding.fingerprint.as_str(), was)
        })
        .collect()
}

fn state_word(state: BaselineState) -> &'static str {
    match state {
        BaselineState::New => "new",
        BaselineState::Unchanged => "unchanged",
        BaselineState::Updated => "updated",
        BaselineState::Absent => "resolved",
    }
}

fn filters(report: &Report, groups: &[Group]) -> Filters {
    let counts = report.counts();
    Filters {
        severities: counts
            .iter()
            .map(|(s, n)| (sev_rank(*s), s.as_str(), *n))
            .collect(),
        accounts: account_order(report.evaluation.accounts.iter())
            .into_iter()
            .map(|a| (a.id.clone(), format!("{} ({}) · {}", a.name, a.id, a.role)))
            .collect(),
        areas: groups
            .iter()
            .map(|g| g.area.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        rules: {
            let mut rules: Vec<(String, String)> = groups
                .iter()
                .map(|g| (g.rule_id.clone(), format!("{} {}", g.rule_id, g.title)))
                .collect();
            rules.sort();
            rules
        },
    }
}
