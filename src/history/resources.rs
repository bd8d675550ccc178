//! Resources added, removed and changed between two snapshots of one organization.
//!
//! The comparison is generic over the snapshot model: every section's collections
//! are lists of resources identified by ARN, and a changed resource is described
//! field by field (`listeners :443 ssl_policy`). A part of an account that was not
//! read in both snapshots is not compared: its resources are neither added nor
//! removed, and the part is listed instead.

use crate::snapshot::{is_global_service, service_of, CoverageStatus, Snapshot, GLOBAL_REGION};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Fields that change by themselves between runs (usage timestamps): not drift.
const VOLATILE: &[&str] = &["last_used", "last_used_service", "password_last_used"];

/// One resource, as both reports name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ResourceRef {
    pub account_id: String,
    /// A region, or `global`.
    pub region: String,
    /// `section.collection` of the snapshot, e.g. `elbv2.load_balancers`.
    pub kind: String,
    pub arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One field of a resource that differs. `old`/`new` are absent when the field
/// was absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Path of the field: keys, and list items by port (`:443`), name or id.
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    #[serde(flatten)]
    pub resource: ResourceRef,
    pub changes: Vec<FieldChange>,
}

/// A part of an account read in one snapshot only (or in neither).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotCompared {
    pub account_id: String,
    pub region: String,
    pub service: String,
    /// Which snapshots read it: `old`, `new` or `neither`.
    pub read_in: &'static str,
}

/// Everything that changed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourceDiff {
    /// Accounts only in the new snapshot.
    pub accounts_added: Vec<String>,
    /// Accounts only in the old snapshot (closed, moved, or not collected this time).
    pub accounts_removed: Vec<String>,
    pub added: Vec<ResourceRef>,
    pub removed: Vec<ResourceRef>,
    pub changed: Vec<ResourceChange>,
    /// Parts of accounts whose resources were not compared.
    pub not_compared: Vec<NotCompared>,
}

