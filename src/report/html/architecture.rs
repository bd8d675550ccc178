//! The organization drawn against the reference architecture: one lane per
//! account role (Production, Shared, Development, then any other role), one
//! card per account, and on each card the reference components it holds.
//!
//! Presence comes from the snapshot (what was read); compliance from the
//! findings of the rules that judge a component (by rule area and the
//! services the rule reads); "not read" from coverage. A component whose
//! data was not read is drawn as not read, never as present or passing.

use super::{account_order, truncate, Index};
use crate::engine::{Finding, Rule, Severity};
use crate::report::plural;
use crate::snapshot::{
    is_global_service, AccountSnapshot, CoverageStatus, Snapshot, Tags, GLOBAL_REGION,
};
use std::collections::BTreeMap;

/// The roles of the reference architecture, in the order they are drawn.
pub(super) const REFERENCE_ROLES: [&str; 3] = ["production", "shared", "development"];

/// One component of the reference deployment.
struct Component {
    /// Short label drawn on the tile.
    label: &'static str,
    /// What the tile stands for, in its tooltip.
    name: &'static str,
    /// The roles whose accounts the reference puts it in.
    roles: &'static [&'static str],
    /// Coverage keys its presence is read from.
    services: &'static [&'static str],
    /// A rule judges the component when the rule is of one of these areas and
    /// reads one of `rule_services`.
    areas: &'static [&'static str],
    rule_services: &'static [&'static str],
    /// How many there are, and a few names.
    present: fn(&AccountSnapshot) -> (usize, String),
}

const ALL: &[&str] = &REFERENCE_ROLES;
const SHARED: &[&str] = &["shared"];

/// The tiles of a card, in the order they are drawn (four to a row).
const COMPONENTS: &[Component] = &[
    Component {
        label: "EKS",
        name: "EKS cluster",
        roles: ALL,
        services: &["eks"],
        areas: &["eks", "topology"],
        rule_services: &["eks", "eks-addons", "ec2"],
        present: |a| {
            names(
                a.eks
                    .clusters
                    .iter()
                    .map(|c| format!("{} ({})", c.name, c.version)),
                "cluster",
            )
        },
    },
    Component {
        label: "ECR",
        name: "ECR repositories",
        roles: ALL,
        services: &["ecr"],
        areas: &["ecr", "topology"],
        rule_services: &["ecr"],
        present: |a| {
            names(
                a.ecr.repositories.iter().map(|r| r.name.clone()),
                "repository",
            )
        },
    },
    Component {
        label: "WAF",
        name: "WAF web ACL on the internet-facing ALBs",
        roles: ALL,
        services: &["elbv2", "wafv2"],
        areas: &["waf"],
        rule_services: &["elbv2", "wafv2"],
        present: waf,
    },
    Component {
        label: "TF state",
        name: "Terraform state backend (S3 bucket, DynamoDB lock table)",
        roles: ALL,
        services: &["s3", "dynamodb"],
        areas: &["terraform"],
        rule_services: &["s3", "dynamodb"],
        present: terraform_backend,
    },
    Component {
        label: "Secrets",
        name: "Parameter Store / Secrets Manager",
        roles: ALL,
        services: &["ssm", "secretsmanager"],
        areas: &["secrets"],
        rule_services: &["ssm", "secretsmanager"],
        present: |a| {
            let (p, s) = (a.ssm.parameters.len(), a.secretsmanager.secrets.len());
            (
                p + s,
                format!("{}, {}", plural(p, "parameter"), plural(s, "secret")),
            )
        },
    },
    Component {
        label: "CloudWatch",
        name: "CloudWatch Logs",
        roles: SHARED,
        services: &["logs"],
        areas: &["observability", "topology"],
        rule_services: &["logs"],
        present: |a| {
            names(
                a.logs.log_groups.iter().map(|g| g.name.clone()),
                "log group",
            )
        },
    },
    Component {
        label: "OpenSearch",
        name: "OpenSearch Service domain",
        roles: SHARED,
        services: &["opensearch"],
        areas: &["observability", "topology"],
        rule_services: &["opensearch"],
        present: |a| {
            names(
                a.opensearch.domains.iter().map(|d| d.name.clone()),
                "domain",
            )
        },
    },
    Component {
        label: "Grafana",
        name: "Amazon Managed Grafana workspace",
        roles: SHARED,
        services: &["grafana"],
        areas: &["observability", "topology"],
        rule_services: &["grafana"],
        present: |a| {
            names(
                a.grafana
                    .workspaces
                    .iter()
                    .map(|w| w.name.clone().unwrap_or_else(|| w.id.clone())),
                "workspace",
            )
        },
    },
    Component {
        label: "Prometheus",
        name: "Amazon Managed Service for Prometheus workspace",
        roles: SHARED,
        services: &["amp"],
        areas: &["observability", "topology"],
        rule_services: &["amp"],
        present: |a| {
            names(
                a.amp
                    .workspaces
                    .iter()
                    .map(|w| w.alias.clone().unwrap_or_else(|| w.id.clone())),
                "workspace",
            )
        },
    },
    Component {
        label: "RDS",
        name: "RDS databases",
        roles: SHARED,
        services: &["rds"],
        areas: &["data", "topology"],
        rule_services: &["rds"],
        present: |a| {
            names(
                a.rds
                    .instances
                    .iter()
                    .map(|i| i.id.clone())
                    .chain(a.rds.clusters.iter().map(|c| c.id.clone())),
                "database",
            )
        },
    },
    Component {
        label: "EFS",
        name: "EFS file systems",
        roles: SHARED,
        services: &["efs"],
        areas: &["data", "topology"],
        rule_services: &["efs"],
        present: |a| {
            names(
                a.efs
                    .file_systems
                    .iter()
                    .map(|f| f.name.clone().unwrap_or_else(|| f.id.clone())),
                "file system",
            )
        },
    },
    Component {
        label: "VPN",
        name: "Client VPN endpoint",
        roles: &["development"],
        services: &["ec2-client-vpn"],
        areas: &["network", "topology"],
        rule_services: &["ec2-client-vpn"],
        present: |a| {
            names(
                a.ec2.client_vpn_endpoints.iter().map(|e| e.id.clone()),
                "endpoint",
            )
        },
    },
];

