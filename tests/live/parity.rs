//! Parity with the drifted reference fixture: the organization that
//! `reference-drifted.json` describes, seeded into moto (tests/live/seed_fixture.py),
//! audited live, gives exactly the findings `check` gives on the fixture itself,
//! apart from an explicit table of attributes moto cannot hold.
//!
//! Findings are compared on (rule id, account role, resource), with account ids
//! replaced by the account's role and moto's generated ids (VPCs, load
//! balancers, certificates, ...) replaced by the fixture's, from the map the
//! seeder prints.

use super::{repo, venv, Endpoint};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const FIXTURE: &str = "fixtures/snapshots/reference-drifted.json";

/// Findings moto cannot reproduce: (rule id, resource after normalisation or
/// `None` for every finding of the rule, why). Every entry must remove at least
/// one finding, so the table cannot go stale.
const EXCLUDED: &[(&str, Option<&str>, &str)] = &[
    ("IAM002", None, "moto dates an access key at its creation: no key is 90 days old"),
    ("IAM003", None, "moto records no last use of an access key: none is idle for 45 days"),
    ("IAM004", None, "moto has no root credentials: AccountAccessKeysPresent is always 0"),
    (
        "IAM007",
        None,
        "AWS managed policies (AdministratorAccess, ...) cannot be attached \
         unless moto loads them all (MOTO_IAM_LOAD_MANAGED_POLICIES, slow)",
    ),
    (
        "IAM012",
        None,
        "moto has no root user: AccountMFAEnabled is always 0, so every account is flagged",
    ),
    ("NET002", None, "EC2 Client VPN is not implemented in moto"),
    (
        "CT001",
        None,
        "moto shows an organization trail only in its own account: the members look unlogged",
    ),
    (
        "SH002",
        None,
        "moto has no GetEnabledStandards (HTTP 404): the rule is not evaluated \
         where a hub is on",
    ),
    ("NET003", None, "EC2 Client VPN is not implemented in moto"),
    (
        "NET011",
        None,
        "EC2 Client VPN is not implemented in moto: the rule is not evaluated",
    ),
    (
        "TOPO005",
        None,
        "EC2 Client VPN is not implemented in moto: the rule is not evaluated",
    ),
    (
        "TOPO006",
        None,
        "Managed Grafana is not in moto: the rule is not evaluated",
    ),
    (
        "TLS005",
        Some("arn:aws:acm:eu-central-1:<shared>:certificate/38c50e6f-7b97-4543-a1c2-44c41ec533ae"),
        "moto issues every requested certificate: none is FAILED",
    ),
    (
        "TLS005",
        Some("arn:aws:acm:eu-central-1:<development>:certificate/e14d989b-dbe4-47e3-a16c-f2a7745f0fa1"),
        "moto's InUseBy only counts a listener's default certificate, \
         not one added with AddListenerCertificates",
    ),
    (
        "TLS005",
        Some("arn:aws:acm:eu-central-1:<production>:certificate/885bff2d-ef7f-4833-ad67-f8ca6cb0ded9"),
        "moto reports RenewalEligibility INELIGIBLE for every certificate in use",
    ),
    (
        "TLS005",
        Some("arn:aws:acm:eu-central-1:<shared>:certificate/e71fca6f-4b15-43c6-a187-968482f05dd3"),
        "moto reports RenewalEligibility INELIGIBLE for every certificate in use",
    ),
    (
        "TLS005",
        Some("arn:aws:acm:eu-central-1:<development>:certificate/cb23993a-f50e-4419-a6ec-1936a3191fce"),
        "moto reports RenewalEligibility INELIGIBLE for every certificate in use",
    ),
];

type Key = (String, String, String);

/// What seed_fixture.py created.
struct FixtureSeed {
    /// fixture account id -> moto account id
    accounts: BTreeMap<String, String>,
    /// moto's id or ARN -> the fixture's (with account ids already rewritten to moto's)
    ids: Vec<(String, String)>,
    skipped: Vec<String>,
}

