//! `--tfstate s3://bucket/key`: a Terraform state read through the S3 API of
//! the test endpoint locates findings exactly as the same state read from disk.

use super::{repo, run_archaudit, Endpoint};
use crate::util::{archaudit, assert_clean_error};
use serde_json::Value;

const DRIFTED: &str = "fixtures/snapshots/reference-drifted.json";
const STATE: &str = "fixtures/terraform/states/shared.tfstate";

fn results(sarif: &str) -> Value {
    let v: Value = serde_json::from_str(sarif).unwrap();
    v["runs"][0]["results"].clone()
}

#[test]
fn state_in_s3_locates_findings_like_the_local_file() {
    let endpoint = Endpoint::start();
    endpoint.seed(0);
    // The seeded state buckets deny plain-HTTP writes (aws:SecureTransport), as the
    // reference's do, and moto enforces that: the state goes to a bucket of its own.
    let bucket = "krci-terraform-states-copy";
    endpoint.put_object(
        bucket,
        "shared/eu-central-1/platform/terraform.tfstate",
        &repo().join(STATE),
    );

    let common = [
        "check",
        DRIFTED,
        "--format",
        "sarif",
        "--fail-on",
        "none",
        "--tf-dir",
        "fixtures/terraform/shared",
    ];
    let mut local = common.to_vec();
    local.extend(["--tfstate", STATE]);
    let (code, local_sarif, stderr) = archaudit(&local);
    assert_eq!(code, 0, "{stderr}");

    let uri = format!("s3://{bucket}/shared/eu-central-1/platform/terraform.tfstate");
    let mut remote = common.to_vec();
    remote.extend(["--tfstate", &uri]);
    let (code, remote_sarif, stderr) = run_archaudit(&endpoint.url, &remote);
    assert_eq!(code, 0, "{stderr}");

    let results = results(&remote_sarif);
    assert_eq!(results, self::results(&local_sarif));
    let in_terraform = results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with(".tf")
        })
        .count();
    assert!(in_terraform > 0, "some findings sit on Terraform blocks");
    let ops: Vec<String> = endpoint
        .calls()
        .iter()
        .map(|c| c["operation"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ops.iter().all(|o| o.starts_with("GET ")),
        "only reads: {ops:?}"
    );

    let missing = format!("s3://{bucket}/shared/eu-central-1/nope/terraform.tfstate");
    let mut args = common.to_vec();
    args.extend(["--tfstate", &missing]);
    assert_clean_error(
        &run_archaudit(&endpoint.url, &args),
        &[&missing, "no such object"],
    );
    let mut args = common.to_vec();
    args.extend([
        "--tfstate",
        "s3://no-such-bucket-archaudit/terraform.tfstate",
    ]);
    assert_clean_error(
        &run_archaudit(&endpoint.url, &args),
        &[
            "s3://no-such-bucket-archaudit/terraform.tfstate",
            "no such bucket",
        ],
    );
}
