//! Drift from real Terraform: fixtures/terraform/live (a KubeRocketCI-shaped
//! organization of three accounts, with a local module, `for_each` and the
//! split S3 resources) is applied with the real `terraform` and the
//! hashicorp/aws provider against moto; then resources are changed outside
//! Terraform (tests/live/outside.py, boto3 as a person with console rights).
//!
//! archaudit's TFD findings must agree with Terraform's own
//! `plan -refresh-only` (its `resource_drift`) on every attribute archaudit
//! compares (each service's compared attributes and tags; a security group's
//! inline rules rule by rule, and not at all where its rules are resources of
//! their own, whose blocks the provider refreshes), value for value: right after
//! the apply (no drift), on that state gone stale, after `apply
//! -refresh-only`, and on the refreshed state gone stale again. Resources
//! made by hand are what Terraform cannot see: archaudit reports them
//! (TFD001) and writes `import` blocks that the real Terraform must import,
//! every one, with `plan -generate-config-out`.
//!
//! Terraform and the provider mirror are required: a missing one fails the
//! test with what to install, never skips it.

use super::{repo, run_archaudit, venv, Endpoint};
use archaudit::drift::{compared, member_link, modelled, tags_compared, BUILTIN_IGNORED_TAGS};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Ident;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The provider the test bed pins, as a filesystem mirror lays it out.
const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
const PROVIDER_VERSION: &str = "5.100.0";
const LIVE: &str = "fixtures/terraform/live";
const REGION: &str = "eu-central-1";

/// The provider filesystem mirror (ARCHAUDIT_TF_PLUGINS, else
/// /opt/tf-plugins), after checking that `terraform` runs and the mirror
/// holds the provider: each missing piece fails the test, named.
fn required_tools() -> PathBuf {
    let out = Command::new("terraform")
        .args(["version", "-json"])
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "`terraform` is not on PATH ({e}): the Terraform end-to-end test needs \
                 Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install)"
            )
        });
    assert!(out.status.success(), "`terraform version` failed: {out:?}");
    let version: Value = serde_json::from_slice(&out.stdout).expect("terraform version -json");
    let version = version["terraform_version"].as_str().unwrap_or_default();
    let parts: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    assert!(
        parts.as_slice() >= [1, 5].as_slice(),
        "Terraform {version} is too old: `import` blocks need Terraform 1.5 or later"
    );
    let mirror = std::env::var_os("ARCHAUDIT_TF_PLUGINS")
        .map_or_else(|| PathBuf::from("/opt/tf-plugins"), PathBuf::from);
    let provider = mirror.join(PROVIDER);
    let unpacked = provider.join(PROVIDER_VERSION).is_dir();
    let packed = std::fs::read_dir(&provider).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&format!("terraform-provider-aws_{PROVIDER_VERSION}_"))
        })
    });
    assert!(
        unpacked || packed,
        "the provider {PROVIDER} {PROVIDER_VERSION} is not in the filesystem mirror {}: \
         put it there (`terraform providers mirror`) or set ARCHAUDIT_TF_PLUGINS to a mirror \
         that holds it",
        mirror.display()
    );
    mirror
}

/// Runs `terraform` in working directories of the test, offline, against
/// the test endpoint, with a CLI config of its own (never ~/.terraformrc).
struct Terraform {
    config: PathBuf,
    endpoint: String,
}

impl Terraform {
    fn new(dir: &Path, mirror: &Path, endpoint: &str) -> Terraform {
        let config = dir.join("terraformrc");
        let mirror = mirror.display().to_string();
        std::fs::write(
            &config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = {mirror:?}\n    \
                 include = [\"{PROVIDER}\"]\n  }}\n  direct {{\n    exclude = [\"{PROVIDER}\"]\n  }}\n}}\n"
            ),
        )
        .unwrap();
        Terraform {
            config,
            endpoint: endpoint.to_string(),
        }
    }