/// `2 clusters: a, b`, at most three names.
fn names(items: impl Iterator<Item = String>, what: &str) -> (usize, String) {
    let all: Vec<String> = items.collect();
    let mut shown: Vec<String> = all.iter().take(3).cloned().collect();
    if all.len() > 3 {
        shown.push(format!("{} more", all.len() - 3));
    }
    let detail = if all.is_empty() {
        format!("no {what}")
    } else {
        format!("{}: {}", plural(all.len(), what), shown.join(", "))
    };
    (all.len(), detail)
}

/// Internet-facing ALBs with a web ACL (from the ALB or the ACL's side).
fn waf(a: &AccountSnapshot) -> (usize, String) {
    let ingress: Vec<_> = a
        .elbv2
        .load_balancers
        .iter()
        .filter(|lb| lb.lb_type == "application" && lb.scheme == "internet-facing")
        .collect();
    let protected = ingress
        .iter()
        .filter(|lb| {
            lb.web_acl_arn.is_some()
                || a.wafv2
                    .web_acls
                    .iter()
                    .any(|acl| acl.associated_resources.contains(&lb.arn))
        })
        .count();
    let detail = if ingress.is_empty() {
        "no internet-facing ALB".to_string()
    } else {
        format!(
            "{protected} of {} internet-facing ALBs with a web ACL",
            ingress.len()
        )
    };
    (protected, detail)
}

