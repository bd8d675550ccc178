//! "Changed": a matched live resource against its state instance, attribute
//! by attribute (the mapping's `compared` rows, each read from the block that
//! holds it) and tag by tag.

use super::live::Live;
use super::mapping::TAG_ATTRIBUTES;
use super::state::{Entry, Holders};
use super::{Change, BUILTIN_IGNORED_TAGS};
use crate::config::DriftSettings;
use crate::snapshot::{ip_protocol, Compared, ItemsOf, MemberForm, Norm};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Live tag keys that are never compared: AWS's own (`aws:`, which the
/// provider drops too).
const AWS_TAG_PREFIX: &str = "aws:";

/// A scalar as text; `None` for null, empty strings and missing values.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
            Some(s.to_ascii_lowercase())
        }
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// A JSON document with its keys sorted, every list sorted, and a list of
/// one read as its item: IAM's policy grammar gives neither order nor
/// "one or a list" a meaning.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(canonical).collect();
            if items.len() == 1 {
                return items.remove(0);
            }
            items.sort_by_cached_key(|v| v.to_string());
            Value::Array(items)
        }
        other => other.clone(),
    }
}

/// A document as compact text, canonical; text that is not JSON as itself.
pub(super) fn document(value: Option<&Value>) -> Option<String> {
    let parsed = match value? {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v) => v,
            Err(_) => return Some(s.clone()),
        },
        other => other.clone(),
    };
    Some(canonical(&parsed).to_string())
}

/// A value (state or live) in the comparison's terms.
fn read(value: Option<&Value>, norm: Norm) -> Option<String> {
    match norm {
        Norm::Plain => scalar(value),
        Norm::Or(default) => scalar(value).or_else(|| Some(default.to_string())),
        Norm::First => scalar(value.and_then(|v| v.get(0))),
        Norm::Is(want) => Some((value.and_then(Value::as_str) == Some(want)).to_string()),
        Norm::Json => document(value),
        Norm::Unset(unset) => scalar(value).filter(|v| v != unset),
        Norm::Protocol => scalar(value).map(|v| ip_protocol(&v)),
        // Only a live set reaches here: `state_value` reads a state's.
        Norm::Items(of) => joined(value.map(|v| (of.live)(v, "")).unwrap_or_default()),
    }
}

/// A set compared item by item as one text, its items sorted: what a caller
/// outside the comparison sees (`changes` compares item by item).
fn joined(items: Vec<(String, String)>) -> Option<String> {
    let mut texts: Vec<String> = items.into_iter().map(|(_, text)| text).collect();
    texts.sort();
    (!texts.is_empty()).then(|| texts.join("; "))
}

/// The items of a set on both sides that differ, one change each: the
/// state's text, the live one (`None`: that side lacks the item).
fn item_changes(
    of: &ItemsOf,
    state: &Value,
    state_id: &str,
    live: &Live,
    c: &Compared,
) -> Vec<(Option<String>, Option<String>)> {
    let state: BTreeMap<String, String> = (of.state)(state, state_id).into_iter().collect();
    let id = live.value["id"].as_str().unwrap_or_default();
    let live_items: BTreeMap<String, String> = live
        .value
        .pointer(c.live)
        .map(|v| (of.live)(v, id))
        .unwrap_or_default()
        .into_iter()
        .collect();
    let keys: BTreeSet<&String> = state.keys().chain(live_items.keys()).collect();
    keys.into_iter()
        .map(|k| (state.get(k).cloned(), live_items.get(k).cloned()))
        .filter(|(s, l)| s != l)
        .collect()
}

pub(super) fn live_value(value: &Value, c: &Compared) -> Option<String> {
    read(value.pointer(c.live), c.norm)
}

pub(super) fn state_value(value: &Value, c: &Compared) -> Option<String> {
    match c.norm {
        // The state holds what the live value reads as.
        Norm::First | Norm::Is(_) => scalar(Some(value)),
        Norm::Items(of) => joined((of.state)(value, "")),
        norm => read(Some(value), norm),
    }
}