fn seed_fixture(endpoint: &Endpoint) -> FixtureSeed {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo().join("tests/live/seed_fixture.py"))
        .args(["--endpoint", &endpoint.url, "--fixture"])
        .arg(repo().join(FIXTURE))
        .output()
        .expect("run seed_fixture.py");
    assert!(
        out.status.success(),
        "seed_fixture.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    endpoint.clear_calls();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |v: &Value| -> Vec<(String, String)> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect()
    };
    let mut ids = strings(&v["ids"]);
    // Longest first: a replaced id never cuts into a longer one.
    ids.sort_by_key(|(moto, _)| std::cmp::Reverse(moto.len()));
    FixtureSeed {
        accounts: strings(&v["accounts"]).into_iter().collect(),
        ids,
        skipped: v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect(),
    }
}

/// fixture account id -> role, from the fixture's archaudit:role tags.
fn fixture_roles() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo().join(FIXTURE)).unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    fixture["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["account"]["id"].as_str().unwrap().to_string(),
                a["account"]["tags"]["archaudit:role"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

/// The report's findings keyed on names moto cannot change.
fn keys(report: &str, ids: &[(String, String)], roles: &BTreeMap<String, String>) -> Vec<Key> {
    let v: Value = serde_json::from_str(report).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut resource = f["resource"].as_str().unwrap().to_string();
            for (moto, fixture) in ids {
                resource = resource.replace(moto, fixture);
            }
            for (id, role) in roles {
                resource = resource.replace(id, &format!("<{role}>"));
            }
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["account_role"].as_str().unwrap().to_string(),
                resource,
            )
        })
        .collect()
}

fn excluded(key: &Key) -> Option<usize> {
    EXCLUDED
        .iter()
        .position(|(rule, resource, _)| *rule == key.0 && resource.is_none_or(|r| r == key.2))
}

fn listing(keys: &BTreeSet<&Key>) -> String {
    keys.iter()
        .map(|(rule, role, resource)| format!("  {rule:<8} {role:<12} {resource}\n"))
        .collect()
}

#[test]
fn live_audit_of_the_seeded_drifted_fixture_matches_check_on_the_fixture() {
    let endpoint = Endpoint::start();
    let seeded = seed_fixture(&endpoint);
    let roles = fixture_roles();
    let live_roles: BTreeMap<String, String> = seeded
        .accounts
        .iter()
        .map(|(fixture, moto)| (moto.clone(), roles[fixture].clone()))
        .collect();
    assert_eq!(
        live_roles.len(),
        roles.len(),
        "one moto account per fixture account"
    );

    let (code, report, stderr) = endpoint.audit_org(&[]);
    assert_eq!(code, 1, "high findings fail the default gate: {stderr}");
    let live = keys(&report, &seeded.ids, &live_roles);

    let (code, offline, stderr) = crate::util::archaudit(&["check", FIXTURE, "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let fixture = keys(&offline, &[], &roles);
    assert_eq!(
        fixture.len(),
        147,
        "the fixture's findings changed: update this test"
    );

    let mut used = vec![0usize; EXCLUDED.len()];
    let mut compared = |all: &[Key]| -> BTreeSet<Key> {
        all.iter()
            .filter(|k| match excluded(k) {
                Some(i) => {
                    used[i] += 1;
                    false
                }
                None => true,
            })
            .cloned()
            .collect()
    };
    let fixture = compared(&fixture);
    let live_set = compared(&live);
    let unused: Vec<String> = used
        .iter()
        .zip(EXCLUDED)
        .filter(|(n, _)| **n == 0)
        .map(|(_, (rule, resource, why))| format!("{rule} {resource:?}: {why}"))
        .collect();

    let missing: BTreeSet<&Key> = fixture.difference(&live_set).collect();
    let extra: BTreeSet<&Key> = live_set.difference(&fixture).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "live findings differ from `check {FIXTURE}`\n\
         missing on live ({}):\n{}extra on live ({}):\n{}\
         exclusions that matched nothing:\n  {}\n\
         what the seeder could not create:\n  {}",
        missing.len(),
        listing(&missing),
        extra.len(),
        listing(&extra),
        unused.join("\n  "),
        seeded.skipped.join("\n  ")
    );
    assert!(
        unused.is_empty(),
        "exclusions that match no finding (remove them):\n  {}",
        unused.join("\n  ")
    );
    // 147 less the 13 the table removes from the fixture's side.
    assert_eq!(fixture.len(), 134, "findings compared");
}
