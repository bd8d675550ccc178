//! `--tfstate s3://bucket/key`: a Terraform state read through the S3 API of
//! the test endpoint locates findings exactly as the same state read from disk.

use super::{repo, run_archaudit, Endpoint};
use crate::util::archaudit;
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

    // A state that cannot be read is named, and the audit goes on without it.
    let missing = format!("s3://{bucket}/shared/eu-central-1/nope/terraform.tfstate");
    for (uri, problem) in [
        (missing.as_str(), "no such object"),
        (
            "s3://no-such-bucket-archaudit/terraform.tfstate",
            "no such bucket",
        ),
    ] {
        let mut args = common.to_vec();
        args.extend(["--tfstate", uri, "--strict"]);
        let (code, sarif, stderr) = run_archaudit(&endpoint.url, &args);
        assert_eq!(code, 3, "incomplete with --strict: {stderr}");
        assert!(stderr.contains(uri) && stderr.contains(problem), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!self::results(&sarif).as_array().unwrap().is_empty());
    }

    // A state S3 refuses is a gap of class AccessDenied, not Other.
    let key = "shared/eu-central-1/platform/terraform.tfstate";
    endpoint.set_faults(serde_json::json!([
        {"operation": format!("GET /{bucket}/{key}"), "error": "AccessDenied"}
    ]));
    let uri = format!("s3://{bucket}/{key}");
    let mut args: Vec<&str> = common.to_vec();
    args[3] = "json";
    args.extend(["--tfstate", &uri, "--strict"]);
    let (code, report, stderr) = run_archaudit(&endpoint.url, &args);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(&format!("{uri}: access denied (read)")),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let gaps = report["coverage_gaps"].as_array().unwrap();
    assert!(!gaps.is_empty());
    for gap in gaps {
        assert_eq!(
            (gap["service"].as_str(), gap["error"].as_str()),
            (Some("terraform"), Some("AccessDenied")),
            "{gap}"
        );
    }
}

/// A state in the endpoint's S3, against the live seeded organization:
/// changed, missing and unmanaged resources of the production account.
#[test]
fn state_in_s3_yields_drift_against_the_live_org() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(0);
    let prod = seeded.accounts["production"].clone();
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.9.8", "serial": 3,
        "lineage": "2a9e4c1b-7d3f-4e6a-9b8c-1d2e3f4a5b6c", "outputs": {},
        "resources": [
            {"mode": "managed", "type": "aws_s3_bucket", "name": "terraform_states",
             "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"schema_version": 0, "sensitive_attributes": [], "attributes": {
                "arn": format!("arn:aws:s3:::terraform-states-{prod}"),
                "id": format!("terraform-states-{prod}"),
                "bucket": format!("terraform-states-{prod}"),
                "versioning": [{"enabled": false, "mfa_delete": false}]}}]},
            {"mode": "managed", "type": "aws_s3_bucket_versioning", "name": "terraform_states",
             "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"schema_version": 0, "sensitive_attributes": [], "attributes": {
                "id": format!("terraform-states-{prod}"),
                "bucket": format!("terraform-states-{prod}"),
                "versioning_configuration": [{"mfa_delete": "", "status": "Enabled"}]}}]},
            {"mode": "managed", "type": "aws_s3_bucket", "name": "legacy",
             "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [{"schema_version": 0, "sensitive_attributes": [], "attributes": {
                "arn": format!("arn:aws:s3:::krci-legacy-artifacts-{prod}"),
                "id": format!("krci-legacy-artifacts-{prod}"),
                "bucket": format!("krci-legacy-artifacts-{prod}")}}]}
        ]
    });
    let file = endpoint.path("production.tfstate");
    std::fs::write(&file, serde_json::to_vec_pretty(&state).unwrap()).unwrap();
    let bucket = "krci-terraform-states-copy";
    let key = "production/eu-central-1/platform/terraform.tfstate";
    endpoint.put_object(bucket, key, &file);
    let config = endpoint.path("archaudit.toml");
    std::fs::write(&config, "[rules]\nenable = [\"drift\"]\n").unwrap();

    let uri = format!("s3://{bucket}/{key}");
    let (code, stdout, stderr) = endpoint.audit_org(&[
        "--fail-on",
        "none",
        "--config",
        config.to_str().unwrap(),
        "--tfstate",
        &uri,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let of =
        |rule: &str| -> Vec<&Value> { findings.iter().filter(|f| f["rule_id"] == rule).collect() };
    let changed = of("TFD003");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(
        changed[0]["resource"],
        format!("arn:aws:s3:::terraform-states-{prod}")
    );
    assert_eq!(
        changed[0]["message"],
        format!("aws_s3_bucket_versioning.terraform_states (terraform-states-{prod}): versioning_configuration.0.status Enabled (state) -> Suspended (live)")
    );
    assert_eq!(
        changed[0]["terraform_address"],
        "aws_s3_bucket_versioning.terraform_states"
    );
    let missing = of("TFD002");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(
        missing[0]["resource"],
        format!("arn:aws:s3:::krci-legacy-artifacts-{prod}")
    );
    assert!(missing[0]["message"].as_str().unwrap().contains(&uri));
    let unmanaged = of("TFD001");
    assert!(!unmanaged.is_empty());
    assert!(
        unmanaged.iter().all(|f| f["account_id"] == prod.as_str()),
        "only the account the state manages: {unmanaged:?}"
    );
    assert!(
        unmanaged.iter().any(|f| f["resource"]
            == format!("arn:aws:eks:eu-central-1:{prod}:cluster/production")),
        "{unmanaged:?}"
    );
}
