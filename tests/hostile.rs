//! Hostile data in, trustworthy output out: the real binary over snapshots,
//! states, configs and rule files written by an attacker (control bytes,
//! mentions, autolinks, HTML, 50,000-character strings, broken dates,
//! malformed and duplicated accounts, size bombs, runaway rules). Each case
//! asserts the exact safe output or the exact one-line error.
//!
//! `fixtures/hostile/names.json` holds the payloads in names; large inputs
//! (bombs, long strings, big files) are generated here at run time.

use crate::util::{archaudit, assert_clean_error, repo};
use archaudit::report::escape::is_hostile;
use serde_json::{json, Value};

const NAMES: &str = "fixtures/hostile/names.json";
const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";

/// Whether `text` holds a character that must never reach a terminal raw (a
/// line break is the output's own).
fn has_hostile_chars(text: &str) -> bool {
    text.chars().any(|c| c != '\n' && is_hostile(c))
}

fn write(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn names() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo(NAMES)).unwrap()).unwrap()
}

/// The message of WAF001 for an ALB name, as the rule writes it.
fn waf001(name: &str) -> String {
    format!("internet-facing ALB {name} has no WAFv2 web ACL associated")
}

#[test]
fn the_table_shows_control_and_invisible_characters_escaped_on_their_own_lines() {
    let (code, stdout, stderr) = archaudit(&["check", NAMES, "--fail-on", "none"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!has_hostile_chars(&stdout), "{stdout:?}");
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "krci-shared\\n[forged] krci-production (571293840655), role production: 0 findings\\r\\x1b[2K \
         (318465720941), role shared: 20 findings"
    );
    assert!(
        !stdout.lines().any(|l| l.starts_with("[forged]")),
        "data started a line:\n{stdout}"
    );
    for shown in [
        r"clear\x1b[2J\x1b[Hscreen",
        r"\x1b]8;;https://evil.example/\x07docs.krci.example\x1b]8;;\x07",
        r"cr\rlf\nnul\x00bs\x08\x08del\x7fcsi\x9b31m",
        r"invoice\u{202e}gpj.exe zero\u{200b}width\u{2066}iso\u{2069}",
    ] {
        let cell = format!("┆ {} ", waf001(shown));
        assert_eq!(
            stdout.lines().filter(|l| l.contains(&cell)).count(),
            1,
            "{cell} in\n{stdout}"
        );
    }
    // Every finding is one row, on one line.
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains(" ┆ eu-central-1 ┆ arn:aws:elasticloadbalancing:"))
            .count(),
        20
    );
}

#[test]
fn json_and_sarif_carry_the_same_data_exactly() {
    let (_, stdout, _) = archaudit(&["check", NAMES, "--format", "json", "--fail-on", "none"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let snapshot = names();
    let account = &snapshot["accounts"][0];
    assert_eq!(report["accounts"][0]["name"], account["account"]["name"]);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "WAF001")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    for lb in account["elbv2"]["load_balancers"].as_array().unwrap() {
        let expected = waf001(lb["name"].as_str().unwrap());
        assert!(messages.contains(&expected.as_str()), "{expected:?}");
    }

    let (_, sarif, _) = archaudit(&["check", NAMES, "--format", "sarif", "--fail-on", "none"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let texts: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"]["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("clear\u{1b}[2J\u{1b}[Hscreen")),
        "{texts:?}"
    );
}

#[test]
fn markdown_leaves_no_mention_link_html_or_table_syntax_live() {
    let (_, stdout, _) = archaudit(&["check", NAMES, "--format", "markdown", "--fail-on", "none"]);
    assert!(!has_hostile_chars(&stdout));
    assert!(stdout.contains(
        "### krci-shared\\\\n\\[forged\\] krci-production (571293840655), role production: 0 findings\\\\r\\\\x1b\\[2K \
         (318465720941), role shared: 20 findings\n"
    ));
    let row = "| high | WAF001 alb-without-waf | eu-central-1 | \
        arn:aws:elasticloadbalancing:eu-central-1:318465720941:loadbalancer/app/markdown/5e6f7a8b9c0d1e2f | \
        internet-facing ALB @&#8203;octocat @&#8203;octo-org/security-team see https:&#8203;//evil.example/x \
        and www&#8203;.evil.example \\#&#8203;12 \\<img src=x onerror=alert(1)\\> \\| cell \\| \\`code\\` \
        \\*bold\\* \\[link\\](https:&#8203;//evil.example) \\$x\\$ has no WAFv2 web ACL associated |";
    assert!(stdout.lines().any(|l| l == row), "{row}\nin\n{stdout}");
    assert!(stdout.contains(
        "| internet-facing ALB \\\\x1b\\]8;;https:&#8203;//evil.example/\\\\x07docs.krci.example\\\\x1b\\]8;;\\\\x07 \
         has no WAFv2 web ACL associated |"
    ));
    // No live mention, link or tag anywhere, and every table row keeps its columns.
    assert!(!stdout.contains("@o") && !stdout.contains("://"));
    let tags: Vec<&str> = stdout
        .match_indices('<')
        .filter(|(i, _)| !stdout[..*i].ends_with('\\'))
        .map(|(i, _)| stdout[i..].split('>').next().unwrap())
        .collect();
    assert!(
        tags.iter()
            .all(|t| ["<details", "<summary", "</summary", "</details"].contains(t)),
        "{tags:?}"
    );
    assert_tables_keep_their_columns(&stdout);
}

/// Every row of every Markdown table has as many unescaped `|` as its header.
fn assert_tables_keep_their_columns(markdown: &str) {
    let pipes = |line: &str| {
        line.match_indices('|')
            .filter(|(i, _)| !line[..*i].ends_with('\\') || line[..*i].ends_with("\\\\"))
            .count()
    };
    let mut header = None;
    let mut rows = 0;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => header = Some(pipes(line)),
            Some(n) => {
                assert_eq!(pipes(line), n, "{line}");
                rows += 1;
            }
        }
    }
    assert!(rows > 20, "{rows} rows");
}

