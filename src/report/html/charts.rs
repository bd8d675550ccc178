//! The charts, as geometry for the template's inline SVG: findings by
//! severity, the checks that passed, failed or could not be evaluated, and
//! the heat map of accounts x rule areas.
//!
//! Drawn by archaudit itself: three simple shapes do not need a charting
//! library, and a library would bring its own script or styles into a page
//! that must work offline.

use super::{account_order, sev_class, truncate, Index};
use crate::engine::Severity;
use crate::history::BaselineState;
use crate::report::plural;
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct Bar {
    pub y: f64,
    pub label: &'static str,
    pub class: &'static str,
    pub value: usize,
    pub w: f64,
    /// The part of the bar that is new since the baseline.
    pub new_w: f64,
    pub new: usize,
}

/// Findings by severity, with the new ones marked when there is a baseline.
pub(super) struct Bars {
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub bars: Vec<Bar>,
    pub baseline: bool,
}

const BAR_H: f64 = 22.0;
const BAR_MAX: f64 = 250.0;

pub(super) fn severity_bars(index: &Index) -> Bars {
    let report = index.report;
    let mut counts: BTreeMap<Severity, (usize, usize)> = BTreeMap::new();
    for f in &report.evaluation.findings {
        let entry = counts.entry(f.severity).or_default();
        entry.0 += 1;
        if report.baseline_state(f) == Some(BaselineState::New) {
            entry.1 += 1;
        }
    }
    let max = counts.values().map(|c| c.0).max().unwrap_or(0).max(1) as f64;
    let label_w = 70.0;
    let bars = Severity::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (value, new) = counts.get(s).copied().unwrap_or((0, 0));
            Bar {
                y: i as f64 * (BAR_H + 8.0),
                label: s.as_str(),
                class: sev_class(*s),
                value,
                w: round(BAR_MAX * value as f64 / max),
                new_w: round(BAR_MAX * new as f64 / max),
                new,
            }
        })
        .collect();
    Bars {
        width: label_w + BAR_MAX + 60.0,
        height: 4.0 * (BAR_H + 8.0) - 8.0,
        label_w,
        bars,
        baseline: report.baseline.is_some(),
    }
}

pub(super) struct Segment {
    pub x: f64,
    pub w: f64,
    pub class: &'static str,
    pub label: &'static str,
    pub value: usize,
}

/// (rule, account) checks: failed, not evaluated (a gap: never a pass), passed.
pub(super) struct Checks {
    pub width: f64,
    pub total: usize,
    pub segments: Vec<Segment>,
}

pub(super) fn checks(index: &Index) -> Checks {
    let report = index.report;
    let failed: BTreeSet<(&str, &str)> = report
        .evaluation
        .findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.account_id.as_str()))
        .collect();
    let unread: BTreeSet<(&str, &str)> = report
        .evaluation
        .gaps
        .iter()
        .flat_map(|g| {
            g.rules_not_evaluated
                .iter()
                .map(|r| (r.as_str(), g.account_id.as_str()))
        })
        .filter(|pair| !failed.contains(pair))
        .collect();
    let total = report.evaluation.checks;
    let failed_n = failed.len().min(total);
    let unread_n = unread.len().min(total - failed_n);
    let passed = total - failed_n - unread_n;
    let width = 400.0;
    let scale = if total == 0 {
        0.0
    } else {
        width / total as f64
    };
    let mut x = 0.0;
    let mut segments = Vec::new();
    for (class, label, value) in [
        ("seg-failed", "with findings", failed_n),
        ("seg-unread", "not evaluated (not read)", unread_n),
        ("seg-passed", "passed", passed),
    ] {
        let w = round(value as f64 * scale);
        segments.push(Segment {
            x,
            w,
            class,
            label,
            value,
        });
        x += w;
    }
    Checks {
        width,
        total,
        segments,
    }
}

pub(super) struct HeatColumn {
    pub x: f64,
    pub area: String,
}

pub(super) struct HeatCell {
    pub x: f64,
    pub area: String,
    /// `hit`, `pass`, `none` (no rule of the area ran) or `unknown`.
    pub kind: &'static str,
    /// Some rule of the area could not be evaluated here.
    pub gap: bool,
    pub count: usize,
    pub class: &'static str,
    /// The square: side and offset inside the cell.
    pub side: f64,
    pub offset_x: f64,
    pub offset_y: f64,
    pub tooltip: String,
}

pub(super) struct HeatRow {
    pub y: f64,
    pub account_id: String,
    pub label: String,
    pub role: String,
    pub cells: Vec<HeatCell>,
}

pub(super) struct HeatMap {
    pub width: f64,
    pub height: f64,
    pub cell_w: f64,
    pub cell_h: f64,
    pub columns: Vec<HeatColumn>,
    pub rows: Vec<HeatRow>,
}

