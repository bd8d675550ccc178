//! The HTML report: the drifted and compliant examples rendered and read back
//! with an HTML5 parser (html5ever, as a browser parses), for their content
//! and structure; coverage gaps drawn as "not read"; hostile names and tags
//! kept as text; suppressions, drift and Terraform locations through the CLI.

use crate::reports::render_snapshot;
use crate::util::{archaudit, repo};
use archaudit::engine::{Evaluation, Severity};
use archaudit::report::HtmlReporter;
use archaudit::snapshot::{load_snapshot, parse_snapshot, Snapshot};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeSet;

pub const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";
pub const COMPLIANT: &str = "fixtures/snapshots/reference-compliant.json";
const NEXT_DAY: &str = "fixtures/snapshots/reference-drifted-next-day.json";

pub const SHARED: &str = "318465720941";
pub const PRODUCTION: &str = "571293840655";
pub const DEVELOPMENT: &str = "729384615022";
pub const MANAGEMENT: &str = "406520781234";

/// Renders a snapshot through the library; the evaluation and the page.
fn render(snapshot: &Snapshot) -> (Evaluation, String) {
    render_snapshot(snapshot, &mut HtmlReporter::new(Some(snapshot), false))
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

fn text(el: &ElementRef) -> String {
    el.text().collect::<String>()
}

/// The class of the tile `label` on the card of `account`.
pub fn tile_class(doc: &Html, account: &str, label: &str) -> String {
    let card = select(doc, &format!("#arch-picture g.card[data-a=\"{account}\"]"));
    assert_eq!(card.len(), 1, "one card for {account}");
    let tile = card[0]
        .select(&sel("g.tile"))
        .find(|t| t.select(&sel("text.tl")).any(|l| text(&l) == label))
        .unwrap_or_else(|| panic!("{account} has a {label} tile"));
    tile.value().attr("class").unwrap().to_string()
}

/// The heat map cell of (account, area).
fn heat_cell<'a>(doc: &'a Html, account: &str, area: &str) -> ElementRef<'a> {
    let cells = select(
        doc,
        &format!("#heat-map g.cell[data-a=\"{account}\"][data-area=\"{area}\"]"),
    );
    assert_eq!(cells.len(), 1, "one cell for {account} x {area}");
    cells[0]
}

/// Nothing in the page loads from anywhere: no external script, style,
/// font, image or frame, and no script outside the one constant block.
pub fn assert_self_contained(html: &str, doc: &Html) {
    for css in [
        "script[src]",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "image",
        "use",
    ] {
        assert!(select(doc, css).is_empty(), "no {css} in the page");
    }
    let scripts = select(doc, "script");
    assert_eq!(scripts.len(), 1, "one script");
    assert_eq!(
        text(&scripts[0]),
        include_str!("../templates/report.js"),
        "the script is the constant asset: no data inside it"
    );
    for needle in ["@import", "url(http", "url(//", "@font-face"] {
        assert!(!html.contains(needle), "no {needle}");
    }
    // Links are only in rule docs, to documentation; nothing is fetched by them.
    for a in select(doc, "a[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(
            href.starts_with('#') || href.starts_with("https://"),
            "{href}"
        );
    }
}

