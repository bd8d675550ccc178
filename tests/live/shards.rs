//! Collection at scale: a 9-account organization collected as 4 shards into
//! moto's S3 (`collect --shard i/4 --output s3://...`), checked from the prefix,
//! gives exactly the findings and gaps of one unsharded audit. Faults: a missing
//! shard, a shard or account given twice, objects that cannot be read, a
//! truncated object: each a clear outcome naming the object, nothing lost.

use super::{venv, Endpoint};
use crate::util::assert_clean_error;
use archaudit::snapshot::Shard;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::Command;

const BUCKET: &str = "krci-audit-snapshots";
const DAY: &str = "2026-11-24";

/// Runs a boto3 snippet against the endpoint with `s3` (a client) and
/// `sys.argv[1:]` = `args`; its standard output.
fn boto3(endpoint: &Endpoint, script: &str, args: &[&str]) -> String {
    let prelude = "import boto3, sys, json\n\
        s3 = boto3.client('s3', endpoint_url=sys.argv.pop(1), aws_access_key_id='testing',\n\
            aws_secret_access_key='testing', region_name='eu-central-1')\n";
    let out = Command::new(venv().join("bin/python"))
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .arg(&endpoint.url)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn create_bucket(endpoint: &Endpoint, bucket: &str) {
    boto3(
        endpoint,
        "s3.create_bucket(Bucket=sys.argv[1], CreateBucketConfiguration={'LocationConstraint': 'eu-central-1'})",
        &[bucket],
    );
}

/// HeadObject: (ServerSideEncryption, SSEKMSKeyId).
fn encryption(endpoint: &Endpoint, key: &str) -> Value {
    let out = boto3(
        endpoint,
        "h = s3.head_object(Bucket=sys.argv[1], Key=sys.argv[2])\n\
         print(json.dumps([h.get('ServerSideEncryption'), h.get('SSEKMSKeyId')]))",
        &[BUCKET, key],
    );
    serde_json::from_str(&out).unwrap()
}

/// Copies an object's bytes to another key, keeping only the first `keep` bytes (all if None).
fn copy(endpoint: &Endpoint, from: &str, to: &str, keep: Option<usize>) {
    boto3(
        endpoint,
        "b = s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])['Body'].read()\n\
         n = int(sys.argv[4])\n\
         s3.put_object(Bucket=sys.argv[1], Key=sys.argv[3], Body=b[:n] if n >= 0 else b)",
        &[BUCKET, from, to, &keep.map_or(-1, |n| n as i64).to_string()],
    );
}

fn findings(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("rule_id"), s("account_id"), s("region"), s("resource"))
        })
        .collect()
}

fn gaps(report: &Value) -> BTreeSet<(String, String, String, String)> {
    report["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let s = |k: &str| g[k].as_str().unwrap().to_string();
            (s("account_id"), s("region"), s("service"), s("error"))
        })
        .collect()
}