/// The state bucket (by the reference's and common names) and lock tables.
fn terraform_backend(a: &AccountSnapshot) -> (usize, String) {
    let own = format!("terraform-states-{}", a.account.id);
    let buckets: Vec<&str> =
        a.s3.buckets
            .iter()
            .map(|b| b.name.as_str())
            .filter(|n| {
                *n == own
                    || n.starts_with("terraform-states")
                    || n.contains("tfstate")
                    || n.contains("terraform-state")
            })
            .collect();
    let tables = a
        .dynamodb
        .tables
        .iter()
        .filter(|t| {
            t.key_schema
                .iter()
                .any(|k| k.key_type == "HASH" && k.attribute_name == "LockID")
        })
        .count();
    let detail = match buckets.as_slice() {
        [] => "no state bucket".to_string(),
        names => format!(
            "bucket {}, {}",
            names.join(", "),
            plural(tables, "lock table")
        ),
    };
    (buckets.len(), detail)
}

/// What the snapshot holds of one component in one account.
#[derive(Debug, Clone)]
struct Presence {
    count: usize,
    detail: String,
    /// Every region (or the global part) of its services was read.
    read: bool,
}

/// One account as the snapshot holds it: the components found and its tags.
#[derive(Debug, Clone)]
pub(super) struct AccountInventory {
    presence: Vec<Presence>,
    pub tags: Tags,
    pub status: Option<String>,
}

/// What the picture needs from a snapshot, computed when the reporter is made.
#[derive(Debug, Clone, Default)]
pub(super) struct Inventory {
    pub organization: Option<String>,
    pub accounts: BTreeMap<String, AccountInventory>,
}

impl Inventory {
    pub fn new(snapshot: &Snapshot) -> Inventory {
        let accounts = snapshot
            .accounts
            .iter()
            .map(|a| {
                let presence = COMPONENTS
                    .iter()
                    .map(|c| {
                        let (count, detail) = (c.present)(a);
                        Presence {
                            count,
                            detail,
                            read: c.services.iter().all(|s| read(a, s)),
                        }
                    })
                    .collect();
                (
                    a.account.id.clone(),
                    AccountInventory {
                        presence,
                        tags: a.account.tags.clone(),
                        status: a.account.status.clone(),
                    },
                )
            })
            .collect();
        Inventory {
            organization: snapshot.organization.as_ref().map(|o| o.id.clone()),
            accounts,
        }
    }
}

/// Whether `service` was read completely in every region of the account.
fn read(a: &AccountSnapshot, service: &str) -> bool {
    let ok = |region: &str| {
        a.coverage
            .iter()
            .any(|c| c.region == region && c.service == service && c.status == CoverageStatus::Ok)
    };
    if is_global_service(service) {
        ok(GLOBAL_REGION)
    } else {
        !a.regions.is_empty() && a.regions.iter().all(|r| ok(r))
    }
}

/// A component's state in one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Present, judged by at least one rule, no finding, everything read.
    Ok,
    /// Present with findings; the worst severity and the count.
    Failing(Severity, usize),
    /// Expected by the reference, read, and absent.
    Missing,
    /// Its data (or that of a rule judging it) was not read.
    NotRead,
    /// Present, but no rule that judges it ran here.
    Unchecked,
    /// Not expected here and absent: an empty slot.
    Empty,
}

impl State {
    fn class(self) -> &'static str {
        match self {
            State::Ok => "st-ok",
            State::Failing(s, _) => match s {
                Severity::Critical => "st-bad s4",
                Severity::High => "st-bad s3",
                Severity::Medium => "st-bad s2",
                Severity::Low => "st-bad s1",
            },
            State::Missing => "st-missing",
            State::NotRead => "st-unread",
            State::Unchecked => "st-unchecked",
            State::Empty => "st-empty",
        }
    }

    fn text(self) -> String {
        match self {
            State::Ok => "ok".into(),
            State::Failing(s, n) => format!("{n} {}", s.as_str()),
            State::Missing => "missing".into(),
            State::NotRead => "not read".into(),
            State::Unchecked => "unchecked".into(),
            State::Empty => String::new(),
        }
    }
}

/// Whether a finding only says that a component is absent: a topology rule
/// about the account itself. Presence decides those tiles, not the finding.
fn about_presence(f: &Finding, rule: Option<&Rule>) -> bool {
    rule.is_some_and(|r| r.area == "topology") && f.resource.ends_with(":root")
}