#[test]
fn drifted_example_has_every_finding_account_and_the_architecture() {
    let snapshot = load_snapshot(&repo(DRIFTED)).unwrap();
    let (evaluation, html) = render(&snapshot);
    assert_eq!(evaluation.findings.len(), 147);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "well-formed HTML: {:?}", doc.errors);
    assert_self_contained(&html, &doc);
    assert_eq!(
        text(&select(&doc, "title")[0]),
        "archaudit report · o-7k2p9x4m1q"
    );
    assert_eq!(
        text(&select(&doc, ".verdict.failed")[0]),
        "Result: FAILED (--fail-on high)."
    );

    // Every finding once, by fingerprint, under the group of its rule.
    let rows = select(&doc, "#groups tr.f");
    let shown: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.value().attr("data-fp").unwrap())
        .collect();
    let expected: BTreeSet<&str> = evaluation
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    assert_eq!(rows.len(), 147);
    assert_eq!(shown, expected);
    for f in &evaluation.findings {
        let group = select(&doc, &format!("details.group[data-rule=\"{}\"]", f.rule_id));
        assert_eq!(group.len(), 1, "one group for {}", f.rule_id);
        let row = group[0]
            .select(&sel(&format!("tr.f[data-fp=\"{}\"]", f.fingerprint)))
            .next()
            .unwrap_or_else(|| panic!("{} under {}", f.fingerprint, f.rule_id));
        let row_text = text(&row);
        assert!(row_text.contains(&f.message), "{row_text}");
        assert!(row_text.contains(&f.resource), "{row_text}");
        assert!(row_text.contains(f.severity.as_str()));
        assert_eq!(row.value().attr("data-a"), Some(f.account_id.as_str()));
        assert!(row.value().attr("hidden").is_none());
    }
    // Groups: most severe first, with the rule's docs rendered from its file.
    let groups = select(&doc, "details.group");
    let order: Vec<u8> = groups
        .iter()
        .map(|g| g.value().attr("data-s").unwrap().parse().unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] >= w[1]), "{order:?}");
    let waf = select(&doc, "details.group[data-rule=\"WAF001\"]")[0];
    assert_eq!(text(&waf.select(&sel("summary .n")).next().unwrap()), "2");
    let docs = waf.select(&sel("details.doc")).next().unwrap();
    assert!(
        text(&docs).contains("An internet-facing ALB takes traffic straight from the internet.")
    );
    let code = docs.select(&sel("pre code.language-hcl")).next().unwrap();
    assert!(text(&code).contains("resource \"aws_wafv2_web_acl_association\" \"ingress\""));
    assert!(text(&docs).contains("Security Hub ELB.16"));

    // Every account: in the accounts table, the picture and the heat map.
    for a in &evaluation.accounts {
        let row = select(&doc, &format!("#accounts tr[data-a=\"{}\"]", a.id));
        assert_eq!(row.len(), 1);
        assert!(text(&row[0]).contains(&a.name));
        assert_eq!(
            select(&doc, &format!("#arch-picture g.card[data-a=\"{}\"]", a.id)).len(),
            1
        );
        assert!(!select(&doc, &format!("#heat-map g.cell[data-a=\"{}\"]", a.id)).is_empty());
    }
    let lanes: Vec<String> = select(&doc, "#arch-picture .lane-title")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        lanes,
        [
            "Production · 1 account",
            "Shared · 1 account",
            "Development · 1 account",
            "Management · 1 account"
        ]
    );

    // The picture: presence from the snapshot, compliance from the rules.
    let bad = |class: String, sev: &str| {
        assert!(class.contains("st-bad") && class.contains(sev), "{class}");
    };
    assert!(
        tile_class(&doc, SHARED, "ECR").contains("st-missing"),
        "TOPO001: no repository"
    );
    assert!(tile_class(&doc, SHARED, "Grafana").contains("st-missing"));
    assert!(tile_class(&doc, SHARED, "Prometheus").contains("st-missing"));
    assert!(
        tile_class(&doc, DEVELOPMENT, "VPN").contains("st-missing"),
        "TOPO005"
    );
    assert!(
        tile_class(&doc, PRODUCTION, "WAF").contains("st-missing"),
        "WAF001: no web ACL"
    );
    bad(tile_class(&doc, SHARED, "WAF"), "s2"); // WAF002/003 on the hand-made ACL
    bad(tile_class(&doc, PRODUCTION, "EKS"), "s3");
    bad(tile_class(&doc, SHARED, "OpenSearch"), "s3");
    bad(tile_class(&doc, SHARED, "EFS"), "s3");
    bad(tile_class(&doc, DEVELOPMENT, "TF state"), "s3"); // TF006: no lock table
    assert!(tile_class(&doc, SHARED, "RDS").contains("st-bad"), "RDS003");
    // Present and clean: checked, no finding.
    assert!(
        tile_class(&doc, SHARED, "CloudWatch").contains("st-bad"),
        "OBS001"
    );
    assert!(tile_class(&doc, PRODUCTION, "ECR").contains("st-bad"));
    // The production Client VPN is not in the reference for that role.
    let vpn = tile_class(&doc, PRODUCTION, "VPN");
    assert!(vpn.contains("extra") && vpn.contains("st-bad"), "{vpn}");
    // Management: no reference role, so nothing is expected or missing.
    let management = select(
        &doc,
        &format!("#arch-picture g.card[data-a=\"{MANAGEMENT}\"]"),
    )[0];
    assert!(management.select(&sel(".st-missing")).next().is_none());
    assert!(tile_class(&doc, MANAGEMENT, "EKS").contains("st-empty"));
    assert!(
        select(&doc, "#arch-picture .st-unread").is_empty(),
        "everything was read"
    );

    // The heat map: worst severity by colour, a tick where checked and clean.
    let cell = heat_cell(&doc, PRODUCTION, "waf");
    assert_eq!(cell.value().attr("class"), Some("cell hit"));
    assert!(cell.select(&sel("rect.sq.s3")).next().is_some());
    assert_eq!(text(&cell.select(&sel("text.n")).next().unwrap()), "1");
    let cell = heat_cell(&doc, DEVELOPMENT, "ecr");
    assert_eq!(
        text(&cell.select(&sel("text.n")).next().unwrap()),
        "12",
        "ECR001 x3, ECR003 x4, ECR004 x4, ECR005"
    );
    assert_eq!(
        heat_cell(&doc, PRODUCTION, "data").value().attr("class"),
        Some("cell pass")
    );
    assert_eq!(
        heat_cell(&doc, MANAGEMENT, "topology")
            .value()
            .attr("class"),
        Some("cell pass")
    );
    assert_eq!(
        heat_cell(&doc, MANAGEMENT, "drift").value().attr("class"),
        Some("cell none"),
        "no --tfstate: the drift rules did not run"
    );
    assert!(select(&doc, "#heat-map rect.gap").is_empty());

    // Severity bars and coverage.
    let bars: Vec<String> = select(&doc, "svg.bars text.val").iter().map(text).collect();
    let count = |s: Severity| {
        evaluation
            .findings
            .iter()
            .filter(|f| f.severity == s)
            .count()
            .to_string()
    };
    assert_eq!(
        bars,
        [
            count(Severity::Critical),
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low)
        ]
    );
    assert!(text(&select(&doc, "#coverage")[0]).contains("Everything was read"));
    assert!(select(&doc, "#drift").is_empty(), "no baseline");
}