/// The compared attributes of a matched pair that differ, each with the
/// address of the block that holds it.
pub(super) fn changes(
    holders: &Holders,
    entry: &Entry,
    live: &Live,
    settings: &DriftSettings,
) -> Vec<Change> {
    let mut out = Vec::new();
    // Nested resources held apart are compared as resources of their own.
    let inline = holders.form(entry) == MemberForm::Inline;
    for c in live.mapping.compared {
        let Some(holder) = holders.of(entry, c, live) else {
            continue; // the setting is not managed by this state
        };
        let mut path = c.state.split('.');
        let top = path.next().unwrap_or_default();
        if !inline
            && live
                .mapping
                .members
                .is_some_and(|m| m.inline.contains(&top))
        {
            continue;
        }
        if let Some((name, values)) = c.only_when {
            let value = holder.attributes.get(name).and_then(|a| a.value.as_str());
            if !value.is_some_and(|v| values.contains(&v)) {
                continue;
            }
        }
        let Some(attribute) = holder.attributes.get(top) else {
            continue; // not in this state (another provider version): not compared
        };
        let pointer: String = path.map(|p| format!("/{p}")).collect();
        let Some(held) = attribute.value.pointer(&pointer) else {
            continue;
        };
        // (state, live) of each value that differs: a set's items one by one.
        let differ = match c.norm {
            Norm::Items(of) => item_changes(of, held, entry.id.unwrap_or_default(), live, c),
            _ => vec![(state_value(held, c), live_value(&live.value, c))],
        };
        for (state, live_v) in differ.into_iter().filter(|(s, l)| s != l) {
            out.push(Change::new(
                c.state.to_string(),
                &holder.address,
                attribute.sensitive,
                state,
                live_v,
            ));
        }
    }
    if live.own_tags {
        out.extend(tag_changes(entry, live, settings));
    }
    out
}

/// Tags that differ, one change per key (`tags.KEY`). The state's
/// `tags_all` holds what the provider last read, the provider's default
/// tags included; a `null` and an empty map are the same. AWS's own `aws:`
/// tags, and those a controller adds (unless `builtin_ignores = false`), are
/// not compared.
fn tag_changes(entry: &Entry, live: &Live, settings: &DriftSettings) -> Vec<Change> {
    let Some((name, attribute)) = TAG_ATTRIBUTES
        .iter()
        .find_map(|name| entry.attributes.get(*name).map(|a| (*name, a)))
    else {
        return Vec::new(); // tags not in this state: not compared
    };
    let ignored = |key: &str| {
        key.starts_with(AWS_TAG_PREFIX)
            || (settings.builtin_ignores && BUILTIN_IGNORED_TAGS.iter().any(|(k, _)| *k == key))
    };
    let compared = |key: &str| !ignored(key);
    let state: BTreeMap<&str, Option<String>> = match &attribute.value {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| compared(k))
            .map(|(k, v)| (k.as_str(), scalar(Some(v))))
            .collect(),
        _ => BTreeMap::new(),
    };
    let live_tags: BTreeMap<&str, Option<String>> = live
        .tags
        .iter()
        .filter(|(k, _)| compared(k))
        .map(|(k, v)| (k.as_str(), Some(v.clone()).filter(|v| !v.is_empty())))
        .collect();
    if attribute.sensitive {
        return if live_tags == state {
            Vec::new()
        } else {
            vec![Change::new(name.into(), &entry.address, true, None, None)]
        };
    }
    let keys: BTreeSet<&str> = state.keys().chain(live_tags.keys()).copied().collect();
    keys.into_iter()
        .filter_map(|key| {
            let state = state.get(key).cloned().flatten();
            let live = live_tags.get(key).cloned().flatten();
            (state != live)
                .then(|| Change::new(format!("tags.{key}"), &entry.address, false, state, live))
        })
        .collect()
}