    fn output(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new("terraform");
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("AWS_") || key.starts_with("TF_") {
                cmd.env_remove(key.as_ref());
            }
        }
        cmd.args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", &self.config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("run terraform")
    }

    /// Runs a command that must succeed; its standard output.
    fn run(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.output(dir, args);
        assert!(
            out.status.success(),
            "terraform {args:?} failed in {}:\n{}\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs tests/live/outside.py; its JSON answer.
fn outside(endpoint: &Endpoint, accounts: Option<&Value>, args: &[&str]) -> Value {
    let mut cmd = Command::new(venv().join("bin/python"));
    cmd.arg(repo().join("tests/live/outside.py"))
        .args(["--endpoint", &endpoint.moto_url]);
    if let Some(accounts) = accounts {
        cmd.args(["--accounts", &accounts.to_string()]);
    }
    let out = cmd.args(args).output().expect("run outside.py");
    assert!(
        out.status.success(),
        "outside.py {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One compared attribute that differs: (address of the block that holds
/// it, attribute, state value, live value); `None` is "not set".
type Change = (String, String, Option<String>, Option<String>);

/// What one side sees: attributes that differ, and managed resources of a
/// modelled type that are gone (by address).
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    changed: BTreeSet<Change>,
    deleted: BTreeSet<String>,
}

fn tag_compared(key: &str) -> bool {
    !key.starts_with("aws:") && !BUILTIN_IGNORED_TAGS.iter().any(|(k, _)| *k == key)
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The ids of the resources whose nested resources a state holds apart (a
/// security group whose rules are `aws_vpc_security_group_*_rule`): their
/// inline attributes, which the provider fills from AWS on every refresh,
/// are not compared.
fn held_apart(state: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for r in state["resources"].as_array().into_iter().flatten() {
        let Some(link) = r["type"].as_str().and_then(member_link) else {
            continue;
        };
        for i in r["instances"].as_array().into_iter().flatten() {
            ids.extend(i["attributes"][link].as_str().map(str::to_string));
        }
    }
    ids
}

/// Terraform's `plan -refresh-only`, restricted to what archaudit compares:
/// each `resource_drift` entry's compared attributes whose
/// holder is its type (a set compared item by item, such as a security
/// group's inline rules, one change per item), its tags (`tags_all`, where
/// archaudit reads the type's tags), and the deletions.
fn terraform_sees(tf: &Terraform, dir: &Path) -> Seen {
    tf.run(dir, &["plan", "-refresh-only", "-out=refresh.tfplan"]);
    let plan: Value = serde_json::from_str(&tf.run(dir, &["show", "-json", "refresh.tfplan"]))
        .expect("terraform show -json");
    let state = std::fs::read_to_string(dir.join("terraform.tfstate")).unwrap();
    let apart = held_apart(&serde_json::from_str(&state).unwrap());
    let mut seen = Seen::default();
    for drift in plan["resource_drift"].as_array().into_iter().flatten() {
        let address = drift["address"].as_str().unwrap().to_string();
        let kind = drift["type"].as_str().unwrap();
        let kind = modelled(kind).unwrap_or(kind);
        let (before, after) = (&drift["change"]["before"], &drift["change"]["after"]);
        if after.is_null() && modelled(kind).is_some() {
            seen.deleted.insert(address.clone());
            continue;
        }
        let id = before["id"].as_str().unwrap_or_default();
        for c in compared()
            .iter()
            .filter(|c| c.holder_kind() == kind && c.applies(before))
            .filter(|c| !(c.holds_members_inline() && apart.contains(id)))
        {
            let items = |v: &Value| c.in_attributes(v).and_then(|v| c.items(v, id));
            if let (Some(old), Some(new)) = (items(before), items(after)) {
                let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
                for key in keys {
                    let (o, n) = (old.get(key).cloned(), new.get(key).cloned());
                    if o != n {
                        seen.changed
                            .insert((address.clone(), c.state.to_string(), o, n));
                    }
                }
                continue;
            }
            let old = c.in_attributes(before).and_then(|v| c.state_value(v));
            let new = c.in_attributes(after).and_then(|v| c.state_value(v));
            if old != new {
                seen.changed
                    .insert((address.clone(), c.state.to_string(), old, new));
            }
        }
        if tags_compared(kind) {
            let tags = |v: &Value| -> BTreeMap<String, Option<String>> {
                v["tags_all"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| tag_compared(k))
                    .map(|(k, v)| (k.clone(), text(Some(v))))
                    .collect()
            };
            let (old, new) = (tags(before), tags(after));
            let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            for key in keys {
                let (o, n) = (
                    old.get(key).cloned().flatten(),
                    new.get(key).cloned().flatten(),
                );
                if o != n {
                    seen.changed
                        .insert((address.clone(), format!("tags.{key}"), o, n));
                }
            }
        }
    }
    seen
}

/// How many attribute values of a state archaudit compares (each compared
/// attribute and tag of each instance that holds one).
fn compared_values(state: &str) -> usize {
    let state: Value = serde_json::from_str(state).unwrap();
    let mut n = 0;
    for r in state["resources"].as_array().unwrap() {
        let kind = r["type"].as_str().unwrap();
        let kind = modelled(kind).unwrap_or(kind);
        for i in r["instances"].as_array().unwrap() {
            let attributes = &i["attributes"];
            n += compared()
                .iter()
                .filter(|c| c.holder_kind() == kind && c.applies(attributes))
                .filter(|c| c.in_attributes(attributes).is_some())
                .count();
            if tags_compared(kind) {
                n += attributes["tags_all"].as_object().map_or(0, |t| t.len());
            }
        }
    }
    n
}

/// A value as a TFD003 message shows it.
fn shown(value: &str) -> Option<String> {
    (value != "(not set)").then(|| value.to_string())
}

/// The attributes compared item by item in the test bed (a security
/// group's inline rules): their values hold spaces.
const ITEMS: &[&str] = &["ingress", "egress"];

/// archaudit's TFD003 and TFD002 findings of a JSON report, read back from
/// their messages (what a person reads):
/// `ADDRESS (NAME): ATTR STATE (state) -> LIVE (live); [OTHER-ADDRESS ]ATTR ...`.
fn archaudit_sees(report: &Value) -> Seen {
    for c in compared() {
        let is_items = c.items(&Value::Null, "").is_some();
        assert_eq!(is_items, ITEMS.contains(&c.state), "{}", c.state);
    }
    let mut seen = Seen::default();
    for f in report["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        match f["rule_id"].as_str().unwrap() {
            "TFD002" => {
                let address = message.split(" (").next().unwrap();
                seen.deleted.insert(address.to_string());
            }
            "TFD003" => {
                let (primary, rest) = message.split_once(" (").unwrap();
                assert_eq!(f["terraform_address"], primary, "{message}");
                let (_, changes) = rest.split_once("): ").unwrap();
                for change in changes.split("; ") {
                    let (left, live) = change
                        .strip_suffix(" (live)")
                        .and_then(|c| c.split_once(" (state) -> "))
                        .unwrap_or_else(|| panic!("unexpected change {change:?} in {message}"));
                    // An item of a set (a rule) is text with spaces after its
                    // attribute; other values are one word.
                    let item = ITEMS.iter().find_map(|attribute| {
                        left.strip_prefix(attribute)
                            .and_then(|rest| rest.strip_prefix(' '))
                            .map(|state| (*attribute, state))
                    });
                    let (left, state) = match (item, left.strip_suffix(" (not set)")) {
                        (Some(item), _) => item,
                        (None, Some(left)) => (left, "(not set)"),
                        (None, None) => left.rsplit_once(' ').unwrap(),
                    };
                    let (address, attribute) = match left.rsplit_once(' ') {
                        Some((address, attribute)) => (address, attribute),
                        None => (primary, left),
                    };
                    seen.changed.insert((
                        address.to_string(),
                        attribute.to_string(),
                        shown(state),
                        shown(live),
                    ));
                }
            }
            _ => {}
        }
    }
    seen
}

/// Both sides must see the same, and each change made outside must be seen.
fn assert_agree(case: &str, terraform: &Seen, archaudit: &Seen, made: &[Value]) {
    let only = |a: &BTreeSet<Change>, b: &BTreeSet<Change>| -> Vec<Change> {
        a.difference(b).cloned().collect()
    };
    assert!(
        terraform == archaudit,
        "{case}: archaudit and `terraform plan -refresh-only` disagree.\n\
         Only Terraform: {:#?}\nOnly archaudit: {:#?}\nDeleted (Terraform): {:?}\n\
         Deleted (archaudit): {:?}",
        only(&terraform.changed, &archaudit.changed),
        only(&archaudit.changed, &terraform.changed),
        terraform.deleted,
        archaudit.deleted
    );
    for m in made {
        let address = m["address"].as_str().unwrap();
        let found = match m["attribute"].as_str() {
            Some(attribute) => terraform
                .changed
                .iter()
                .any(|(a, attr, _, _)| a == address && attr == attribute),
            None => {
                terraform.deleted.contains(address)
                    || terraform
                        .changed
                        .iter()
                        .any(|(a, _, _, live)| a == address && live.is_none())
            }
        };
        assert!(found, "{case}: the change {m} is seen by neither side");
    }
    let attributes: BTreeSet<String> = terraform
        .changed
        .iter()
        .map(|(address, attribute, _, _)| {
            // `module.x.aws_type.name["key"]` -> `aws_type.attribute`
            let kind = address
                .split('.')
                .rev()
                .nth(1)
                .unwrap_or(address)
                .to_string();
            let attribute = attribute
                .split_once("tags.")
                .map_or(attribute.as_str(), |_| "tags");
            format!("{kind}.{attribute}")
        })
        .collect();
    eprintln!(
        "{case}: agreement on {} changed attributes and {} deletions ({attributes:?})",
        terraform.changed.len(),
        terraform.deleted.len()
    );
}

/// `archaudit check` of a scenario's snapshot with the drift rules only,
/// plus `args`; (exit code, stdout, stderr).
fn check(endpoint: &Endpoint, work: &Path, case: &str, args: &[&str]) -> (i32, String, String) {
    let snapshot = work.join(format!("{case}.json"));
    let config = work.join("archaudit.toml");
    let mut all = vec![
        "check",
        snapshot.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--fail-on",
        "none",
        "--endpoint-url",
        &endpoint.url,
    ];
    all.extend_from_slice(args);
    run_archaudit(&endpoint.url, &all)
}

/// Collects the organization (one snapshot per scenario) and checks it
/// against `state` with the drift rules only; the JSON report.
fn drift_report(endpoint: &Endpoint, work: &Path, case: &str, state: &Path) -> Value {
    let snapshot = work.join(format!("{case}.json"));
    let snapshot = snapshot.to_str().unwrap();
    let (code, _, stderr) = endpoint.archaudit(&[
        "collect",
        "--org",
        "--regions",
        REGION,
        "--output",
        snapshot,
    ]);
    assert_eq!(code, 0, "{case}: collect: {stderr}");
    let (code, report, stderr) = check(
        endpoint,
        work,
        case,
        &["--format", "json", "--tfstate", state.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{case}: {stderr}");
    let report: Value = serde_json::from_str(&report).unwrap();
    // moto lacks a few APIs (Client VPN, Grafana, ...): those gaps are
    // expected; none may keep a drift rule from running.
    for gap in report["coverage_gaps"].as_array().unwrap() {
        assert_eq!(
            gap["rules_not_evaluated"],
            serde_json::json!([]),
            "{case}: {gap}"
        );
    }
    report
}

fn unmanaged_of(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "TFD001")
        .map(|f| {
            (
                f["account_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The 1-based line of the block whose header is `header` in a file of the test bed.
fn line_of(file: &str, header: &str) -> u64 {
    let text = std::fs::read_to_string(repo().join(LIVE).join(file)).unwrap();
    let index = text
        .lines()
        .position(|l| l.starts_with(header))
        .unwrap_or_else(|| panic!("{header} not in {file}"));
    index as u64 + 1
}

#[test]
fn archaudit_agrees_with_terraform_refresh_only() {
    let mirror = required_tools();
    let started = Instant::now();
    let endpoint = Endpoint::start();
    let work = endpoint.path("terraform");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("archaudit.toml"),
        "[rules]\nenable = [\"drift\"]\n",
    )
    .unwrap();
    let accounts = outside(&endpoint, None, &["org"]);
    let tf = Terraform::new(&work, &mirror, &endpoint.moto_url);
    let live = work.join("live");
    copy_dir(&repo().join(LIVE), &live);
    std::fs::write(
        live.join("terraform.tfvars.json"),
        serde_json::json!({ "accounts": accounts }).to_string(),
    )
    .unwrap();
    tf.run(&live, &["init", "-input=false"]);
    let apply = Instant::now();
    tf.run(&live, &["apply", "-auto-approve", "-input=false"]);
    let applied = apply.elapsed();
    let state = live.join("terraform.tfstate");
    let state_text = std::fs::read_to_string(&state).unwrap();
    let resources = serde_json::from_str::<Value>(&state_text).unwrap()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["mode"] == "managed")
        .map(|r| r["instances"].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    eprintln!(
        "applied {resources} resources in {applied:.1?}; {} attribute values of them are compared",
        compared_values(&state_text)
    );
    let stale = work.join("applied.tfstate");
    std::fs::write(&stale, &state_text).unwrap();

    // Right after the apply: nothing changed, nothing unmanaged. The apply
    // left the deprecated `versioning` and `policy` of aws_s3_bucket stale:
    // Terraform reports them, archaudit must not.
    let report = drift_report(&endpoint, &work, "applied", &stale);
    let terraform = terraform_sees(&tf, &live);
    let archaudit_seen = archaudit_sees(&report);
    assert_agree("after apply", &terraform, &archaudit_seen, &[]);
    assert_eq!(terraform, Seen::default(), "no drift right after apply");
    assert_eq!(unmanaged_of(&report), BTreeSet::new(), "nothing unmanaged");

    // Changed outside Terraform, state stale: what Terraform reports with
    // its refresh, archaudit reports from the state as it is.
    let made = outside(&endpoint, Some(&accounts), &["change", "stale"]);
    let made = made.as_array().unwrap().clone();
    let report = drift_report(&endpoint, &work, "stale", &stale);
    let terraform = terraform_sees(&tf, &live);
    assert_agree("stale state", &terraform, &archaudit_sees(&report), &made);
    locations_land_on_the_blocks_that_hold_the_settings(&endpoint, &work, &stale, &accounts);

    // A refresh takes the changes into the state: nothing to report.
    tf.run(
        &live,
        &["apply", "-refresh-only", "-auto-approve", "-input=false"],
    );
    let report = drift_report(&endpoint, &work, "refreshed", &state);
    let terraform = terraform_sees(&tf, &live);
    assert_agree("after refresh", &terraform, &archaudit_sees(&report), &[]);
    assert_eq!(terraform, Seen::default(), "no drift after a refresh");

    // Changed again (some put back): the refreshed state gone stale.
    let made = outside(&endpoint, Some(&accounts), &["change", "refreshed"]);
    let made = made.as_array().unwrap().clone();
    let report = drift_report(&endpoint, &work, "refreshed-stale", &state);
    let terraform = terraform_sees(&tf, &live);
    assert_agree(
        "refreshed, then stale",
        &terraform,
        &archaudit_sees(&report),
        &made,
    );

    // Made by hand: Terraform cannot see them, archaudit reports each one,
    // and the real Terraform imports every block archaudit writes.
    let made = outside(&endpoint, Some(&accounts), &["unmanaged"]);
    let expected: BTreeSet<(String, String)> = made
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["account"].as_str().unwrap().to_string(),
                m["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let report = drift_report(&endpoint, &work, "unmanaged", &state);
    assert_eq!(
        unmanaged_of(&report),
        expected,
        "TFD001: exactly what was made by hand"
    );
    let terraform = terraform_sees(&tf, &live);
    assert_agree("made by hand", &terraform, &archaudit_sees(&report), &[]);
    let blocks = imports_are_accepted_by_terraform(&endpoint, &work, &tf, &state, &made);
    assert_eq!(blocks, expected.len());

    state_that_s3_refuses_is_access_denied(&endpoint, &work, &accounts);
    eprintln!(
        "the Terraform end-to-end test took {:.1?}",
        started.elapsed()
    );
}

/// SARIF of the stale case with `--tf-dir`: each finding sits on the block a
/// person edits, the sibling that holds a bucket's setting included.
fn locations_land_on_the_blocks_that_hold_the_settings(
    endpoint: &Endpoint,
    work: &Path,
    state: &Path,
    accounts: &Value,
) {
    let (code, sarif, stderr) = check(
        endpoint,
        work,
        "stale",
        &[
            "--format",
            "sarif",
            "--tfstate",
            state.to_str().unwrap(),
            "--tf-dir",
            LIVE,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let at = |rule: &str, resource: &str| -> (String, u64) {
        let result = results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["message"]["text"]
                        .as_str()
                        .unwrap()
                        .contains(&format!("resource {resource}."))
            })
            .unwrap_or_else(|| panic!("no {rule} result for {resource}"));
        let location = &result["locations"][0]["physicalLocation"];
        (
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string(),
            location["region"]["startLine"].as_u64().unwrap(),
        )
    };
    let module = format!("{LIVE}/modules/account");
    let production = accounts["production"].as_str().unwrap();
    let shared = accounts["shared"].as_str().unwrap();
    let cases = [
        (
            format!("arn:aws:s3:::krci-terraform-states-{production}"),
            format!("{module}/state.tf"),
            line_of(
                "modules/account/state.tf",
                "resource \"aws_s3_bucket_versioning\" \"state\"",
            ),
        ),
        (
            format!("arn:aws:s3:::krci-terraform-states-{shared}"),
            format!("{module}/state.tf"),
            line_of(
                "modules/account/state.tf",
                // Its encryption changed first (then its public access block).
                "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"state\"",
            ),
        ),
        (
            format!("arn:aws:ecr:{REGION}:{production}:repository/krci/payments-api"),
            format!("{module}/platform.tf"),
            line_of(
                "modules/account/platform.tf",
                "resource \"aws_ecr_repository\" \"service\"",
            ),
        ),
    ];
    for (resource, uri, line) in cases {
        assert_eq!(at("TFD003", &resource), (uri, line), "{resource}");
    }
    let listener = results
        .iter()
        .find(|r| {
            r["ruleId"] == "TFD003"
                && r["properties"]["terraformAddress"] == "aws_lb_listener.https"
        })
        .expect("the TLS listener's change");
    let location = &listener["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        format!("{LIVE}/shared.tf")
    );
    assert_eq!(
        location["region"]["startLine"],
        line_of("shared.tf", "resource \"aws_lb_listener\" \"https\"")
    );
}

/// `--import-blocks`: one file per account; in a root module of its own for
/// that account, `terraform plan -generate-config-out` must read every
/// resource by the id archaudit gave (a resource block is generated for each
/// block, at its address), every error being one of the generated
/// configuration; after the review Terraform asks for (the edits in
/// [`REVIEW`]), `terraform plan` imports every block without an error. The
/// number of blocks imported.
fn imports_are_accepted_by_terraform(
    endpoint: &Endpoint,
    work: &Path,
    tf: &Terraform,
    state: &Path,
    made: &Value,
) -> usize {
    let dir = work.join("imports");
    let (code, _, stderr) = check(
        endpoint,
        work,
        "unmanaged",
        &[
            "--format",
            "json",
            "--tfstate",
            state.to_str().unwrap(),
            "--import-blocks",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let accounts: BTreeSet<&str> = made
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["account"].as_str().unwrap())
        .collect();
    let mut imported = 0;
    for account in accounts {
        let file = dir.join(format!("import-{account}.tf"));
        let text = std::fs::read_to_string(&file).unwrap();
        let body = hcl_edit::parser::parse_body(&text).expect("archaudit writes valid HCL");
        let blocks: Vec<(String, String)> = body
            .get_blocks("import")
            .map(|b| {
                let get = |key: &str| b.body.get_attribute(key).unwrap().value.to_string();
                (get("to").trim().to_string(), get("id").trim().to_string())
            })
            .collect();
        let expected = made
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["account"] == account)
            .count();
        assert_eq!(blocks.len(), expected, "{}:\n{text}", file.display());

        let root = work.join(format!("adopt-{account}"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("provider.tf"), provider_for(account)).unwrap();
        std::fs::copy(&file, root.join("imports.tf")).unwrap();
        tf.run(&root, &["init", "-input=false"]);
        let out = tf.output(
            &root,
            &[
                "plan",
                "-json",
                "-input=false",
                "-generate-config-out=generated.tf",
            ],
        );
        let plan = PlanOutput::parse(&out);
        for (file, summary) in &plan.errors {
            assert_eq!(
                file, "generated.tf",
                "{account}: an import failed, not the generated configuration: {summary}"
            );
        }
        let generated = std::fs::read_to_string(root.join("generated.tf")).unwrap();
        let mut generated = hcl_edit::parser::parse_body(&generated).unwrap();
        let addresses: BTreeSet<String> = generated
            .get_blocks("resource")
            .map(|b| {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                labels.join(".")
            })
            .collect();
        for (to, id) in &blocks {
            assert!(
                addresses.contains(to),
                "{account}: Terraform read nothing for `{to}` by id {id}: {:?}",
                plan.errors
            );
        }
        eprintln!(
            "{account}: {} import blocks, generated config straight away: {} errors",
            blocks.len(),
            plan.errors.len()
        );

        review(&mut generated);
        std::fs::write(root.join("generated.tf"), generated.to_string()).unwrap();
        let out = tf.output(&root, &["plan", "-json", "-input=false"]);
        let plan = PlanOutput::parse(&out);
        assert_eq!(plan.errors, vec![], "{account}: after the review");
        let wanted: BTreeSet<String> = blocks.iter().map(|(to, _)| to.clone()).collect();
        assert_eq!(plan.importing, wanted, "{account}: every block imported");
        assert_eq!(
            plan.summary["import"].as_u64(),
            Some(wanted.len() as u64),
            "{account}: {}",
            plan.summary
        );
        // Nothing but the imported resources is touched; a resource whose
        // config holds what AWS never returns (a private key) is replaced.
        let touched: BTreeSet<&String> = plan.actions.keys().collect();
        assert!(
            touched.iter().all(|a| wanted.contains(*a)),
            "{account}: {:?}",
            plan.actions
        );
        let replaced: Vec<&String> = plan
            .actions
            .iter()
            .filter(|(_, action)| *action == "replace")
            .map(|(a, _)| a)
            .collect();
        eprintln!(
            "{account}: after the review, {} imported, plan {} (replaced: {replaced:?})",
            plan.importing.len(),
            plan.summary
        );
        imported += plan.importing.len();
    }
    imported
}

fn provider_for(account: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      \
         version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n\nprovider \"aws\" {{\n  region = \"{REGION}\"\n  \
         assume_role {{\n    role_arn = \"arn:aws:iam::{account}:role/OrganizationAccountAccessRole\"\n  }}\n}}\n"
    )
}

/// What `terraform plan -json` reported: errors (file, summary), the
/// addresses it plans to import, and its change summary.
#[derive(Debug)]
struct PlanOutput {
    errors: Vec<(String, String)>,
    importing: BTreeSet<String>,
    /// The action planned for each address that changes.
    actions: BTreeMap<String, String>,
    summary: Value,
}

impl PlanOutput {
    fn parse(out: &Output) -> PlanOutput {
        let mut plan = PlanOutput {
            errors: Vec::new(),
            importing: BTreeSet::new(),
            actions: BTreeMap::new(),
            summary: Value::Null,
        };
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            match message["type"].as_str() {
                Some("diagnostic") if message["diagnostic"]["severity"] == "error" => {
                    let d = &message["diagnostic"];
                    plan.errors.push((
                        d["range"]["filename"].as_str().unwrap_or("").to_string(),
                        format!(
                            "{}: {} ({})",
                            d["address"].as_str().unwrap_or(""),
                            d["summary"].as_str().unwrap_or(""),
                            d["detail"].as_str().unwrap_or("")
                        ),
                    ));
                }
                Some("planned_change") => {
                    let change = &message["change"];
                    let address = change["resource"]["addr"].as_str().unwrap().to_string();
                    if change["importing"].is_object() {
                        plan.importing.insert(address.clone());
                    }
                    let action = change["action"].as_str().unwrap_or_default();
                    if action != "noop" {
                        plan.actions.insert(address, action.to_string());
                    }
                }
                Some("change_summary") => plan.summary = message["changes"].clone(),
                _ => {}
            }
        }
        if out.status.success() {
            assert!(plan.errors.is_empty());
        } else {
            assert!(
                !plan.errors.is_empty(),
                "terraform plan failed without a diagnostic: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        plan
    }
}

/// How an edit changes one attribute of generated configuration.
enum Edit {
    /// Remove the attribute (or the nested block of that name).
    Remove,
    /// Give it this value (a string), adding it when missing.
    Set(&'static str),
    /// Put this in front of its string value.
    Prefix(&'static str),
}

/// What the import test's person supplies that AWS never returns: the
/// server certificate's private key (the endpoint does not parse it).
const SUPPLIED_PRIVATE_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nplaceholder\n-----END PRIVATE KEY-----";

/// The review `terraform plan -generate-config-out` asks for: configuration
/// Terraform generates from what it read but refuses to plan. Per type: the
/// path (nested blocks, then the attribute), the edit, and why. "moto" marks
/// an answer of the test endpoint that AWS does not give.
const REVIEW: &[(&str, &str, Edit, &str)] = &[
    (
        "aws_kms_key",
        "rotation_period_in_days",
        Edit::Remove,
        "read as 0 for a key that does not rotate, which the provider refuses",
    ),
    (
        "aws_vpc",
        "ipv6_netmask_length",
        Edit::Remove,
        "read as 0, which needs an IPAM pool",
    ),
    (
        "aws_subnet",
        "availability_zone_id",
        Edit::Remove,
        "read beside availability_zone, which it conflicts with",
    ),
    (
        "aws_subnet",
        "enable_lni_at_device_index",
        Edit::Remove,
        "read as 0, which the provider refuses",
    ),
    (
        "aws_subnet",
        "map_customer_owned_ip_on_launch",
        Edit::Remove,
        "read as false, which needs an Outpost",
    ),
    (
        "aws_launch_template",
        "security_group_names",
        Edit::Remove,
        "read as [] beside vpc_security_group_ids, which it conflicts with",
    ),
    (
        "aws_launch_template",
        "metadata_options.http_put_response_hop_limit",
        Edit::Remove,
        "moto answers 0",
    ),
    (
        "aws_dynamodb_table",
        "point_in_time_recovery.recovery_period_in_days",
        Edit::Remove,
        "moto answers 0 with recovery off",
    ),
    (
        "aws_ssm_parameter",
        "value",
        Edit::Set("on"),
        "the value is not generated: supply it",
    ),
    (
        "aws_iam_openid_connect_provider",
        "url",
        Edit::Prefix("https://"),
        "AWS returns the URL without its scheme",
    ),
    (
        "aws_iam_server_certificate",
        "private_key",
        Edit::Set(SUPPLIED_PRIVATE_KEY),
        "AWS never returns the private key: supply it",
    ),
    (
        "aws_lb",
        "subnets",
        Edit::Remove,
        "read beside subnet_mapping, which it conflicts with",
    ),
    (
        "aws_lb",
        "connection_logs",
        Edit::Remove,
        "an empty block whose bucket is required",
    ),
    (
        "aws_lb_listener",
        "default_action.order",
        Edit::Remove,
        "moto answers 0",
    ),
    (
        "aws_db_instance",
        "domain_dns_ips",
        Edit::Remove,
        "read as [], which the provider refuses",
    ),
    (
        "aws_rds_cluster",
        "kms_key_id",
        Edit::Remove,
        "moto answers a key name, not an ARN",
    ),
    (
        "aws_opensearch_domain",
        "auto_tune_options.desired_state",
        Edit::Set("DISABLED"),
        "moto answers an empty state",
    ),
    (
        "aws_opensearch_domain",
        "cluster_config.warm_count",
        Edit::Remove,
        "moto answers 0",
    ),
    (
        "aws_opensearch_domain",
        "ebs_options.throughput",
        Edit::Remove,
        "moto answers 0",
    ),
];

fn review(body: &mut Body) {
    for block in body.blocks_mut() {
        if block.ident.as_str() != "resource" {
            continue;
        }
        let kind = block.labels[0].as_str().to_string();
        for (_, path, edit, _) in REVIEW.iter().filter(|(k, ..)| *k == kind) {
            apply_edit(block, path, edit);
        }
    }
}

fn apply_edit(block: &mut Block, path: &str, edit: &Edit) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    let mut body = &mut block.body;
    for part in parts {
        let Some(nested) = body.get_blocks_mut(part).next() else {
            return;
        };
        body = &mut nested.body;
    }
    match edit {
        Edit::Remove => {
            body.remove_attribute(last);
            body.remove_blocks(last);
        }
        Edit::Set(value) => {
            body.remove_attribute(last);
            body.push(Attribute::new(Ident::new(last), *value));
        }
        Edit::Prefix(prefix) => {
            if let Some(mut attribute) = body.get_attribute_mut(last) {
                let value = attribute.value.as_str().unwrap_or_default().to_string();
                *attribute.value_mut() = Expression::from(format!("{prefix}{value}"));
            }
        }
    }
}

/// A state that S3 refuses (the Terraform-made state bucket denies plain
/// HTTP, as the reference's does) is a coverage gap of class AccessDenied.
fn state_that_s3_refuses_is_access_denied(endpoint: &Endpoint, work: &Path, accounts: &Value) {
    let shared = accounts["shared"].as_str().unwrap();
    let uri = format!("s3://krci-terraform-states-{shared}/shared/terraform.tfstate");
    let (code, report, stderr) = check(
        endpoint,
        work,
        "unmanaged",
        &["--format", "json", "--strict", "--tfstate", &uri],
    );
    assert_eq!(code, 3, "incomplete with --strict: {stderr}");
    assert!(
        stderr.contains(&uri) && stderr.contains("access denied"),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let gaps: Vec<&Value> = report["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["service"] == "terraform")
        .collect();
    // One gap in each account: every account's drift rules are not evaluated.
    assert_eq!(gaps.len(), 4, "{report:#}");
    for gap in gaps {
        assert_eq!(gap["error"], "AccessDenied", "{gap}");
        assert!(gap["message"].as_str().unwrap().contains(&uri));
    }
}