/// `names.json` with the load balancers renamed by `rename`.
fn renamed(rename: impl Fn(usize) -> String) -> Value {
    let mut snapshot = names();
    for (i, lb) in snapshot["accounts"][0]["elbv2"]["load_balancers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        lb["name"] = json!(rename(i));
    }
    snapshot
}

#[test]
fn fifty_thousand_characters_are_cut_in_cells_and_the_markdown_fits_a_comment() {
    let dir = tempfile::tempdir().unwrap();
    let long = "@".repeat(50_000);
    let mut snapshot = renamed(|_| long.clone());
    snapshot["accounts"][0]["account"]["name"] = json!("n".repeat(50_000));
    let path = write(&dir, "long.json", snapshot.to_string().as_bytes());

    let (_, table, _) = archaudit(&["check", &path, "--fail-on", "none"]);
    let cut = format!("┆ internet-facing ALB {}…(", "@".repeat(980));
    assert_eq!(
        table.lines().filter(|l| l.contains(&cut)).count(),
        20,
        "{table}"
    );
    let waf = format!("{cut}49,052 more characters) ");
    assert_eq!(
        table.lines().filter(|l| l.contains(&waf)).count(),
        5,
        "{table}"
    );
    assert!(table.starts_with(&format!(
        "{}…(49,000 more characters) (318465720941)",
        "n".repeat(1_000)
    )));

    let (_, markdown, _) =
        archaudit(&["check", &path, "--format", "markdown", "--fail-on", "none"]);
    assert!(markdown.len() <= 65_536, "{} bytes", markdown.len());
    assert!(markdown.contains("@&#8203;…("), "cut after a whole escape");
    assert!(
        markdown.ends_with(
            "---\n\n**This report shortens long values**: 21 values cut to 512 characters. \
         `--format json` (or `--format sarif`) gives the complete report.\n"
        ),
        "{}",
        &markdown[markdown.len() - 300..]
    );

    // JSON keeps every character.
    let (_, json, _) = archaudit(&["check", &path, "--format", "json", "--fail-on", "none"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["findings"][0]["message"], json!(waf001(&long)));
}

#[test]
fn a_report_over_a_comment_is_cut_at_a_row_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let template = names()["accounts"][0].clone();
    let lb = template["elbv2"]["load_balancers"][0].clone();
    // Three accounts of 150 findings each: 300 rows of about 450 characters.
    let accounts: Vec<Value> = ["318465720941", "571293840655", "729384615022"]
        .iter()
        .map(|id| {
            let mut account = template.clone();
            account["account"]["id"] = json!(id);
            account["account"]["name"] = json!(format!("krci-{id}"));
            let lbs: Vec<Value> = (0..50)
                .map(|i| {
                    let mut lb = lb.clone();
                    lb["name"] = json!(format!("alb-{i:03}-{}", "x".repeat(300)));
                    lb["arn"] = json!(format!(
                        "arn:aws:elasticloadbalancing:eu-central-1:{id}:loadbalancer/app/alb-{i:03}/{i:016x}"
                    ));
                    lb
                })
                .collect();
            account["elbv2"]["load_balancers"] = json!(lbs);
            account
        })
        .collect();
    let mut snapshot = names();
    snapshot["accounts"] = json!(accounts);
    let path = write(&dir, "many.json", snapshot.to_string().as_bytes());
    let (code, markdown, _) = archaudit(&["check", &path, "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(markdown.len() <= 65_536, "{} bytes", markdown.len());
    assert!(markdown.starts_with("## archaudit: 600 findings (high 150, medium 300, low 150)\n"));
    // The first account's table is whole (100 of its 200 rows, as always),
    // the second is cut where the report is full, the third and the coverage
    // gaps are left out; every <details> is closed.
    assert!(markdown.contains("### krci-318465720941 (318465720941), role shared: 200 findings\n"));
    assert!(markdown.contains("… and 100 more: the JSON and SARIF reports list them all.\n"));
    assert!(markdown.contains("### krci-571293840655 (571293840655), role shared: 200 findings\n"));
    assert!(!markdown.contains("### krci-729384615022") && !markdown.contains("### Coverage gaps"));
    let cut = markdown
        .lines()
        .find(|l| {
            l.ends_with(" more, left out to keep this report within the size of a GitHub comment.")
        })
        .expect("a cut table says so");
    let rest: usize = cut
        .strip_prefix("… and ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{cut}"));
    let shown = 200 - rest;
    assert!(shown > 0 && shown < 100, "{cut}");
    assert_eq!(
        markdown.matches("<details>").count(),
        markdown.matches("</details>").count()
    );
    assert_tables_keep_their_columns(&markdown);
    // The rest of the second table, the third, and 23 coverage gaps per account.
    let left_out = rest + 200 + 3 * 23;
    assert!(markdown.ends_with(&format!(
        "---\n\n**This report was cut to stay within GitHub's 65,536-character comment limit**: \
         {left_out} rows not shown. `--format json` (or `--format sarif`) gives the complete report.\n"
    )), "{}", &markdown[markdown.len() - 400..]);
}

#[test]
fn the_diff_renders_hostile_changes_inert() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(&dir, "old.json", names().to_string().as_bytes());
    let new = renamed(|i| format!("renamed-{i}\u{1b}]8;;https://evil.example\u{7}@octocat\r\n"));
    let new = write(&dir, "new.json", new.to_string().as_bytes());

    let (code, table, stderr) = archaudit(&["diff", &old, &new, "--fail-on", "none"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!has_hostile_chars(&table), "{table:?}");
    let row = table
        .lines()
        .find(|l| l.contains("loadbalancer/app/clear-screen/"))
        .unwrap();
    assert!(
        row.contains("┆ name  ┆ clear\\x1b[2J\\x1b[Hscreen ")
            && row.contains("┆ renamed-0\\x1b]8;;https://evil.example\\x07@octocat\\r\\n "),
        "{row}"
    );

    let (_, markdown, _) = archaudit(&[
        "diff",
        &old,
        &new,
        "--format",
        "markdown",
        "--fail-on",
        "none",
    ]);
    assert!(!has_hostile_chars(&markdown));
    assert!(markdown.contains(
        "| name | clear\\\\x1b\\[2J\\\\x1b\\[Hscreen | renamed-0\\\\x1b\\]8;;https:&#8203;//evil.example\\\\x07@&#8203;octocat\\\\r\\\\n |"
    ), "{markdown}");
}

/// A rule file of `id` whose `deny` body is `body` (one finding per load
/// balancer when the body holds).
fn rule(id: &str, name: &str, title: &str, body: &str) -> String {
    let package = name.replace('-', "_");
    format!(
        "# METADATA\n# title: {title}\n# description: A rule of the platform team.\n# custom:\n\
         #   id: {id}\n#   name: {name}\n#   severity: low\n#   roles: [any]\n#   services: [elbv2]\n\
         #   remediation: Fix it.\npackage archaudit.rules.{package}\n\nimport rego.v1\n\n\
         deny contains f if {{\n\tsome lb in input.elbv2.load_balancers\n{body}\n\
         \tf := {{\"resource\": lb.arn, \"region\": lb.region, \"message\": \"flagged\"}}\n}}\n"
    )
}

/// The one-line error of `check` with the rules in `dir` added.
fn error_with_rules(dir: &tempfile::TempDir) -> String {
    let result = archaudit(&["check", NAMES, "--rules-dir", dir.path().to_str().unwrap()]);
    assert_clean_error(&result, &[]);
    result.2
}

fn rules_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn rule_documentation_is_neutralised_in_rules_and_explain() {
    let title = r#""Owner tag missing\e[2J\e]8;;https://evil.example\a @octo-org/security-team""#;
    let dir = rules_dir(&[(
        "owner.rego",
        rule(
            "ORG001",
            "load-balancer-without-owner",
            title,
            "\tnot lb.tags.owner",
        ),
    )]);
    let rules_dir = dir.path().to_str().unwrap();
    let (code, table, _) = archaudit(&["rules", "--rules-dir", rules_dir]);
    assert_eq!(code, 0);
    assert!(!has_hostile_chars(&table));
    assert!(
        table.contains(
            r"┆ Owner tag missing\x1b[2J\x1b]8;;https://evil.example\x07 @octo-org/security-team "
        ),
        "{table}"
    );
    let (_, markdown, _) = archaudit(&["rules", "--rules-dir", rules_dir, "--format", "markdown"]);
    assert!(markdown.contains(
        "| ORG001 | `load-balancer-without-owner` | low | any | Owner tag missing\\\\x1b\\[2J\\\\x1b\\]8;;https:&#8203;//evil.example\\\\x07 @&#8203;octo-org/security-team |\n"
    ), "{markdown}");
    let (code, explain, _) = archaudit(&["explain", "ORG001", "--rules-dir", rules_dir]);
    assert_eq!(code, 0);
    assert!(!has_hostile_chars(&explain));
    assert!(explain.starts_with(
        "ORG001 load-balancer-without-owner: Owner tag missing\\x1b[2J\\x1b]8;;https://evil.example\\x07 @octo-org/security-team\n\n"
    ), "{explain}");
}

#[test]
fn errors_quoting_file_content_are_one_inert_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshot = names();
    snapshot["accounts"][0]["regions"] = json!(["eu-central-1\u{1b}[2J\nforged"]);
    let path = write(&dir, "region.json", snapshot.to_string().as_bytes());
    let result = archaudit(&["check", &path]);
    assert_clean_error(&result, &[]);
    assert_eq!(
        result.2,
        format!("error: {path}: accounts[0].regions[0]: \"eu-central-1\\u{{1b}}[2J\\nforged\" is not an AWS region name\n")
    );

    // A Rego error whose excerpt quotes the source: one line, no raw byte of it.
    let rules = rules_dir(&[(
        "broken.rego",
        rule(
            "ORG001",
            "broken-rule",
            "Broken",
            "\tx := \"\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}\" +",
        ),
    )]);
    assert_eq!(
        error_with_rules(&rules),
        format!(
            "error: rule file {}/broken.rego:17:11: invalid character in string\n",
            rules.path().display()
        )
    );
}

