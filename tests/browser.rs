//! The HTML report in a real browser: headless Chromium (Debian's `chromium`,
//! installed by .ci/run) driven by its own flags. `--dump-dom` gives the DOM
//! after the page's script ran, `--enable-logging=stderr` the console
//! (script errors included), `--screenshot` a picture. Filtering is driven
//! through the page's fragment (`#f:...`), which sets the same controls a
//! person uses and runs the same code. No Rust DevTools client: the flags
//! cover what the test needs without another dependency tree in the test
//! binary. Without chromium the test fails and says how to install it.

use crate::html::{
    assert_hostile_is_text, assert_self_contained, hostile_snapshot_json, select, tile_class,
    COMPLIANT, DEVELOPMENT, DRIFTED, MANAGEMENT, PRODUCTION,
};
use crate::util::archaudit;
use scraper::Html;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser: `ARCHAUDIT_CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> PathBuf {
    let found = match std::env::var_os("ARCHAUDIT_CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        None => std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("chromium"))
                .find(|p| p.is_file())
        }),
    };
    found.unwrap_or_else(|| {
        panic!(
            "chromium is not installed, and the HTML report's browser test needs it: \
                 `apt-get install -y chromium` (as .ci/run does), or set ARCHAUDIT_CHROMIUM"
        )
    })
}

/// What one headless page load gave: the DOM after the script, and the
/// console messages (`INFO:CONSOLE` lines of Chromium's log).
struct Load {
    dom: String,
    console: Vec<String>,
}

/// Flags for a quiet headless run as root on a machine without network.
fn base_command(profile: &Path) -> Command {
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        // Lets the page's timers run before the DOM is taken.
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn url(page: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", page.display())
}

fn load(page: &Path, fragment: &str) -> Load {
    let profile = tempfile::tempdir().unwrap();
    let output = base_command(profile.path())
        .arg("--dump-dom")
        .arg(url(page, fragment))
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "chromium failed on {fragment:?}: {stderr}"
    );
    Load {
        dom: String::from_utf8(output.stdout).expect("utf-8 DOM"),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

fn screenshot(page: &Path, png: &Path, height: u32) {
    let profile = tempfile::tempdir().unwrap();
    let output = base_command(profile.path())
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size=1400,{height}"))
        .arg(url(page, ""))
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(png).expect("a screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, h), (1400, height));
    assert!(bytes.len() > 50_000, "a real picture, not a blank page");
}

/// Rows of findings the script left visible.
fn visible(doc: &Html) -> Vec<scraper::ElementRef<'_>> {
    select(doc, "#groups tr.f")
        .into_iter()
        .filter(|r| r.value().attr("hidden").is_none())
        .filter(|r| {
            r.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .all(|a| a.value().attr("hidden").is_none())
        })
        .collect()
}

fn fingerprints(rows: &[scraper::ElementRef]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| r.value().attr("data-fp").unwrap().to_string())
        .collect()
}

/// The text of the first element under `el` that `css` selects.
fn select_in(el: &scraper::ElementRef, css: &str) -> String {
    let selector = scraper::Selector::parse(css).unwrap();
    el.select(&selector).next().unwrap().text().collect()
}

fn count_line(doc: &Html) -> String {
    select(doc, "#f-count")[0].text().collect()
}

#[test]
fn report_opens_in_chromium_filters_and_keeps_hostile_text_inert() {
    // Without the browser, fail here with the reason, before any work.
    chromium();
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("hostile.json");
    std::fs::write(&snapshot, hostile_snapshot_json()).unwrap();
    let snapshot = snapshot.to_str().unwrap();
    let page = dir.path().join("report.html");
    let (code, _, stderr) = archaudit(&[
        "check",
        snapshot,
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let (_, json, _) = archaudit(&["check", snapshot, "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let all: BTreeSet<String> = findings
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let areas: std::collections::BTreeMap<String, String> = {
        let (_, rules, _) = archaudit(&["rules", "--format", "json"]);
        let rules: Value = serde_json::from_str(&rules).unwrap();
        rules
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["area"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let expect = |keep: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        findings
            .iter()
            .filter(|f| keep(f))
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };

    // Chromium loads the pages side by side: each run starts a browser.
    let views: Vec<(&str, String)> = vec![
        ("all", String::new()),
        ("critical", "#f:sev=4".to_string()),
        ("account-area", format!("#f:account={DEVELOPMENT}&area=ecr")),
        ("text", "#f:q=PAYMENTS-api&sev=2".to_string()),
        ("rule", "#f:rule=TF005".to_string()),
        ("sorted", "#f:rule=IAM005&sort=-resource".to_string()),
    ];
    let loads: Vec<(&str, Load)> = std::thread::scope(|s| {
        let handles: Vec<_> = views
            .iter()
            .map(|(name, fragment)| {
                let page = &page;
                s.spawn(move || (*name, load(page, fragment)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    for (name, load) in &loads {
        assert!(
            load.console.is_empty(),
            "{name}: the console logged {:?}",
            load.console
        );
        let doc = Html::parse_document(&load.dom);
        assert_eq!(
            select(&doc, "html[data-ready=\"1\"]").len(),
            1,
            "{name}: the script ran to its end"
        );
        // The hostile strings are text in the live DOM too: nothing ran.
        assert_eq!(
            select(&doc, "title")[0].text().collect::<String>(),
            "archaudit report · o-7k2p9x4m1q",
            "{name}"
        );
        assert_hostile_is_text(&doc);
        let rows = visible(&doc);
        let shown = fingerprints(&rows);
        match *name {
            "all" => {
                assert_self_contained(&load.dom, &doc);
                assert_eq!(shown, all, "every finding is shown");
                assert_eq!(count_line(&doc), "147 findings");
                for account in report["accounts"].as_array().unwrap() {
                    let id = account["id"].as_str().unwrap();
                    assert_eq!(
                        select(&doc, &format!("#arch-picture g.card[data-a=\"{id}\"]")).len(),
                        1,
                        "{id} drawn"
                    );
                    assert_eq!(
                        select(&doc, &format!("#accounts tr[data-a=\"{id}\"]")).len(),
                        1
                    );
                }
                assert!(tile_class(&doc, PRODUCTION, "WAF").contains("st-missing"));
                assert!(select(&doc, "#heat-map g.cell.hit").len() > 20);
            }
            "critical" => {
                let want = expect(&|f| f["severity"] == "critical");
                assert!(!want.is_empty());
                assert_eq!(shown, want);
                assert_eq!(
                    count_line(&doc),
                    format!("Showing {} of 147 findings", want.len())
                );
                let boxes: Vec<bool> = select(&doc, "input[name=sev]")
                    .iter()
                    .map(|b| b.value().attr("value") == Some("4"))
                    .collect();
                assert_eq!(boxes, [true, false, false, false]);
            }
            "account-area" => {
                let want = expect(&|f| {
                    f["account_id"] == DEVELOPMENT && areas[f["rule_id"].as_str().unwrap()] == "ecr"
                });
                assert_eq!(want.len(), 12);
                assert_eq!(shown, want);
            }
            "text" => {
                // Case-insensitive, over messages and resources, with the severities.
                let want = expect(&|f| {
                    let hay = format!("{} {}", f["message"], f["resource"]).to_lowercase();
                    hay.contains("payments-api") && f["severity"] == "medium"
                });
                // ECR001 x2, ECR002, TOPO007; the low ones (ECR003, ...) are filtered out.
                assert_eq!(want.len(), 4, "{want:?}");
                assert_eq!(shown, want);
            }
            "rule" => {
                let want = expect(&|f| f["rule_id"] == "TF005");
                assert_eq!(want.len(), 4);
                assert_eq!(shown, want);
                assert!(shown.iter().all(|fp| all.contains(fp)));
                let management = rows
                    .iter()
                    .filter(|r| r.value().attr("data-a") == Some(MANAGEMENT))
                    .count();
                assert_eq!(management, 1);
            }
            "sorted" => {
                // The rows of the group, by resource, descending.
                let resources: Vec<String> = rows.iter().map(|r| select_in(r, "td.arn")).collect();
                let mut want: Vec<String> = findings
                    .iter()
                    .filter(|f| f["rule_id"] == "IAM005")
                    .map(|f| f["resource"].as_str().unwrap().to_string())
                    .collect();
                want.sort_by_key(|r| std::cmp::Reverse(r.to_lowercase()));
                assert_eq!(want.len(), 5);
                assert_eq!(resources, want);
                let th = select(
                    &doc,
                    "details.group[data-rule=\"IAM005\"] th[data-sort=\"resource\"]",
                );
                assert_eq!(th[0].value().attr("aria-sort"), Some("descending"));
            }
            _ => unreachable!(),
        }
    }

    // Pictures of both examples, kept for people to look at.
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&out).unwrap();
    for (example, name) in [(DRIFTED, "drifted"), (COMPLIANT, "compliant")] {
        let page = out.join(format!("{name}.html"));
        archaudit(&[
            "check",
            example,
            "--format",
            "html",
            "--output",
            page.to_str().unwrap(),
        ]);
        screenshot(&page, &out.join(format!("{name}.png")), 2400);
    }
}