fn json_report(result: (i32, String, String), code: i32) -> Value {
    let (got, stdout, stderr) = result;
    assert_eq!(got, code, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn four_shards_in_s3_give_the_findings_of_one_audit() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(5);
    let mut all: BTreeSet<String> = seeded.accounts.values().cloned().collect();
    all.insert(seeded.management.clone());
    assert_eq!(all.len(), 4, "seed.py reports its three role accounts");
    create_bucket(&endpoint, BUCKET);
    endpoint.clear_calls();

    let key = |i: u32| format!("{DAY}/shard-{i}.json.zst");
    for i in 0..4 {
        let (code, _, stderr) = endpoint.archaudit(&[
            "collect",
            "--org",
            "--regions",
            "eu-central-1",
            "--shard",
            &format!("{i}/4"),
            "--output",
            &format!("s3://{BUCKET}/{}", key(i)),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains(&format!("shard {i}/4 (")) && stderr.contains("of 9 accounts)"),
            "{stderr}"
        );
        assert_eq!(encryption(&endpoint, &key(i)), json!(["AES256", null]));
    }
    let puts: Vec<Value> = endpoint
        .calls()
        .into_iter()
        .filter(|c| c["method"] == "PUT")
        .collect();
    assert_eq!(puts.len(), 4, "one write per shard, nothing else: {puts:?}");

    let prefix = format!("s3://{BUCKET}/{DAY}/");
    let report_key = format!("reports/{DAY}/findings.json");
    let (code, _, stderr) = endpoint.archaudit(&[
        "check",
        &prefix,
        "--format",
        "json",
        "--fail-on",
        "none",
        "--output",
        &format!("s3://{BUCKET}/{report_key}"),
        "--sse-kms-key-id",
        "alias/krci-audit",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        encryption(&endpoint, &report_key),
        json!(["aws:kms", "alias/krci-audit"])
    );
    let sharded: Value = serde_json::from_str(&boto3(
        &endpoint,
        "sys.stdout.write(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])['Body'].read().decode())",
        &[BUCKET, &report_key],
    ))
    .unwrap();

    let whole = json_report(endpoint.audit_org(&["--fail-on", "none"]), 0);
    assert_eq!(whole["summary"]["accounts"], 9);
    assert_eq!(sharded["summary"]["accounts"], 9);
    assert!(findings(&whole).len() > 20, "the seeded drift is found");
    assert_eq!(findings(&sharded), findings(&whole));
    // The same gaps too (what moto lacks), and no shard is reported missing.
    assert_eq!(gaps(&sharded), gaps(&whole));
    assert!(gaps(&sharded).iter().all(|g| g.2 != "account"));

    // Yesterday's shards as the baseline of today's audit: nothing changed, so
    // every finding is unchanged and --fail-on-new gates nothing.
    let against = json_report(
        endpoint.audit_org(&["--baseline", &prefix, "--fail-on-new", "low"]),
        0,
    );
    assert_eq!(against["baseline"]["source"], prefix.as_str());
    assert_eq!(against["baseline"]["new"], 0);
    assert_eq!(against["baseline"]["resolved"], json!([]));
    let states: BTreeSet<&str> = against["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["baseline_state"].as_str().unwrap())
        .collect();
    assert_eq!(states, BTreeSet::from(["unchanged"]));

    // The prefix is read page by page.
    endpoint.clear_calls();
    let listed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
                .endpoint_url(&endpoint.url)
                .region(aws_config::Region::new("eu-central-1"))
                .credentials_provider(aws_credential_types::Credentials::new(
                    "testing", "testing", None, None, "test",
                ))
                .load()
                .await;
            archaudit::store::S3Objects::from_config(config)
                .list_snapshots(&prefix, Some(1))
                .await
        })
        .unwrap();
    assert_eq!(
        listed,
        (0..4)
            .map(|i| format!("s3://{BUCKET}/{}", key(i)))
            .collect::<Vec<_>>()
    );
    let ops: Vec<String> = endpoint
        .calls()
        .iter()
        .map(|c| c["operation"].as_str().unwrap().to_string())
        .collect();
    // GetBucketLocation, then one ListObjectsV2 page per key.
    let pages = ops
        .iter()
        .filter(|o| *o == &format!("GET /{BUCKET}/"))
        .count();
    assert!(pages >= 5, "one ListObjectsV2 page per key: {ops:?}");

    // A missing shard: its accounts are gaps, nothing about them passes.
    let prod = &seeded.accounts["production"];
    let missing = Shard::owner(prod, 4);
    let lost: BTreeSet<String> = all_ids(&whole)
        .into_iter()
        .filter(|id| Shard::owner(id, 4) == missing)
        .collect();
    let present: Vec<String> = (0..4)
        .filter(|i| *i != missing)
        .map(|i| format!("s3://{BUCKET}/{}", key(i)))
        .collect();
    let mut args = vec!["check", "--format", "json", "--fail-on", "none"];
    args.extend(present.iter().map(String::as_str));
    let partial = json_report(endpoint.archaudit(&args), 0);
    assert_eq!(partial["summary"]["accounts"], 9);
    assert_eq!(partial["summary"]["complete"], false);
    let unread: BTreeSet<String> = partial["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["service"] == "account")
        .map(|g| {
            assert_eq!(g["error"], "NotCollected");
            assert!(
                g["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("shard {missing}/4 is missing")),
                "{g}"
            );
            assert!(!g["rules_not_evaluated"].as_array().unwrap().is_empty());
            g["account_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(unread, lost);
    let expected: BTreeSet<_> = findings(&whole)
        .into_iter()
        .filter(|f| !lost.contains(&f.1))
        .collect();
    assert_eq!(findings(&partial), expected);
    args.push("--strict");
    let (code, _, stderr) = endpoint.archaudit(&args);
    assert_eq!(code, 3, "{stderr}");
    // Markdown names the missing shard like any other gap.
    let markdown_args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "json" { "markdown" } else { a })
        .collect();
    let (code, markdown, _) = endpoint.archaudit(&markdown_args);
    assert_eq!(code, 3);
    assert!(
        markdown.contains(&format!("NotCollected: shard {missing}/4 is missing")),
        "{markdown}"
    );

    // A shard given twice (a retried upload): an error naming both objects.
    copy(
        &endpoint,
        &key(1),
        &format!("{DAY}/shard-1-retry.json.zst"),
        None,
    );
    assert_clean_error(
        &endpoint.archaudit(&["check", &prefix]),
        &[
            &format!("s3://{BUCKET}/{DAY}/shard-1.json.zst"),
            &format!("s3://{BUCKET}/{DAY}/shard-1-retry.json.zst"),
            "both shard 1/4",
        ],
    );

    // The same account in two whole snapshots: an error naming the account and both.
    let local = endpoint.path("prod.json");
    let (code, _, stderr) = endpoint.archaudit(&[
        "collect",
        "--account",
        prod,
        "--regions",
        "eu-central-1",
        "--output",
        local.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    boto3(
        &endpoint,
        "for k in sys.argv[3:]: s3.put_object(Bucket=sys.argv[1], Key=k, Body=open(sys.argv[2], 'rb').read())",
        &[BUCKET, local.to_str().unwrap(), "twice/a.json", "twice/b.json"],
    );
    assert_clean_error(
        &endpoint.archaudit(&["check", &format!("s3://{BUCKET}/twice/")]),
        &[
            &format!("account {prod} is in both"),
            &format!("s3://{BUCKET}/twice/a.json"),
            &format!("s3://{BUCKET}/twice/b.json"),
        ],
    );

    // Objects that cannot be read: each a one-line error naming it.
    let absent = format!("s3://{BUCKET}/{DAY}/shard-7.json.zst");
    assert_clean_error(
        &endpoint.archaudit(&["check", &absent]),
        &[&absent, "no such object"],
    );
    let no_bucket = "s3://krci-audit-no-such-bucket/2026-11-24/";
    assert_clean_error(
        &endpoint.archaudit(&["check", no_bucket]),
        &[no_bucket, "no such bucket"],
    );
    let empty = format!("s3://{BUCKET}/2026-11-23/");
    assert_clean_error(
        &endpoint.archaudit(&["check", &empty]),
        &[&empty, "no snapshot"],
    );
    endpoint.set_faults(json!([
        {"operation": format!("GET /{BUCKET}/{}", key(2)), "error": "AccessDenied"}
    ]));
    let denied = format!("s3://{BUCKET}/{}", key(2));
    assert_clean_error(
        &endpoint.archaudit(&["check", &prefix]),
        &[&denied, "access denied (read)"],
    );
    // Listing (and the bucket's location) denied: the prefix is named.
    endpoint.set_faults(json!([
        {"operation": format!("GET /{BUCKET}/"), "error": "AccessDenied"}
    ]));
    assert_clean_error(
        &endpoint.archaudit(&["check", &prefix]),
        &[&prefix, "access denied (list)"],
    );
    endpoint.set_faults(json!([]));

    // A truncated object: a corrupt snapshot, named.
    copy(&endpoint, &key(0), "truncated/shard-0.json.zst", Some(200));
    let truncated = format!("s3://{BUCKET}/truncated/shard-0.json.zst");
    assert_clean_error(
        &endpoint.archaudit(&["check", &truncated]),
        &[&truncated, "corrupt zstd snapshot"],
    );
}

fn all_ids(report: &Value) -> BTreeSet<String> {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}