fn judges(c: &Component, rule: &Rule) -> bool {
    c.areas.contains(&rule.area.as_str())
        && rule
            .services
            .iter()
            .any(|s| c.rule_services.contains(&s.as_str()))
}

/// Geometry of a full card: tiles of 68 x 34, four to a row.
const TILE_W: f64 = 68.0;
const TILE_H: f64 = 34.0;
const TILE_GAP: f64 = 4.0;
const CARD_PAD: f64 = 8.0;
const CARD_HEAD: f64 = 40.0;
/// A compact card (large organizations): one row of small squares.
const SQ: f64 = 14.0;
const SQ_GAP: f64 = 3.0;
/// Above this many accounts, cards are compact.
const COMPACT_ABOVE: usize = 15;
const LANE_PAD: f64 = 10.0;
const LANE_HEAD: f64 = 46.0;
const LANE_GAP: f64 = 12.0;
const CARD_GAP: f64 = 10.0;
/// Four lanes of full cards fit side by side.
const MAX_WIDTH: f64 = 1320.0;

pub(super) struct Tile {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: &'static str,
    pub text: String,
    pub class: &'static str,
    pub tooltip: String,
    /// Not in the reference for this role, but present.
    pub extra: bool,
}

pub(super) struct Card {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub account_id: String,
    pub name: String,
    pub sub: String,
    pub tooltip: String,
    pub tiles: Vec<Tile>,
}

/// A label over a column of compact squares.
pub(super) struct SlotLabel {
    pub x: f64,
    pub y: f64,
    pub text: &'static str,
}

pub(super) struct Lane {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub title: String,
    pub caption: String,
    pub reference: bool,
    pub cards: Vec<Card>,
    /// A reference role that no account has.
    pub empty: Option<(f64, f64, f64, f64)>,
    pub slot_labels: Vec<SlotLabel>,
}

pub(super) struct Picture {
    pub width: f64,
    pub height: f64,
    pub compact: bool,
    pub lanes: Vec<Lane>,
    pub organization: String,
}

fn caption(role: &str) -> &'static str {
    match role {
        "production" => "Business workloads; its own ECR",
        "shared" => "SonarQube, Nexus, Keycloak, Argo CD; RDS, EFS",
        "development" => "KubeRocketCI, Tekton; developers' VPN",
        crate::engine::UNASSIGNED => "No config rule or archaudit:role tag",
        _ => "Not a role of the reference",
    }
}