impl ResourceDiff {
    pub fn is_empty(&self) -> bool {
        self.accounts_added.is_empty()
            && self.accounts_removed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

/// The coverage key a collection is read (and covered) under.
fn coverage_key(section: &str, collection: &str) -> String {
    service_of(section)
        .map_or(section, |s| s.coverage_key_of(collection))
        .to_string()
}

/// The fields of a collection's items read apart (`eks-addons`: a cluster's
/// `addons`), each with its coverage key.
fn parts_of(section: &str, collection: &str) -> Vec<(&'static str, &'static str)> {
    service_of(section).map_or_else(Vec::new, |s| {
        s.parts
            .iter()
            .filter(|p| p.collection == collection)
            .filter_map(|p| Some((p.field?, p.key)))
            .collect()
    })
}

/// The (region, service) pairs read completely in an account.
fn read_parts(account: &crate::snapshot::AccountSnapshot) -> BTreeSet<(String, String)> {
    account
        .coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::Ok)
        .map(|c| (c.region.clone(), c.service.clone()))
        .collect()
}

/// Resources of one account by (kind, arn), with the JSON form of each.
fn resources(
    account: &crate::snapshot::AccountSnapshot,
) -> serde_json::Result<BTreeMap<(String, String), Value>> {
    let Value::Object(sections) = serde_json::to_value(account)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (section, value) in sections {
        let Value::Object(collections) = value else {
            continue;
        };
        if section == "account" {
            continue;
        }
        for (collection, items) in collections {
            let Value::Array(items) = items else { continue };
            for item in items {
                if let Some(arn) = item.get("arn").and_then(Value::as_str) {
                    out.insert((format!("{section}.{collection}"), arn.to_string()), item);
                }
            }
        }
    }
    Ok(out)
}

fn reference(account_id: &str, kind: &str, arn: &str, item: &Value) -> ResourceRef {
    let section = kind.split('.').next().unwrap_or(kind);
    let region = if is_global_service(section) {
        GLOBAL_REGION
    } else {
        item.get("region")
            .and_then(Value::as_str)
            .unwrap_or(GLOBAL_REGION)
    };
    ResourceRef {
        account_id: account_id.to_string(),
        region: region.to_string(),
        kind: kind.to_string(),
        arn: arn.to_string(),
        name: item.get("name").and_then(Value::as_str).map(str::to_string),
    }
}

/// How an item of a list is named in a field path, if it can be.
fn label(item: &Value) -> Option<String> {
    let object = item.as_object()?;
    if let Some(port) = object.get("port").and_then(Value::as_i64) {
        return Some(format!(":{port}"));
    }
    ["name", "id", "key", "arn"]
        .iter()
        .find_map(|k| object.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

/// How items of a list are matched: by ARN when they have one, else by label.
fn identity(item: &Value) -> Option<String> {
    item.get("arn")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| label(item))
}

/// A list whose items can be matched one to one.
fn keyed(items: &[Value]) -> Option<Vec<(String, String, &Value)>> {
    let keyed: Vec<(String, String, &Value)> = items
        .iter()
        .map(|i| Some((identity(i)?, label(i)?, i)))
        .collect::<Option<_>>()?;
    let ids: BTreeSet<&String> = keyed.iter().map(|(id, _, _)| id).collect();
    (ids.len() == keyed.len()).then_some(keyed)
}

fn diff_values(
    path: &mut Vec<String>,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<FieldChange>,
) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => diff_objects(path, a, b, out),
        (Some(Value::Array(a)), Some(Value::Array(b))) if a != b => match (keyed(a), keyed(b)) {
            (Some(a), Some(b)) => {
                let old: BTreeMap<&String, (&String, &Value)> =
                    a.iter().map(|(id, l, v)| (id, (l, *v))).collect();
                let new: BTreeMap<&String, (&String, &Value)> =
                    b.iter().map(|(id, l, v)| (id, (l, *v))).collect();
                let ids: BTreeSet<&&String> = old.keys().chain(new.keys()).collect();
                for id in ids {
                    let (o, n) = (old.get(*id), new.get(*id));
                    let label = o.or(n).map(|(l, _)| (*l).clone()).unwrap_or_default();
                    path.push(label);
                    diff_values(path, o.map(|(_, v)| *v), n.map(|(_, v)| *v), out);
                    path.pop();
                }
            }
            _ => out.push(change(path, old, new)),
        },
        (a, b) if a != b => out.push(change(path, a, b)),
        _ => {}
    }
}

fn diff_objects(
    path: &mut Vec<String>,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    out: &mut Vec<FieldChange>,
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        if VOLATILE.contains(&key.as_str()) {
            continue;
        }
        path.push(key.clone());
        diff_values(path, a.get(key), b.get(key), out);
        path.pop();
    }
}

fn change(path: &[String], old: Option<&Value>, new: Option<&Value>) -> FieldChange {
    FieldChange {
        field: path.join(" "),
        old: old.cloned(),
        new: new.cloned(),
    }
}