#[test]
fn compliant_example_draws_every_reference_component_as_ok() {
    let snapshot = load_snapshot(&repo(COMPLIANT)).unwrap();
    let (evaluation, html) = render(&snapshot);
    assert!(evaluation.findings.is_empty());
    let doc = Html::parse_document(&html);
    assert_self_contained(&html, &doc);
    assert!(select(&doc, "#groups details.group").is_empty());
    assert!(text(&select(&doc, "#findings")[0]).contains("No findings."));
    assert!(select(&doc, ".verdict.passed").len() == 1);
    for bad in [
        ".st-bad",
        ".st-missing",
        ".st-unread",
        ".empty-role",
        "rect.gap",
        "rect.sq",
    ] {
        assert!(
            select(&doc, &format!("#arch-picture {bad}, #heat-map {bad}")).is_empty(),
            "{bad}"
        );
    }
    let ok = |account: &str, labels: &[&str]| {
        for label in labels {
            let class = tile_class(&doc, account, label);
            assert!(class.contains("st-ok"), "{account} {label}: {class}");
        }
    };
    let common = ["EKS", "ECR", "WAF", "TF state", "Secrets"];
    ok(PRODUCTION, &common);
    ok(DEVELOPMENT, &common);
    ok(DEVELOPMENT, &["VPN"]);
    ok(SHARED, &common);
    ok(
        SHARED,
        &[
            "CloudWatch",
            "OpenSearch",
            "Grafana",
            "Prometheus",
            "RDS",
            "EFS",
        ],
    );
}

