//! The calls that reached the endpoint against `archaudit policy`: every one must
//! be a listed operation whose IAM action the printed policies grant.
//!
//! JSON and query protocols name their operation (the proxy logs it); REST
//! services (S3, EKS, EFS, OpenSearch, Prometheus, Grafana) are known by method
//! and path, so they are named here from their documented routes. A call that
//! matches no route fails the test, so a new REST call must be added here (and to
//! its collector's `OPERATIONS`).

use archaudit::collect::policy;
use serde_json::Value;
use std::collections::BTreeSet;

/// (signing name, method, path pattern, query key, operation); `*` matches one
/// path segment, `**` the rest of the path, an empty query key matches any query.
const REST_ROUTES: &[(&str, &str, &str, &str, &str)] = &[
    ("s3", "GET", "/", "", "ListBuckets"),
    ("s3", "GET", "/*", "location", "GetBucketLocation"),
    ("s3", "GET", "/*", "versioning", "GetBucketVersioning"),
    ("s3", "GET", "/*", "encryption", "GetBucketEncryption"),
    (
        "s3",
        "GET",
        "/*",
        "publicAccessBlock",
        "GetPublicAccessBlock",
    ),
    ("s3", "GET", "/*", "policy", "GetBucketPolicy"),
    ("s3", "GET", "/*", "policyStatus", "GetBucketPolicyStatus"),
    ("s3", "GET", "/*", "acl", "GetBucketAcl"),
    // S3 Control signs as `s3`; its account-level block shares the operation name.
    (
        "s3",
        "GET",
        "/v20180820/configuration/publicAccessBlock",
        "",
        "GetPublicAccessBlock",
    ),
    ("s3", "GET", "/*", "logging", "GetBucketLogging"),
    ("s3", "GET", "/*", "tagging", "GetBucketTagging"),
    ("s3", "GET", "/*/**", "", "GetObject"),
    ("eks", "GET", "/clusters", "", "ListClusters"),
    ("eks", "GET", "/clusters/*", "", "DescribeCluster"),
    (
        "eks",
        "GET",
        "/clusters/*/node-groups",
        "",
        "ListNodegroups",
    ),
    (
        "eks",
        "GET",
        "/clusters/*/node-groups/*",
        "",
        "DescribeNodegroup",
    ),
    ("eks", "GET", "/clusters/*/addons", "", "ListAddons"),
    ("eks", "GET", "/clusters/*/addons/*", "", "DescribeAddon"),
    (
        "elasticfilesystem",
        "GET",
        "/2015-02-01/file-systems",
        "",
        "DescribeFileSystems",
    ),
    (
        "elasticfilesystem",
        "GET",
        "/2015-02-01/mount-targets",
        "",
        "DescribeMountTargets",
    ),
    (
        "elasticfilesystem",
        "GET",
        "/2015-02-01/mount-targets/*/security-groups",
        "",
        "DescribeMountTargetSecurityGroups",
    ),
    (
        "elasticfilesystem",
        "GET",
        "/2015-02-01/file-systems/*/backup-policy",
        "",
        "DescribeBackupPolicy",
    ),
    ("es", "GET", "/2021-01-01/domain", "", "ListDomainNames"),
    (
        "es",
        "POST",
        "/2021-01-01/opensearch/domain-info",
        "",
        "DescribeDomains",
    ),
    ("es", "GET", "/2021-01-01/tags", "arn", "ListTags"),
    ("aps", "GET", "/workspaces", "", "ListWorkspaces"),
    ("aps", "GET", "/workspaces/*", "", "DescribeWorkspace"),
    ("grafana", "GET", "/workspaces", "", "ListWorkspaces"),
    ("guardduty", "GET", "/detector", "", "ListDetectors"),
    ("guardduty", "GET", "/detector/*", "", "GetDetector"),
    ("securityhub", "GET", "/accounts", "", "DescribeHub"),
    (
        "securityhub",
        "POST",
        "/standards/get",
        "",
        "GetEnabledStandards",
    ),
];

fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    for (i, p) in pattern.iter().enumerate() {
        match (*p, path.get(i)) {
            ("**", Some(rest)) => return !rest.is_empty(),
            ("*", Some(segment)) if !segment.is_empty() => {}
            (p, Some(segment)) if p == *segment => {}
            _ => return false,
        }
    }
    pattern.len() == path.len()
}

/// The operation a logged call was: named by the protocol, or by its REST route.
fn operation(call: &Value) -> String {
    let logged = call["operation"].as_str().unwrap();
    let method = call["method"].as_str().unwrap();
    if !logged.starts_with(&format!("{method} ")) {
        return logged.to_string();
    }
    let service = call["service"].as_str().unwrap_or_default();
    let target = call["path"].as_str().unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    // Path-style S3 sends `/bucket/` for a bucket's own configuration.
    let path = match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    };
    let keys: BTreeSet<&str> = query
        .split('&')
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    // The most specific route: a query key before none.
    let mut routes: Vec<_> = REST_ROUTES
        .iter()
        .filter(|(s, m, p, key, _)| {
            *s == service
                && *m == method
                && path_matches(p, path)
                && (key.is_empty() || keys.contains(key))
        })
        .collect();
    routes.sort_by_key(|(_, _, _, key, _)| key.is_empty());
    match routes.first() {
        Some((_, _, _, _, op)) => op.to_string(),
        None => panic!("{service} {method} {target} matches no REST route in tests/live/policy.rs"),
    }
}

fn actions(policy: &Value) -> BTreeSet<String> {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// Asserts that every call in `calls` is a listed operation that `archaudit
/// policy` (member) or `archaudit policy --runner` grants; returns the operations.
pub fn assert_calls_granted(calls: &[Value]) -> BTreeSet<String> {
    let print = |args: &[&str]| {
        let (code, out, err) = crate::util::archaudit(args);
        assert_eq!(code, 0, "{err}");
        let policy: Value = serde_json::from_str(&out).unwrap();
        actions(&policy)
    };
    let mut granted = print(&["policy"]);
    granted.extend(print(&["policy", "--runner"]));
    let mut seen = BTreeSet::new();
    for call in calls {
        let service = call["service"].as_str().unwrap_or_default();
        let name = operation(call);
        let listed = policy::operations()
            .find(|o| o.prefix() == service && o.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "{service} {name} reached the endpoint but no OPERATIONS list names it: {call}"
                )
            });
        assert!(
            granted.contains(listed.action),
            "{service} {name} needs {}, which `archaudit policy` does not grant",
            listed.action
        );
        seen.insert(format!("{service}:{name}"));
    }
    seen
}