/// Compares two snapshots of one organization.
pub fn diff_snapshots(old: &Snapshot, new: &Snapshot) -> serde_json::Result<ResourceDiff> {
    let mut diff = ResourceDiff::default();
    let old_accounts: BTreeMap<&str, _> = old
        .accounts
        .iter()
        .map(|a| (a.account.id.as_str(), a))
        .collect();
    let new_accounts: BTreeMap<&str, _> = new
        .accounts
        .iter()
        .map(|a| (a.account.id.as_str(), a))
        .collect();
    diff.accounts_added = new_accounts
        .keys()
        .filter(|id| !old_accounts.contains_key(*id))
        .map(|id| id.to_string())
        .collect();
    diff.accounts_removed = old_accounts
        .keys()
        .filter(|id| !new_accounts.contains_key(*id))
        .map(|id| id.to_string())
        .collect();

    for (id, old_account) in &old_accounts {
        let Some(new_account) = new_accounts.get(id) else {
            continue;
        };
        let (old_read, new_read) = (read_parts(old_account), read_parts(new_account));
        let both_read = |r: &ResourceRef| {
            let section = r.kind.split('.').next().unwrap_or(&r.kind);
            let collection = r.kind.split('.').nth(1).unwrap_or("");
            let part = (r.region.clone(), coverage_key(section, collection));
            old_read.contains(&part) && new_read.contains(&part)
        };
        let (old_items, new_items) = (resources(old_account)?, resources(new_account)?);
        for ((kind, arn), item) in &old_items {
            let r = reference(id, kind, arn, item);
            match new_items.get(&(kind.clone(), arn.clone())) {
                None if both_read(&r) => diff.removed.push(r),
                None => {}
                Some(new_item) => {
                    if !both_read(&r) {
                        continue;
                    }
                    let mut changes = Vec::new();
                    diff_values(&mut Vec::new(), Some(item), Some(new_item), &mut changes);
                    // A field read apart (a cluster's add-ons) is compared only when both read it.
                    let (section, collection) = kind.split_once('.').unwrap_or((kind, ""));
                    for (field, key) in parts_of(section, collection) {
                        let part = (r.region.clone(), key.to_string());
                        if !(old_read.contains(&part) && new_read.contains(&part)) {
                            let nested = format!("{field} ");
                            changes.retain(|c| c.field != field && !c.field.starts_with(&nested));
                        }
                    }
                    if !changes.is_empty() {
                        diff.changed.push(ResourceChange {
                            resource: r,
                            changes,
                        });
                    }
                }
            }
        }
        for ((kind, arn), item) in &new_items {
            let r = reference(id, kind, arn, item);
            if !old_items.contains_key(&(kind.clone(), arn.clone())) && both_read(&r) {
                diff.added.push(r);
            }
        }
        let parts: BTreeSet<(String, String)> = old_account
            .coverage
            .iter()
            .chain(&new_account.coverage)
            .filter(|c| c.service != "account")
            .map(|c| (c.region.clone(), c.service.clone()))
            .collect();
        for part in parts {
            let read_in = match (old_read.contains(&part), new_read.contains(&part)) {
                (true, true) => continue,
                (true, false) => "old",
                (false, true) => "new",
                (false, false) => "neither",
            };
            diff.not_compared.push(NotCompared {
                account_id: id.to_string(),
                region: part.0,
                service: part.1,
                read_in,
            });
        }
    }
    diff.added.sort();
    diff.removed.sort();
    diff.changed.sort_by(|a, b| a.resource.cmp(&b.resource));
    Ok(diff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(old: Value, new: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        let mut out = Vec::new();
        diff_values(&mut Vec::new(), Some(&old), Some(&new), &mut out);
        out.into_iter().map(|c| (c.field, c.old, c.new)).collect()
    }

    #[test]
    fn list_items_are_matched_by_identity_and_named_by_port_or_name() {
        let old = json!({"listeners": [
            {"arn": "arn:l1", "port": 443, "ssl_policy": "A"},
            {"arn": "arn:l2", "port": 80, "protocol": "HTTP"}
        ]});
        // Reordered, one changed, one replaced by a new listener on another port.
        let new = json!({"listeners": [
            {"arn": "arn:l3", "port": 8443, "protocol": "HTTPS"},
            {"arn": "arn:l1", "port": 443, "ssl_policy": "B"}
        ]});
        assert_eq!(
            changes(old, new),
            vec![
                (
                    "listeners :443 ssl_policy".into(),
                    Some(json!("A")),
                    Some(json!("B"))
                ),
                (
                    "listeners :80".into(),
                    Some(json!({"arn": "arn:l2", "port": 80, "protocol": "HTTP"})),
                    None
                ),
                (
                    "listeners :8443".into(),
                    None,
                    Some(json!({"arn": "arn:l3", "port": 8443, "protocol": "HTTPS"}))
                ),
            ]
        );
    }

    #[test]
    fn unkeyed_lists_compare_whole_and_usage_timestamps_are_not_drift() {
        let old = json!({"certificates": ["a"], "last_used": "2026-11-01", "tags": {"Owner": "x"}});
        let new =
            json!({"certificates": ["a", "b"], "last_used": "2026-11-24", "tags": {"Owner": "y"}});
        assert_eq!(
            changes(old, new),
            vec![
                (
                    "certificates".into(),
                    Some(json!(["a"])),
                    Some(json!(["a", "b"]))
                ),
                ("tags Owner".into(), Some(json!("x")), Some(json!("y"))),
            ]
        );
    }
}