/// The drifted example with parts that could not be read.
fn with_gaps() -> Snapshot {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(DRIFTED)).unwrap()).unwrap();
    for account in json["accounts"].as_array_mut().unwrap() {
        let id = account["account"]["id"].as_str().unwrap().to_string();
        if id == PRODUCTION {
            // EKS denied in production.
            for c in account["coverage"].as_array_mut().unwrap() {
                if c["service"] == "eks" {
                    c["status"] = "error".into();
                    c["error"] = "AccessDenied".into();
                    c["message"] =
                        "AccessDeniedException: not authorized to perform eks:ListClusters".into();
                }
            }
            account["eks"]["clusters"] = serde_json::json!([]);
        }
        if id == SHARED {
            // Grafana never collected in shared: no coverage entry at all.
            account["coverage"]
                .as_array_mut()
                .unwrap()
                .retain(|c| c["service"] != "grafana");
        }
    }
    parse_snapshot(json.to_string().as_bytes(), "gaps.json").unwrap()
}

#[test]
fn coverage_gaps_are_drawn_as_not_read_never_as_passing() {
    let (evaluation, html) = render(&with_gaps());
    let doc = Html::parse_document(&html);
    assert!(!evaluation.gaps.is_empty());

    // EKS denied: the production tile is "not read", not ok and not missing,
    // although the cluster list is empty.
    let eks = tile_class(&doc, PRODUCTION, "EKS");
    assert!(eks.contains("st-unread"), "{eks}");
    let tile_text: Vec<String> = select(
        &doc,
        &format!("#arch-picture g.card[data-a=\"{PRODUCTION}\"] g.st-unread text.ts"),
    )
    .iter()
    .map(text)
    .collect();
    assert_eq!(tile_text, ["not read"]);
    assert!(
        tile_class(&doc, SHARED, "Grafana").contains("st-unread"),
        "never collected"
    );

    // The heat map hatches (production, eks): its rules were not evaluated.
    let cell = heat_cell(&doc, PRODUCTION, "eks");
    assert!(cell.select(&sel("rect.bg.gap")).next().is_some());
    assert!(
        cell.select(&sel("path.tick")).next().is_none(),
        "a gap is no pass"
    );
    let tooltip = text(&cell.select(&sel("title")).next().unwrap());
    assert!(
        tooltip.contains("not evaluated (data not read): EKS001, EKS002, EKS003, EKS004"),
        "{tooltip}"
    );

    // The coverage section lists each gap with its error and the rules it blocked.
    let coverage = select(&doc, "#coverage")[0];
    assert!(coverage.value().attr("class").unwrap().contains("has-gaps"));
    let rows: Vec<String> = coverage
        .select(&sel("tbody tr"))
        .map(|r| text(&r))
        .collect();
    assert!(
        rows.iter().any(|r| r.contains(PRODUCTION)
            && r.contains("eks")
            && r.contains("AccessDenied")
            && r.contains("eks:ListClusters")
            && r.contains("TOPO003")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains(SHARED)
            && r.contains("grafana")
            && r.contains("NotCollected")
            && r.contains("TOPO006")),
        "{rows:?}"
    );
    assert!(select(&doc, ".verdict.incomplete").len() == 1);
    let stat = select(&doc, ".stat.gap");
    assert_eq!(stat.len(), 1, "the not-evaluated count stands out");
    let segments: Vec<String> = select(&doc, "ul.keys li").iter().map(text).collect();
    assert!(
        segments
            .iter()
            .any(|s| s.ends_with("not evaluated (not read)") && !s.starts_with("0 ")),
        "{segments:?}"
    );
}