/// Lays out the picture of `inventory`, judged by the report's findings.
pub(super) fn picture(inventory: &Inventory, index: &Index) -> Picture {
    let report = index.report;
    let mut roles: Vec<String> = REFERENCE_ROLES.iter().map(|r| r.to_string()).collect();
    for a in account_order(report.evaluation.accounts.iter()) {
        if !roles.contains(&a.role) {
            roles.push(a.role.clone());
        }
    }
    let compact = report.evaluation.accounts.len() > COMPACT_ABOVE;
    let (card_w, card_h) = if compact {
        (
            2.0 * 6.0 + COMPONENTS.len() as f64 * (SQ + SQ_GAP) - SQ_GAP,
            40.0,
        )
    } else {
        (
            2.0 * CARD_PAD + 4.0 * TILE_W + 3.0 * TILE_GAP,
            CARD_HEAD + 3.0 * TILE_H + 2.0 * TILE_GAP + CARD_PAD,
        )
    };
    let labels_h = if compact { 52.0 } else { 0.0 };

    let mut lanes = Vec::new();
    let (mut x, mut y, mut row_h, mut width) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    let mut row_start = 0;
    for role in &roles {
        let accounts: Vec<_> = account_order(report.evaluation.accounts.iter())
            .into_iter()
            .filter(|a| &a.role == role)
            .collect();
        let n = accounts.len().max(1);
        // Full cards stack three deep; compact ones fill the width (five across).
        let cols = if compact {
            n.min(5)
        } else {
            n.div_ceil(3).min(4)
        };
        let rows = n.div_ceil(cols);
        let w = 2.0 * LANE_PAD + cols as f64 * card_w + (cols - 1) as f64 * CARD_GAP;
        let h = LANE_HEAD + labels_h + rows as f64 * (card_h + CARD_GAP) - CARD_GAP + LANE_PAD;
        if x > 0.0 && x + w > MAX_WIDTH {
            finish_row(&mut lanes[row_start..], row_h);
            y += row_h + LANE_GAP;
            x = 0.0;
            row_h = 0.0;
            row_start = lanes.len();
        }
        let mut lane = Lane {
            x,
            y,
            w,
            h,
            title: format!(
                "{} · {}",
                title_case(role),
                plural(accounts.len(), "account")
            ),
            caption: caption(role).to_string(),
            reference: REFERENCE_ROLES.contains(&role.as_str()),
            cards: Vec::new(),
            empty: None,
            slot_labels: Vec::new(),
        };
        let top = y + LANE_HEAD + labels_h;
        if compact {
            for col in 0..cols.min(accounts.len().max(1)) {
                let cx = x + LANE_PAD + col as f64 * (card_w + CARD_GAP) + 6.0;
                for (i, c) in COMPONENTS.iter().enumerate() {
                    lane.slot_labels.push(SlotLabel {
                        x: cx + i as f64 * (SQ + SQ_GAP) + SQ / 2.0 + 3.0,
                        y: top - 4.0,
                        text: c.label,
                    });
                }
            }
        }
        if accounts.is_empty() {
            lane.empty = Some((x + LANE_PAD, top, card_w, card_h));
        }
        for (i, account) in accounts.iter().enumerate() {
            let (col, row) = (i / rows, i % rows);
            let cx = x + LANE_PAD + col as f64 * (card_w + CARD_GAP);
            let cy = top + row as f64 * (card_h + CARD_GAP);
            lane.cards.push(card(
                inventory,
                index,
                account,
                (cx, cy, card_w, card_h),
                compact,
            ));
        }
        x += w + LANE_GAP;
        width = width.max(x - LANE_GAP);
        row_h = row_h.max(h);
        lanes.push(lane);
    }
    finish_row(&mut lanes[row_start..], row_h);
    Picture {
        width,
        height: y + row_h,
        compact,
        lanes,
        organization: inventory
            .organization
            .clone()
            .unwrap_or_else(|| "accounts".to_string()),
    }
}

/// Gives the lanes of one row the row's height.
fn finish_row(lanes: &mut [Lane], height: f64) {
    for lane in lanes {
        lane.h = height;
    }
}