/// The drifted example with `change` applied, written to `dir`.
fn drifted_with(dir: &tempfile::TempDir, name: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(repo(DRIFTED)).unwrap()).unwrap();
    change(&mut snapshot);
    write(dir, name, snapshot.to_string().as_bytes())
}

/// The object in `value` whose `key` is `wanted`, wherever it is.
fn find_mut<'a>(value: &'a mut Value, key: &str, wanted: &str) -> &'a mut Value {
    fn find<'a>(value: &'a mut Value, key: &str, wanted: &str) -> Option<&'a mut Value> {
        if value.get(key).and_then(Value::as_str) == Some(wanted) {
            return Some(value);
        }
        match value {
            Value::Object(map) => map.values_mut().find_map(|v| find(v, key, wanted)),
            Value::Array(items) => items.iter_mut().find_map(|v| find(v, key, wanted)),
            _ => None,
        }
    }
    find(value, key, wanted).unwrap_or_else(|| panic!("no {key} {wanted}"))
}

#[test]
fn a_broken_snapshot_time_is_a_load_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    for (bad, shown) in [
        ("2026-11-24", r#""2026-11-24""#),
        ("24/11/2026 06:00", r#""24/11/2026 06:00""#),
        // A date the rules could not measure in nanoseconds.
        ("9999-01-01T00:00:00Z", r#""9999-01-01T00:00:00Z""#),
    ] {
        let path = drifted_with(&dir, "time.json", |s| s["generated_at"] = json!(bad));
        let result = archaudit(&["check", &path]);
        assert_clean_error(&result, &[]);
        assert_eq!(
            result.2,
            format!(
                "error: {path}: generated_at: {shown} is not an RFC 3339 date-time \
                 (e.g. 2026-11-24T06:00:00Z): every age and expiry is measured against it\n"
            )
        );
    }
}

#[test]
fn unparsable_dates_and_versions_are_coverage_gaps_never_silent_passes() {
    let dir = tempfile::tempdir().unwrap();
    const CERT: &str =
        "arn:aws:acm:eu-central-1:729384615022:certificate/e14d989b-dbe4-47e3-a16c-f2a7745f0fa1";
    const USER: &str = "arn:aws:iam::729384615022:user/ci-legacy";
    const SERVER_CERT: &str = "arn:aws:iam::318465720941:server-certificate/nexus-docker-2025";
    const CLUSTER: &str = "arn:aws:eks:eu-central-1:729384615022:cluster/krci-dev";
    let path = drifted_with(&dir, "garbled.json", |s| {
        find_mut(s, "arn", CERT)["not_after"] = json!("2026-12-09 noon");
        let key = &mut find_mut(s, "arn", USER)["access_keys"][0];
        key["created"] = json!("11/03/2024");
        key["last_used"] = json!("last summer");
        find_mut(s, "arn", SERVER_CERT)["expiration"] = json!("2027-02-30T23:59:59Z");
        find_mut(s, "arn", CLUSTER)["version"] = json!("1.3two");
    });
    let (code, stdout, stderr) = archaudit(&["check", &path, "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["complete"], false);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    for rule in ["TLS004", "TLS006", "IAM002", "IAM003", "EKS004"] {
        assert!(
            !ids.contains(&rule),
            "{rule} reported from a value that does not parse"
        );
    }
    let gap = |account: &str, region: &str, service: &str| -> Value {
        report["coverage_gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| {
                g["account_id"] == account && g["region"] == region && g["service"] == service
            })
            .unwrap_or_else(|| {
                panic!(
                    "no gap {account} {region} {service}: {}",
                    report["coverage_gaps"]
                )
            })
            .clone()
    };
    let cases = [
        (
            gap("729384615022", "eu-central-1", "acm"),
            format!(
                r#"acm.certificates[1].not_after of {CERT}: "2026-12-09 noon" is not an RFC 3339 date-time"#
            ),
            vec!["TLS004", "TLS005"],
        ),
        (
            gap("729384615022", "global", "iam"),
            format!(
                r#"iam.users[0].access_keys[0].created of {USER}: "11/03/2024" is not an RFC 3339 date-time (and 1 more unparsable value)"#
            ),
            vec!["IAM002", "IAM003"],
        ),
        (
            gap("318465720941", "global", "iam"),
            format!(
                r#"iam.server_certificates[0].expiration of {SERVER_CERT}: "2027-02-30T23:59:59Z" is not an RFC 3339 date-time"#
            ),
            vec!["TLS006"],
        ),
        (
            gap("729384615022", "eu-central-1", "eks"),
            format!(
                r#"eks.clusters[0].version of {CLUSTER}: "1.3two" is not a Kubernetes version such as 1.34"#
            ),
            vec!["EKS004"],
        ),
    ];
    for (gap, message, rules) in cases {
        assert_eq!(gap["error"], "InvalidData", "{gap}");
        assert_eq!(gap["message"], json!(message));
        let listed: Vec<&str> = gap["rules_not_evaluated"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        for rule in rules {
            assert!(listed.contains(&rule), "{rule} not listed in {gap}");
        }
    }
    // Under --strict the run is incomplete.
    let (code, _, _) = archaudit(&["check", &path, "--strict"]);
    assert_eq!(code, 3);
}

#[test]
fn malformed_and_duplicated_accounts_and_regions_are_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change, String)> = vec![
        (
            "id.json",
            Box::new(|s| s["accounts"][1]["account"]["id"] = json!("../../etc/passwd")),
            r#"accounts[1].account.id: "../../etc/passwd" is not a 12-digit AWS account id"#.to_string(),
        ),
        (
            "twice.json",
            Box::new(|s| {
                let copy = s["accounts"][2].clone();
                s["accounts"].as_array_mut().unwrap().push(copy);
            }),
            "account 571293840655 is in the snapshot twice (accounts[2] and accounts[4])".to_string(),
        ),
        (
            "org.json",
            Box::new(|s| s["organization"]["management_account_id"] = json!("4065207812")),
            r#"organization.management_account_id: "4065207812" is not a 12-digit AWS account id"#.to_string(),
        ),
        (
            "coverage.json",
            Box::new(|s| s["accounts"][2]["coverage"][0]["region"] = json!("eu-central-1/../x")),
            r#"accounts[2].coverage[0].region: "eu-central-1/../x" is not an AWS region name or `global`"#.to_string(),
        ),
        (
            "resource.json",
            Box::new(|s| {
                find_mut(s, "name", "krci-dev")["region"] = json!("us-west-2");
            }),
            r#"accounts[3].eks.clusters[0].region: "us-west-2" is not one of the account's regions"#.to_string(),
        ),
        (
            "arn.json",
            Box::new(|s| {
                find_mut(s, "name", "krci-dev")["arn"] =
                    json!("arn:aws:eks:EU CENTRAL:729384615022:cluster/krci-dev");
            }),
            r#"accounts[3].eks.clusters[0].arn: "arn:aws:eks:EU CENTRAL:729384615022:cluster/krci-dev" is not an ARN with a region or an empty region"#.to_string(),
        ),
    ];
    for (name, change, problem) in cases {
        let path = drifted_with(&dir, name, change);
        let result = archaudit(&["check", &path]);
        assert_clean_error(&result, &[]);
        assert_eq!(result.2, format!("error: {path}: {problem}\n"));
    }
}

#[test]
fn a_snapshot_without_accounts_checks_nothing_and_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let path = drifted_with(&dir, "empty.json", |s| s["accounts"] = json!([]));
    let (code, stdout, _) = archaudit(&["check", &path]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(
        "No account to audit: the snapshot holds none, so nothing was checked.\n\n\
         No findings in 0 accounts; 0 resources evaluated; 0 rules run; 0 of 0 checks not evaluated.\n"
    ), "{stdout}");
    let (code, _, _) = archaudit(&["check", &path, "--strict"]);
    assert_eq!(code, 3);
    let (_, json, _) = archaudit(&["check", &path, "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["summary"]["complete"], false);
}

/// A zstd bomb: a snapshot's first bytes, then `frames` frames that each
/// unpack to 64 MiB of spaces (zstd frames concatenate).
fn zstd_bomb(frames: usize) -> Vec<u8> {
    let head =
        br#"{"schema_version": "1.1", "generated_at": "2026-11-24T06:00:00Z", "accounts": ["#;
    let mut bomb = zstd::encode_all(&head[..], 3).unwrap();
    let frame = zstd::encode_all(&vec![b' '; 64 << 20][..], 19).unwrap();
    for _ in 0..frames {
        bomb.extend_from_slice(&frame);
    }
    bomb
}

/// Peak resident memory of a run in KiB, from GNU time.
fn peak_kib(args: &[&str]) -> (i32, String, u64) {
    let time = std::path::Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "GNU time (/usr/bin/time) is needed to measure memory: apt-get install time"
    );
    let output = std::process::Command::new(time)
        .args(["-q", "-f", "peak-kib %M"])
        .arg(env!("CARGO_BIN_EXE_archaudit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let (errors, peak) = stderr.rsplit_once("peak-kib ").expect("time's report");
    (
        output.status.code().unwrap(),
        errors.to_string(),
        peak.trim().parse().unwrap(),
    )
}

#[test]
fn a_zstd_bomb_is_refused_in_small_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 96 frames of 64 MiB: 6 GiB from about 200 kB.
    let bomb = zstd_bomb(96);
    assert!(bomb.len() < 300_000, "{} bytes", bomb.len());
    let path = write(&dir, "bomb.json.zst", &bomb);
    let (code, stderr, peak) = peak_kib(&["check", &path]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: {path}: snapshot over the size limit of 2 GiB once decompressed \
             (raise it with --max-input-size)\n"
        )
    );
    // Decompressing it would take the limit, 2 GiB; counting takes a buffer.
    assert!(peak < 128 << 10, "peak memory {peak} KiB");

    // A raised limit is named too, and the same bomb as a baseline is refused alike.
    let (code, stderr, _) = peak_kib(&["check", &path, "--max-input-size", "4GiB"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("over the size limit of 4 GiB once decompressed"),
        "{stderr}"
    );
    let result = archaudit(&["check", NAMES, "--baseline", &path]);
    assert_clean_error(&result, &[&path, "2 GiB once decompressed"]);
}

#[test]
fn devices_and_oversized_files_are_refused_naming_file_and_limit() {
    let dir = tempfile::tempdir().unwrap();
    let result = archaudit(&["check", "/dev/zero"]);
    assert_clean_error(&result, &[]);
    assert_eq!(
        result.2,
        "error: /dev/zero: not a snapshot: neither JSON nor zstd (it starts with byte 0x00)\n"
    );

    // A real snapshot, two MiB of it, over a 1 MiB limit.
    let mut snapshot = names();
    snapshot["accounts"][0]["account"]["tags"]["note"] = json!("x".repeat(2 << 20));
    let big = write(&dir, "big.json", snapshot.to_string().as_bytes());
    let result = archaudit(&["check", &big, "--max-input-size", "1MiB"]);
    assert_clean_error(&result, &[]);
    assert_eq!(
        result.2,
        format!("error: {big}: snapshot over the size limit of 1 MiB (raise it with --max-input-size)\n")
    );
    let (code, _, _) = archaudit(&[
        "check",
        &big,
        "--max-input-size",
        "4MiB",
        "--fail-on",
        "none",
    ]);
    assert_eq!(code, 0);

    // A Terraform state over the limit stops the run (an unreadable one would not).
    let state = json!({"version": 4, "terraform_version": "1.11.4", "serial": 1,
        "lineage": "0d6f1c1e-4a49-4a3e-9d0b-6f0c2b8c9a11", "outputs": {},
        "resources": [], "check_results": null, "padding": "x".repeat(2 << 20)});
    let state = write(&dir, "big.tfstate", state.to_string().as_bytes());
    let result = archaudit(&[
        "check",
        NAMES,
        "--tfstate",
        &state,
        "--max-input-size",
        "1MiB",
    ]);
    assert_clean_error(&result, &[]);
    assert_eq!(
        result.2,
        format!("error: {state}: Terraform state over the size limit of 1 MiB (raise it with --max-input-size)\n")
    );

    let result = archaudit(&["check", NAMES, "--config", "/dev/zero"]);
    assert_clean_error(&result, &[]);
    assert_eq!(
        result.2,
        "error: /dev/zero: config over the size limit of 16 MiB\n"
    );

    let rules = rules_dir(&[(
        "huge.rego",
        rule(
            "ORG001",
            "huge-rule",
            "Huge",
            &format!("\t# {}", "x".repeat(2 << 20)),
        ),
    )]);
    assert_eq!(
        error_with_rules(&rules),
        format!(
            "error: {}/huge.rego: rule file over the size limit of 1 MiB\n",
            rules.path().display()
        )
    );

    let (code, _, stderr) = archaudit(&["check", NAMES, "--max-input-size", "2XB"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("\"2XB\": expected a size such as 512MiB or 4GiB"),
        "{stderr}"
    );
}

#[test]
fn a_recursive_or_deeply_nested_rule_is_refused_before_it_runs() {
    let recursive = rule(
        "ORG901",
        "runaway-recursion",
        "Recursion",
        "\tdepth(1000000) > 0",
    ) + "\ndepth(n) := 0 if n <= 0\n\ndepth(n) := depth(n - 1) + 1 if n > 0\n";
    let dir = rules_dir(&[("recursion.rego", recursive)]);
    assert_eq!(
        error_with_rules(&dir),
        format!(
            "error: rule file {}/recursion.rego:23:13: function `depth` calls itself: Rego does not allow recursion\n",
            dir.path().display()
        )
    );

    let nested = format!("\t{}1{} > 0", "(".repeat(5_000), ")".repeat(5_000));
    let dir = rules_dir(&[(
        "nested.rego",
        rule("ORG902", "deep-nesting", "Nesting", &nested),
    )]);
    assert_eq!(
        error_with_rules(&dir),
        format!(
            "error: rule file {}/nested.rego:17:101: nested deeper than 100 brackets; \
             split the expression into helper rules\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_runaway_rule_is_not_evaluated_and_the_run_goes_on() {
    let huge = rule(
        "ORG902",
        "huge-collection",
        "Huge collection",
        "\tcount(numbers.range(1, 1000000000000)) > 0",
    );
    let hanging = rule(
        "ORG903",
        "hanging-comprehension",
        "Hanging comprehension",
        "\tn := count([x | some a in numbers.range(1, 1000); some b in numbers.range(1, 1000); \
         some c in numbers.range(1, 1000); x := a * b * c])\n\tn > 0",
    );
    let dir = rules_dir(&[("huge.rego", huge), ("hanging.rego", hanging)]);
    let rules_dir = dir.path().to_str().unwrap();
    let args = [
        "check",
        DRIFTED,
        "--rules-dir",
        rules_dir,
        "--rule-time-limit",
        "1",
    ];
    let (code, stdout, stderr) = archaudit(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["complete"], false);
    let failed: Vec<&Value> = report["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["service"] == "rules")
        .collect();
    // ORG902 fails where there is a load balancer; ORG903 ran out of time,
    // so it is not evaluated in any account, also where it had nothing to do.
    let hanging = format!(
        "ORG903: {rules_dir}/hanging.rego: exceeded the time limit of 1 s for one rule over one account \
         (--rule-time-limit); not evaluated in any account"
    );
    let huge = format!(
        "ORG902: {rules_dir}/huge.rego:17:24: numbers.range: 1000000000000 numbers, \
         more than the 1000000 a rule may build at once"
    );
    let gaps: Vec<(&str, &Value, &Value)> = failed
        .iter()
        .map(|g| {
            assert_eq!(
                (&g["region"], &g["error"]),
                (&json!("global"), &json!("RuleFailed"))
            );
            (
                g["account_id"].as_str().unwrap(),
                &g["rules_not_evaluated"],
                &g["message"],
            )
        })
        .collect();
    let both = (
        json!(["ORG902", "ORG903"]),
        json!(format!("{huge}; {hanging}")),
    );
    let one = (json!(["ORG903"]), json!(hanging));
    assert_eq!(
        gaps,
        [
            ("318465720941", &both.0, &both.1),
            ("406520781234", &one.0, &one.1),
            ("571293840655", &both.0, &both.1),
            ("729384615022", &both.0, &both.1),
        ]
    );
    // Every built-in finding is still there.
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("fixtures/snapshots/reference-drifted.expected.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        expected.as_array().unwrap().len()
    );
    let (code, _, _) = archaudit(&[&args[..], &["--strict"]].concat());
    assert_eq!(code, 3);
}

#[test]
fn symlinked_rule_directories_are_not_followed() {
    let dir = rules_dir(&[]);
    std::fs::create_dir(dir.path().join("team")).unwrap();
    std::fs::write(
        dir.path().join("team/owner.rego"),
        rule(
            "ORG001",
            "load-balancer-without-owner",
            "Owner",
            "\tnot lb.tags.owner",
        ),
    )
    .unwrap();
    // A loop back to the top, and a link to the same rule's folder.
    std::os::unix::fs::symlink("..", dir.path().join("team/loop")).unwrap();
    std::os::unix::fs::symlink("team", dir.path().join("again")).unwrap();
    let (code, stdout, stderr) = archaudit(&["rules", "--rules-dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("ORG001").count(), 1, "{stdout}");
}

#[test]
fn drift_shows_hostile_tags_and_rule_descriptions_inert() {
    let dir = tempfile::tempdir().unwrap();
    let payload = "x\u{1b}[2J @octocat | cell <img src=x onerror=alert(1)> `code`";
    let snapshot = drifted_with(&dir, "drifted.json", |s| {
        let group = find_mut(s, "name", "keycloak-postgres-rds");
        group["tags"]["CostCenter"] = json!(payload);
        let rule = find_mut(s, "id", "sgr-071f38a9726b2dec8");
        rule["description"] = json!(payload);
    });
    let run = |format: &str| {
        let (code, stdout, stderr) = archaudit(&[
            "check",
            &snapshot,
            "--tfstate",
            "fixtures/terraform/states/shared.tfstate",
            "--format",
            format,
            "--fail-on",
            "none",
        ]);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let report: Value = serde_json::from_str(&run("json")).unwrap();
    let message = |resource: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == "TFD003" && f["resource"] == resource)
            .unwrap_or_else(|| panic!("no TFD003 for {resource}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // JSON carries the values exactly, as data.
    assert_eq!(
        message("arn:aws:ec2:eu-central-1:318465720941:security-group/sg-0a02ae2701029ab6b"),
        format!("module.data.aws_security_group.keycloak_rds (keycloak-postgres-rds): tags.CostCenter platform (state) -> {payload} (live)")
    );
    assert_eq!(
        message("arn:aws:ec2:eu-central-1:318465720941:security-group/sg-05a156f82e12726bc"),
        format!("module.eks.aws_security_group.node (shared-node): ingress (not set) (state) -> tcp 22 from 0.0.0.0/0 \"{payload}\" (live)")
    );
    let table = run("table");
    assert!(!has_hostile_chars(&table));
    assert!(table.contains("\\x1b[2J"), "the escape is shown, not run");
    let markdown = run("markdown");
    assert!(!has_hostile_chars(&markdown));
    assert!(!markdown.contains("@o") && !markdown.replace("\\<", "").contains("<img"));
    assert!(markdown.contains("tags.CostCenter platform (state) -\\> x\\\\x1b\\[2J @&#8203;octocat \\| cell \\<img src=x onerror=alert(1)\\> \\`code\\` (live)"));
    assert_tables_keep_their_columns(&markdown);
}