#[test]
fn an_unreachable_account_is_not_read_everywhere() {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(DRIFTED)).unwrap()).unwrap();
    for account in json["accounts"].as_array_mut().unwrap() {
        if account["account"]["id"] == DEVELOPMENT {
            let id = DEVELOPMENT;
            let name = account["account"].clone();
            *account = serde_json::json!({
                "account": name,
                "regions": ["eu-central-1"],
                "coverage": [{"region": "global", "service": "account", "status": "error", "error": "AssumeRoleFailed",
                    "message": format!("AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::{id}:role/OrganizationAccountAccessRole")}],
            });
        }
    }
    let snapshot = parse_snapshot(json.to_string().as_bytes(), "unreachable.json").unwrap();
    let (_, html) = render(&snapshot);
    let doc = Html::parse_document(&html);
    let card = select(
        &doc,
        &format!("#arch-picture g.card[data-a=\"{DEVELOPMENT}\"]"),
    )[0];
    // Nothing is known: every slot, expected here or not, is "not read".
    let classes: Vec<String> = card
        .select(&sel("g.tile"))
        .map(|t| t.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(classes.len(), 12);
    assert!(classes.iter().all(|c| c == "tile st-unread"), "{classes:?}");
    for cell in select(&doc, &format!("#heat-map g.cell[data-a=\"{DEVELOPMENT}\"]")) {
        assert_ne!(cell.value().attr("class"), Some("cell pass"));
        assert_ne!(cell.value().attr("class"), Some("cell hit"));
    }
}

/// Account names, tags and roles are attacker-controlled: they must stay text.
pub const HOSTILE_NAME: &str = "<img src=x onerror=\"document.title='pwned-name'\">";
pub const HOSTILE_TAG: &str =
    "</script><script>document.title='pwned-tag'</script><!-- \u{2028}\" onmouseover=\"x";
pub const HOSTILE_KEY: &str = "\"><svg onload=\"document.title='pwned-key'\">";
const HOSTILE_ROLE: &str = "<b>ops</b>";

/// The drifted example with a hostile account name, tag and role.
pub fn hostile_snapshot_json() -> String {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(DRIFTED)).unwrap()).unwrap();
    for account in json["accounts"].as_array_mut().unwrap() {
        if account["account"]["id"] == MANAGEMENT {
            account["account"]["name"] = HOSTILE_NAME.into();
            account["account"]["tags"]["Owner"] = HOSTILE_TAG.into();
            account["account"]["tags"][HOSTILE_KEY] = "1".into();
            account["account"]["tags"]["archaudit:role"] = HOSTILE_ROLE.into();
        }
    }
    json.to_string()
}

/// No element or attribute came from the hostile strings, and they are there as text.
pub fn assert_hostile_is_text(doc: &Html) {
    assert!(select(doc, "img, svg[onload], [onerror], [onload], [onmouseover]").is_empty());
    assert!(
        select(doc, "b").iter().all(|b| text(b) != "ops"),
        "no <b> from the role"
    );
    assert_eq!(select(doc, "script").len(), 1);
    let tags = select(doc, &format!("#accounts tr[data-a=\"{MANAGEMENT}\"] .tags"))[0];
    let tags = text(&tags);
    assert!(tags.contains(&format!("Owner={HOSTILE_TAG}")), "{tags}");
    assert!(tags.contains(HOSTILE_KEY), "{tags}");
    let row = text(&select(doc, &format!("#accounts tr[data-a=\"{MANAGEMENT}\"]"))[0]);
    assert!(
        row.contains(HOSTILE_NAME) && row.contains(HOSTILE_ROLE),
        "{row}"
    );
}

#[test]
fn hostile_names_and_tags_render_as_text() {
    let snapshot = parse_snapshot(hostile_snapshot_json().as_bytes(), "hostile.json").unwrap();
    let (_, html) = render(&snapshot);
    for raw in [
        HOSTILE_NAME,
        HOSTILE_TAG,
        HOSTILE_KEY,
        HOSTILE_ROLE,
        "<script>document",
    ] {
        assert!(!html.contains(raw), "{raw} went out unescaped");
    }
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_hostile_is_text(&doc);
    // The lane of the hostile role, and the management card, hold the name as text.
    let lanes: Vec<String> = select(&doc, "#arch-picture .lane-title")
        .iter()
        .map(text)
        .collect();
    assert!(
        lanes.contains(&format!("{HOSTILE_ROLE} · 1 account")),
        "{lanes:?}"
    );
    let options: Vec<String> = select(&doc, "#f-account option").iter().map(text).collect();
    assert!(
        options.iter().any(|o| o.starts_with(HOSTILE_NAME)),
        "{options:?}"
    );
}