/// Accounts x rule areas: the worst severity's colour, the square's area
/// growing with the count; hatched where a rule of the area was not evaluated.
pub(super) fn heat_map(index: &Index) -> HeatMap {
    let report = index.report;
    let areas: Vec<String> = report
        .rules
        .iter()
        .map(|r| r.area.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let area_of = |rule: &str| report.rule(rule).map(|r| r.area.as_str());
    let mut hits: BTreeMap<(&str, &str), (usize, Severity)> = BTreeMap::new();
    for f in &report.evaluation.findings {
        let area = area_of(&f.rule_id).unwrap_or("custom");
        let e = hits
            .entry((f.account_id.as_str(), area))
            .or_insert((0, f.severity));
        e.0 += 1;
        e.1 = e.1.max(f.severity);
    }
    let mut gaps: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for g in &report.evaluation.gaps {
        for rule in &g.rules_not_evaluated {
            if let Some(area) = area_of(rule) {
                gaps.entry((g.account_id.as_str(), area))
                    .or_default()
                    .insert(rule);
            }
        }
    }
    let max = hits.values().map(|h| h.0).max().unwrap_or(1).max(1) as f64;
    let (label_w, cell_w, cell_h, head_h) = (230.0, 74.0, 22.0, 24.0);
    let columns = areas
        .iter()
        .enumerate()
        .map(|(i, a)| HeatColumn {
            x: label_w + i as f64 * cell_w,
            area: a.clone(),
        })
        .collect();
    let evaluated = report.evaluation.evaluated.as_ref();
    let rows: Vec<HeatRow> = account_order(report.evaluation.accounts.iter())
        .into_iter()
        .enumerate()
        .map(|(r, account)| {
            let y = head_h + r as f64 * cell_h;
            let ran = evaluated.map(|e| e.get(&account.id));
            let cells = areas
                .iter()
                .enumerate()
                .map(|(c, area)| {
                    let x = label_w + c as f64 * cell_w;
                    let key = (account.id.as_str(), area.as_str());
                    let gap_rules = gaps.get(&key);
                    // `None`: not known (a JSON report does not record what ran).
                    let area_ran = ran.map(|rules| {
                        rules.is_some_and(|rules| {
                            rules.iter().any(|id| area_of(id) == Some(area.as_str()))
                        })
                    });
                    let mut cell = HeatCell {
                        x,
                        area: area.clone(),
                        kind: "none",
                        gap: gap_rules.is_some(),
                        count: 0,
                        class: "",
                        side: 0.0,
                        offset_x: 0.0,
                        offset_y: 0.0,
                        tooltip: String::new(),
                    };
                    let gap_note = gap_rules.map_or(String::new(), |rules| {
                        format!(
                            "; not evaluated (data not read): {}",
                            rules.iter().copied().collect::<Vec<_>>().join(", ")
                        )
                    });
                    let place = format!("{} · {area}", account.name);
                    if let Some((count, worst)) = hits.get(&key) {
                        let side = round(6.0 + 12.0 * (*count as f64 / max).sqrt());
                        cell.kind = "hit";
                        cell.count = *count;
                        cell.class = sev_class(*worst);
                        cell.side = side;
                        cell.offset_x = round((cell_w - side) / 2.0);
                        cell.offset_y = round((cell_h - side) / 2.0);
                        cell.tooltip = format!(
                            "{place}: {} (worst {worst}){gap_note}",
                            plural(*count, "finding")
                        );
                    } else {
                        match area_ran {
                            None => {
                                cell.kind = "unknown";
                                cell.tooltip = format!(
                                    "{place}: no finding recorded (the run was read from a JSON report, which does not record what ran){gap_note}"
                                );
                            }
                            Some(true) if gap_rules.is_none() => {
                                cell.kind = "pass";
                                cell.tooltip = format!("{place}: checked, no finding");
                            }
                            Some(true) => {
                                cell.tooltip = format!("{place}: no finding where read{gap_note}");
                            }
                            Some(false) => {
                                cell.tooltip = if gap_rules.is_some() {
                                    format!("{place}: nothing evaluated{gap_note}")
                                } else {
                                    format!("{place}: no rule of this area ran here")
                                };
                            }
                        }
                    }
                    cell
                })
                .collect();
            HeatRow {
                y,
                account_id: account.id.clone(),
                label: truncate(&account.name, 24),
                role: account.role.clone(),
                cells,
            }
        })
        .collect();
    HeatMap {
        width: label_w + areas.len() as f64 * cell_w + 4.0,
        height: head_h + rows.len() as f64 * cell_h + 4.0,
        cell_w,
        cell_h,
        columns,
        rows,
    }
}

/// One decimal is plenty for pixels, and keeps the SVG short.
fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
