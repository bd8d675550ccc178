//! Faults: an account whose role cannot be assumed, a service denied in one
//! account, throttling, a region that is not enabled. Each becomes coverage,
//! the rest of the audit completes, and nothing unread is reported as passing.
//! Also: only read operations reach the endpoint.

use super::{read_snapshot, Endpoint};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn collect(endpoint: &Endpoint, name: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = endpoint.path(name);
    let mut args = vec![
        "collect",
        "--org",
        "--regions",
        "eu-central-1",
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let (code, _, stderr) = endpoint.archaudit(&args);
    let snap = if code == 0 {
        read_snapshot(&out)
    } else {
        Value::Null
    };
    (code, snap, stderr)
}

fn arns(snapshot: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(arn)) = m.get("arn") {
                    out.insert(arn.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&snapshot["accounts"], &mut out);
    out
}

#[test]
fn unassumable_account_and_denied_service_are_gaps_and_the_rest_is_audited() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(0);
    let (dev, prod) = (
        &seeded.accounts["development"],
        &seeded.accounts["production"],
    );
    endpoint.set_faults(json!([
        {"account": seeded.management, "operation": "AssumeRole", "error": "AccessDenied", "role_account": dev},
        {"account": prod, "operation": "DescribeRepositories", "error": "AccessDeniedException"}
    ]));
    let (code, report, stderr) = endpoint.audit_org(&["--strict"]);
    assert_eq!(code, 3, "--strict: the audit is incomplete: {stderr}");
    let v: Value = serde_json::from_str(&report).unwrap();
    let gaps = v["coverage_gaps"].as_array().unwrap();
    let dev_gap = gaps
        .iter()
        .find(|g| g["account_id"] == dev.as_str())
        .expect("a gap for development");
    assert_eq!(
        (dev_gap["service"].as_str(), dev_gap["error"].as_str()),
        (Some("account"), Some("AssumeRoleFailed"))
    );
    assert!(
        dev_gap["message"]
            .as_str()
            .unwrap()
            .contains("AccessDenied"),
        "{dev_gap}"
    );
    let ecr_gap = gaps
        .iter()
        .find(|g| g["account_id"] == prod.as_str() && g["service"] == "ecr")
        .expect("ecr gap");
    assert_eq!(ecr_gap["error"], "AccessDenied");
    assert!(ecr_gap["rules_not_evaluated"]
        .as_array()
        .unwrap()
        .contains(&"ECR002".into()));

    let findings = v["findings"].as_array().unwrap();
    let of = |account: &str| {
        findings
            .iter()
            .filter(|f| f["account_id"] == account)
            .collect::<Vec<_>>()
    };
    assert!(
        of(dev).is_empty(),
        "nothing is reported for an account that was not read"
    );
    assert!(
        !of(prod)
            .iter()
            .any(|f| f["rule_id"].as_str().unwrap().starts_with("ECR")),
        "ECR was denied in production"
    );
    assert!(
        of(prod).iter().any(|f| f["rule_id"] == "EKS002"),
        "the rest of production is audited"
    );
    assert!(
        of(&seeded.accounts["shared"])
            .iter()
            .any(|f| f["rule_id"] == "RDS001"),
        "the other accounts are audited"
    );
}

#[test]
fn throttling_is_retried_and_no_resource_is_lost() {
    let endpoint = Endpoint::start();
    endpoint.seed(0);
    let (code, calm, stderr) = collect(&endpoint, "calm.json", &[]);
    assert_eq!(code, 0, "{stderr}");
    endpoint.set_faults(json!([
        {"operation": "DescribeRepositories", "error": "ThrottlingException", "times": 4},
        {"operation": "DescribeLoadBalancers", "error": "Throttling", "times": 4},
        {"operation": "ListRoles", "error": "Throttling", "times": 3},
        {"operation": "DescribeVpcs", "error": "RequestLimitExceeded", "times": 3}
    ]));
    endpoint.clear_calls();
    let (code, throttled, stderr) = collect(&endpoint, "throttled.json", &[]);
    assert_eq!(code, 0, "{stderr}");
    let faulted = endpoint
        .calls()
        .iter()
        .filter(|c| c["faulted"] == true)
        .count();
    assert_eq!(faulted, 14, "every injected throttle was hit");
    for account in throttled["accounts"].as_array().unwrap() {
        for c in account["coverage"].as_array().unwrap() {
            assert_ne!(c["error"], "Throttled", "retried until read: {c}");
        }
    }
    assert_eq!(arns(&throttled), arns(&calm));
    assert!(arns(&calm).len() > 50);
}

#[test]
fn a_region_that_is_not_enabled_is_reported_not_fatal() {
    let endpoint = Endpoint::start();
    let seeded = endpoint.seed(0);
    endpoint.set_faults(json!([{"region": "ap-east-1", "error": "UnrecognizedClientException"}]));
    let (code, snap, stderr) = collect(
        &endpoint,
        "regions.json",
        &["--regions", "eu-central-1,ap-east-1"],
    );
    assert_eq!(code, 0, "{stderr}");
    let prod = snap["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"]["id"] == seeded.accounts["production"].as_str())
        .unwrap();
    let coverage = prod["coverage"].as_array().unwrap();
    let east: Vec<&Value> = coverage
        .iter()
        .filter(|c| c["region"] == "ap-east-1")
        .collect();
    assert!(!east.is_empty());
    assert!(
        east.iter()
            .all(|c| c["status"] == "error" && c["error"] == "RegionDisabled"),
        "{east:#?}"
    );
    assert!(coverage
        .iter()
        .any(|c| c["region"] == "eu-central-1" && c["service"] == "eks" && c["status"] == "ok"));
}

#[test]
fn only_read_operations_reach_the_endpoint() {
    let endpoint = Endpoint::start();
    endpoint.seed(0);
    let (code, _, stderr) = endpoint.audit_org(&["--fail-on", "none"]);
    assert_eq!(code, 0, "{stderr}");
    let calls = endpoint.calls();
    assert!(
        calls.len() > 100,
        "the proxy saw the audit: {}",
        calls.len()
    );
    let mut operations = BTreeSet::new();
    for call in &calls {
        let op = call["operation"].as_str().unwrap().to_string();
        let method = call["method"].as_str().unwrap();
        let read = ["List", "Describe", "Get"]
            .iter()
            .any(|p| op.starts_with(p))
            || op == "AssumeRole"
            // Security Hub's GetEnabledStandards is a POST (its filter is a body).
            || op == "POST /standards/get"
            || (op.starts_with("GET ") || op.starts_with("HEAD "))
                && ["GET", "HEAD"].contains(&method);
        assert!(read, "not a read operation: {call}");
        operations.insert(op);
    }
    for forbidden in [
        "GetSecretValue",
        "GetParameter",
        "GetParameters",
        "GetParametersByPath",
    ] {
        assert!(!operations.contains(forbidden), "{forbidden} was called");
    }
    assert!(
        operations.contains("DescribeParameters") && operations.contains("ListSecrets"),
        "{operations:?}"
    );
    // And every one of them is listed and granted by `archaudit policy`.
    let granted = super::policy::assert_calls_granted(&calls);
    for op in [
        "sts:AssumeRole",
        "organizations:ListAccounts",
        "eks:DescribeCluster",
        "s3:GetBucketEncryption",
        "elasticfilesystem:DescribeBackupPolicy",
        "es:ListDomainNames",
        "wafv2:GetWebACLForResource",
    ] {
        assert!(granted.contains(op), "{op} not seen: {granted:?}");
    }
}