#[test]
fn suppressed_findings_are_listed_hidden_with_reason_and_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("archaudit.toml");
    std::fs::write(
        &config,
        "[[suppress]]\nrule = \"EKS001\"\naccount = \"729384615022\"\nreason = \"VPN rollout, NET-7\"\nexpires = \"2099-06-30\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    for show in [false, true] {
        let mut args = vec!["check", DRIFTED, "--format", "html", "--config", config];
        if show {
            args.push("--show-suppressed");
        }
        let (code, html, stderr) = archaudit(&args);
        assert_eq!(code, 1, "{stderr}");
        let doc = Html::parse_document(&html);
        let rows = select(&doc, "tr.f.sup");
        assert_eq!(rows.len(), 1);
        let row = rows[0];
        assert_eq!(row.value().attr("data-a"), Some(DEVELOPMENT));
        assert_eq!(row.value().attr("hidden").is_some(), !show);
        assert!(text(&row).contains("Suppressed: VPN rollout, NET-7 (until 2099-06-30)"));
        assert_eq!(select(&doc, "tr.f:not(.sup)").len(), 146);
        let checkbox = select(&doc, "#f-sup")[0];
        assert_eq!(checkbox.value().attr("checked").is_some(), show);
        let group = select(&doc, "details.group[data-rule=\"EKS001\"]")[0];
        assert_eq!(text(&group.select(&sel("summary .n")).next().unwrap()), "2");
        assert!(text(&group).contains("+1 suppressed"));
    }
}

#[test]
fn diff_shows_new_resolved_not_reevaluated_and_changed_fields() {
    let (code, html, stderr) = archaudit(&["diff", DRIFTED, NEXT_DAY, "--format", "html"]);
    assert_eq!(code, 1, "{stderr}");
    let doc = Html::parse_document(&html);
    assert_self_contained(&html, &doc);
    assert_eq!(text(&select(&doc, "title")[0]), "archaudit diff");
    let counts: Vec<String> = select(&doc, "#drift .stat").iter().map(text).collect();
    assert_eq!(
        counts,
        [
            "4new",
            "3updated",
            "137unchanged",
            "3resolved",
            "4not re-evaluated"
        ]
    );
    let state = |st: &str| select(&doc, &format!("#groups tr.f[data-st=\"{st}\"]")).len();
    assert_eq!(
        (state("new"), state("updated"), state("unchanged")),
        (4, 3, 137)
    );
    let updated = select(&doc, "#groups tr.f[data-st=\"updated\"] .sub");
    assert!(updated.iter().any(|s| text(s).starts_with("was: ")));
    let drift = select(&doc, "#drift")[0];
    let tables: Vec<ElementRef> = drift.select(&sel("table.listed")).collect();
    assert_eq!(tables.len(), 2);
    let resolved: BTreeSet<String> = tables[0]
        .select(&sel("tbody tr"))
        .map(|r| text(&r.select(&sel("code")).next().unwrap()))
        .collect();
    assert_eq!(
        resolved,
        ["ELB002", "OBS001", "WAF001"].map(String::from).into()
    );
    assert_eq!(
        tables[1].select(&sel("tbody tr")).count(),
        4,
        "RDS not read the next day"
    );
    // Resources: field by field.
    let changes: Vec<String> = drift
        .select(&sel("table.changes tbody tr"))
        .map(|r| text(&r))
        .collect();
    assert!(
        changes
            .iter()
            .any(|r| r.contains("listeners :443 ssl_policy")
                && r.contains("ELBSecurityPolicy-TLS13-1-2-2021-06")
                && r.contains("ELBSecurityPolicy-2016-08")),
        "{changes:?}"
    );
    assert!(changes
        .iter()
        .any(|r| r.contains("retention_in_days") && r.contains("(absent)") && r.contains("30")));
    assert!(changes
        .iter()
        .any(|r| r.contains("added") && r.contains("krci/audit-scratch")));
    assert!(changes
        .iter()
        .any(|r| r.contains("removed") && r.contains("ops-readonly")));
    assert!(text(&drift).contains("729384615022 eu-central-1 rds: read in old only, not compared"));
    // Development's RDS was not read the next day: its tile says so.
    assert!(tile_class(&doc, DEVELOPMENT, "RDS").contains("st-unread"));
}