fn title_case(role: &str) -> String {
    let mut chars = role.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn card(
    inventory: &Inventory,
    index: &Index,
    account: &crate::engine::AccountInfo,
    (x, y, w, h): (f64, f64, f64, f64),
    compact: bool,
) -> Card {
    let inv = inventory.accounts.get(&account.id);
    let role = (account.role != crate::engine::UNASSIGNED).then_some(account.role.as_str());
    let mut tiles = Vec::new();
    for (i, c) in COMPONENTS.iter().enumerate() {
        let expected = role.is_some_and(|r| c.roles.contains(&r));
        let presence = inv.map(|inv| &inv.presence[i]);
        let state = state_of(c, expected, presence, index, &account.id);
        let (tx, ty, tw, th) = if compact {
            (x + 6.0 + i as f64 * (SQ + SQ_GAP), y + 20.0, SQ, SQ)
        } else {
            (
                x + CARD_PAD + (i % 4) as f64 * (TILE_W + TILE_GAP),
                y + CARD_HEAD + (i / 4) as f64 * (TILE_H + TILE_GAP),
                TILE_W,
                TILE_H,
            )
        };
        let detail = match presence {
            None => "not in the snapshot",
            Some(p) if !p.read => "not read",
            Some(p) => p.detail.as_str(),
        };
        let expectation = if expected {
            "in the reference for this role"
        } else {
            "not in the reference for this role"
        };
        tiles.push(Tile {
            x: tx,
            y: ty,
            w: tw,
            h: th,
            label: c.label,
            text: state.text(),
            class: state.class(),
            tooltip: format!(
                "{}: {} ({detail}; {expectation}){}",
                c.name,
                state_words(state),
                findings_note(c, index, &account.id)
            ),
            extra: !expected && presence.is_some_and(|p| p.count > 0),
        });
    }
    let name_len = if compact { 26 } else { 34 };
    Card {
        x,
        y,
        w,
        h,
        account_id: account.id.clone(),
        name: truncate(&account.name, name_len),
        sub: if compact {
            String::new()
        } else {
            match inv.and_then(|i| i.status.as_deref()) {
                Some(status) if status != "ACTIVE" => format!("{} · {status}", account.id),
                _ => account.id.clone(),
            }
        },
        tooltip: format!("{} ({}) · {}", account.name, account.id, account.role),
        tiles,
    }
}

fn state_words(state: State) -> String {
    match state {
        State::Ok => "present and compliant".into(),
        State::Failing(s, n) => format!(
            "present, non-compliant: {} (worst {s})",
            plural(n, "finding")
        ),
        State::Missing => "missing".into(),
        State::NotRead => "not read (coverage gap): not known".into(),
        State::Unchecked => "present; no rule judging it ran here".into(),
        State::Empty => "absent".into(),
    }
}

/// ` · findings: WAF001 x2, WAF003` for the tooltip.
fn findings_note(c: &Component, index: &Index, account: &str) -> String {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in index.findings_of(account) {
        if index.report.rule(&f.rule_id).is_some_and(|r| judges(c, r)) {
            *by_rule.entry(&f.rule_id).or_default() += 1;
        }
    }
    if by_rule.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = by_rule
        .iter()
        .map(|(rule, n)| {
            if *n == 1 {
                rule.to_string()
            } else {
                format!("{rule} x{n}")
            }
        })
        .collect();
    format!(" · findings: {}", parts.join(", "))
}

fn state_of(
    c: &Component,
    expected: bool,
    presence: Option<&Presence>,
    index: &Index,
    account: &str,
) -> State {
    let report = index.report;
    let judged = |id: &str| report.rule(id).is_some_and(|r| judges(c, r));
    let gap = index.gaps_of(account).any(|g| {
        g.service == "account"
            || c.services.contains(&g.service.as_str())
            || g.rules_not_evaluated.iter().any(|id| judged(id))
    });
    // Unread data is unknown, expected here or not: never drawn as absent.
    let Some(presence) = presence else {
        return State::NotRead;
    };
    if presence.count == 0 {
        return if !presence.read || gap {
            State::NotRead
        } else if expected {
            State::Missing
        } else {
            State::Empty
        };
    }
    let failing: Vec<&Finding> = index
        .findings_of(account)
        .filter(|f| {
            let rule = report.rule(&f.rule_id);
            rule.is_some_and(|r| judges(c, r)) && !about_presence(f, rule)
        })
        .collect();
    if let Some(worst) = failing.iter().map(|f| f.severity).max() {
        return State::Failing(worst, failing.len());
    }
    if gap || !presence.read {
        return State::NotRead;
    }
    let evaluated = report
        .evaluation
        .evaluated
        .as_ref()
        .and_then(|e| e.get(account))
        .is_some_and(|rules| rules.iter().any(|id| judged(id)));
    if evaluated {
        State::Ok
    } else {
        State::Unchecked
    }
}

/// The legend under the picture: (class, label, meaning).
pub(super) fn legend() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("st-ok", "ok", "present, checked, no finding"),
        (
            "st-bad s3",
            "2 high",
            "present with findings (colour: worst severity)",
        ),
        (
            "st-missing",
            "missing",
            "the reference puts it here; absent",
        ),
        (
            "st-unread",
            "not read",
            "its data could not be read: unknown, not a pass",
        ),
        ("st-unchecked", "unchecked", "present; no rule about it ran"),
    ]
}