#[test]
fn baseline_marks_findings_and_compares_resources() {
    let (code, html, stderr) =
        archaudit(&["check", NEXT_DAY, "--baseline", DRIFTED, "--format", "html"]);
    assert_eq!(code, 1, "{stderr}");
    let doc = Html::parse_document(&html);
    let drift = text(&select(&doc, "#drift")[0]);
    assert!(
        drift.contains(&format!("Since the baseline {DRIFTED}")),
        "{drift}"
    );
    assert!(
        drift.contains("listeners :443 ssl_policy"),
        "resources compared: {drift}"
    );
    assert_eq!(select(&doc, "#f-state option").len(), 4);
    assert_eq!(select(&doc, "#groups tr.f[data-st=\"new\"]").len(), 4);
    assert_eq!(
        select(&doc, ".stat")
            .iter()
            .filter(|s| text(s) == "4new since baseline")
            .count(),
        1
    );

    // A JSON report as baseline: findings compared, resources cannot be.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let (_, json, _) = archaudit(&["check", DRIFTED, "--format", "json"]);
    std::fs::write(&old, json).unwrap();
    let (_, html, _) = archaudit(&[
        "check",
        NEXT_DAY,
        "--baseline",
        old.to_str().unwrap(),
        "--format",
        "html",
    ]);
    let doc = Html::parse_document(&html);
    let drift = text(&select(&doc, "#drift")[0]);
    assert!(drift.contains("this baseline is a JSON report"), "{drift}");
    assert_eq!(select(&doc, "#groups tr.f[data-st=\"new\"]").len(), 4);
}

#[test]
fn diff_of_json_reports_draws_no_picture_and_claims_no_pass() {
    let dir = tempfile::tempdir().unwrap();
    let [old, new] = ["old.json", "new.json"].map(|n| dir.path().join(n));
    for (path, input) in [(&old, DRIFTED), (&new, NEXT_DAY)] {
        let (_, json, _) = archaudit(&["check", input, "--format", "json"]);
        std::fs::write(path, json).unwrap();
    }
    let (_, html, stderr) = archaudit(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "html",
    ]);
    let doc = Html::parse_document(&html);
    assert!(select(&doc, "#arch-picture").is_empty(), "{stderr}");
    assert!(text(&select(&doc, "#architecture")[0]).contains("The picture needs a snapshot"));
    assert!(
        select(&doc, "#heat-map g.cell.pass").is_empty(),
        "a JSON report does not say what ran"
    );
    assert!(!select(&doc, "#heat-map g.cell.unknown").is_empty());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&new).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap().len();
    assert_eq!(
        findings, 144,
        "147 - 3 resolved - 4 not re-evaluated + 4 new"
    );
    assert_eq!(select(&doc, "#groups tr.f").len(), findings);
}

#[test]
fn terraform_locations_are_shown_with_tfstate() {
    let (code, html, stderr) = archaudit(&[
        "check",
        DRIFTED,
        "--format",
        "html",
        "--tfstate",
        "fixtures/terraform/states/shared.tfstate",
        "--tf-dir",
        "fixtures/terraform/shared",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let doc = Html::parse_document(&html);
    assert_eq!(
        select(&doc, "table.findings th[data-sort=\"tf\"]").len(),
        select(&doc, "table.findings").len()
    );
    let cells: Vec<String> = select(&doc, "tr.f td.tf").iter().map(text).collect();
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("fixtures/terraform/shared/") && c.contains(".tf:")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "unmanaged"), "{cells:?}");
}
