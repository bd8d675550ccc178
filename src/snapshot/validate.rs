//! A snapshot checked once, when it is loaded (and after collection), before
//! any rule sees it. Every snapshot file is untrusted input, and a rule that
//! meets a value it cannot parse quietly finds nothing: the one outcome this
//! tool must never report as a pass.
//!
//! - Structure is a load error naming the file and the field: `generated_at`
//!   (every age is measured against it) must be an RFC 3339 date-time, account
//!   ids 12 digits and each account present once, regions must look like
//!   regions (a resource's region also one its account was read in, when its
//!   service is regional).
//! - A value a rule depends on that does not parse (a date anywhere, or what
//!   a section's `invalid_value` refuses, such as an EKS version) marks the
//!   part of the account that holds it as not read
//!   ([`ErrorClass::InvalidData`]): the rules over it are reported as not
//!   evaluated there, and the report as incomplete.
//!
//! Dates are parsed as the rule engine parses them (chrono's RFC 3339 in
//! nanoseconds since 1970), so a value accepted here is a value rules can use.

use super::tree::{build, Node};
use super::{
    is_global_service, service_of, AccountSnapshot, CoverageStatus, ErrorClass, Snapshot,
    GLOBAL_REGION,
};
use anyhow::{bail, Result};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Fields holding an RFC 3339 date-time, wherever they occur in a section.
const DATE_FIELDS: &[&str] = &[
    "created",
    "deletion_date",
    "expiration",
    "last_changed",
    "last_modified",
    "last_rotated",
    "last_used",
    "not_after",
    "password_last_used",
    "upload_date",
];

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A region name such as `eu-central-1`, `us-gov-west-1` or `eusc-de-east-1`
/// (not `global`).
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    s.len() <= 32
        && parts.len() >= 3
        && parts[0].len() >= 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Whether `s` is an RFC 3339 date-time the rule engine can measure
/// (`time.parse_rfc3339_ns`: chrono, nanoseconds in an `i64`).
pub fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .and_then(|t| t.timestamp_nanos_opt())
        .is_some()
}

/// A value quoted in an error: escaped, and short.
fn quoted(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// Checks a snapshot read from `origin` (see the module docs): an error for
/// its structure, coverage errors for values that do not parse.
pub fn validate(snapshot: &mut Snapshot, origin: &str) -> Result<()> {
    check_structure(snapshot, origin)?;
    for (i, account) in snapshot.accounts.iter_mut().enumerate() {
        validate_account(account, &format!("{origin}: accounts[{i}]"))?;
    }
    Ok(())
}

/// The checks of [`validate`] over one account's sections (`at` names it in
/// errors): for a snapshot read one account at a time, after
/// [`check_structure`] passed over its outline.
pub fn validate_account(account: &mut AccountSnapshot, at: &str) -> Result<()> {
    let sections = sections(account);
    check_resource_regions(account, &sections, at)?;
    mark_unparsable_values(account, &sections);
    Ok(())
}

/// The checks of [`validate`] that need no section: dates, ids, regions,
/// every account once.
pub fn check_structure(snapshot: &Snapshot, origin: &str) -> Result<()> {
    if !is_rfc3339(&snapshot.generated_at) {
        bail!(
            "{origin}: generated_at: {} is not an RFC 3339 date-time (e.g. 2026-11-24T06:00:00Z): \
             every age and expiry is measured against it",
            quoted(&snapshot.generated_at)
        );
    }
    if let Some(org) = &snapshot.organization {
        if !is_account_id(&org.management_account_id) {
            bail!(
                "{origin}: organization.management_account_id: {} is not a 12-digit AWS account id",
                quoted(&org.management_account_id)
            );
        }
    }
    if let Some(shard) = &snapshot.shard {
        for (i, account) in shard.all_accounts.iter().enumerate() {
            if !is_account_id(&account.id) {
                bail!(
                    "{origin}: shard.all_accounts[{i}].id: {} is not a 12-digit AWS account id",
                    quoted(&account.id)
                );
            }
        }
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in snapshot.accounts.iter().enumerate() {
        let id = &a.account.id;
        if !is_account_id(id) {
            bail!(
                "{origin}: accounts[{i}].account.id: {} is not a 12-digit AWS account id",
                quoted(id)
            );
        }
        if let Some(first) = seen.insert(id, i) {
            bail!("{origin}: account {id} is in the snapshot twice (accounts[{first}] and accounts[{i}])");
        }
        for (j, region) in a.regions.iter().enumerate() {
            if !is_region_name(region) {
                bail!(
                    "{origin}: accounts[{i}].regions[{j}]: {} is not an AWS region name",
                    quoted(region)
                );
            }
        }
        for (j, entry) in a.coverage.iter().enumerate() {
            if entry.region != GLOBAL_REGION && !is_region_name(&entry.region) {
                bail!(
                    "{origin}: accounts[{i}].coverage[{j}].region: {} is not an AWS region name or `global`",
                    quoted(&entry.region)
                );
            }
        }
    }
    Ok(())
}

/// The sections of an account as their JSON's tree: (name, value), without
/// the account itself, its regions and coverage.
fn sections(account: &AccountSnapshot) -> Vec<(Cow<'static, str>, Node)> {
    let Ok(Node::Obj(object)) = build(account) else {
        return Vec::new();
    };
    object
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_ref(), "account" | "regions" | "coverage"))
        .collect()
}

/// Keys whose values are not our model: tags and policy documents hold keys
/// of their authors' choosing.
fn is_opaque(key: &str) -> bool {
    key == "tags" || key.contains("policy")
}

/// Every `region` of a resource looks like a region (and is one the account
/// was read in, for a regional service), and every ARN's region segment is a
/// region or empty: a finding placed in a region nobody read would otherwise
/// vanish without a trace.
fn check_resource_regions(
    account: &AccountSnapshot,
    sections: &[(Cow<'static, str>, Node)],
    at: &str,
) -> Result<()> {
    let read: BTreeSet<&str> = account.regions.iter().map(String::as_str).collect();
    for (section, value) in sections {
        let regional = !is_global_service(section);
        let mut problem = None;
        visit_resources(
            value,
            section,
            Context::default(),
            &mut |path, resource, _| {
                if problem.is_some() {
                    return;
                }
                if let Some(region) = Node::str_at(resource, "region") {
                    let bad = if !is_region_name(region) {
                        Some("is not an AWS region name")
                    } else if regional && !read.is_empty() && !read.contains(region) {
                        Some("is not one of the account's regions")
                    } else {
                        None
                    };
                    if let Some(bad) = bad {
                        problem = Some(format!("{at}.{path}.region: {} {bad}", quoted(region)));
                        return;
                    }
                }
                if let Some(arn) = Node::str_at(resource, "arn") {
                    let fine = !arn.starts_with("arn:")
                        || arn
                            .split(':')
                            .nth(3)
                            .is_some_and(|r| r.is_empty() || is_region_name(r));
                    if !fine {
                        problem = Some(format!(
                            "{at}.{path}.arn: {} is not an ARN with a region or an empty region",
                            quoted(arn)
                        ));
                    }
                }
            },
        );
        if let Some(problem) = problem {
            bail!(problem);
        }
    }
    Ok(())
}

/// Marks the (region, service) of every value a rule depends on that does not
/// parse as not read, with a message naming the field and resource.
fn mark_unparsable_values(account: &mut AccountSnapshot, sections: &[(Cow<'static, str>, Node)]) {
    // (region, service) -> messages
    let mut bad: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (section, value) in sections {
        let global = is_global_service(section);
        let service = service_of(section);
        visit_resources(
            value,
            section,
            Context::default(),
            &mut |path, resource, at| {
                for (key, v) in resource {
                    let Node::Str(s) = v else { continue };
                    let problem = if DATE_FIELDS.contains(&key.as_ref()) && !is_rfc3339(s) {
                        "is not an RFC 3339 date-time"
                    } else if let Some(problem) =
                        service.and_then(|service| (service.invalid_value)(path, key, s))
                    {
                        problem
                    } else {
                        continue;
                    };
                    let name = at.arn.map(|arn| format!(" of {arn}")).unwrap_or_default();
                    let region = if global {
                        GLOBAL_REGION
                    } else {
                        at.region.unwrap_or(GLOBAL_REGION)
                    }
                    .to_string();
                    bad.entry((region, section.to_string()))
                        .or_default()
                        .push(format!("{path}.{key}{name}: {} {problem}", quoted(s)));
                }
            },
        );
    }
    for ((region, service), messages) in bad {
        let mut message = messages[0].clone();
        match messages.len() {
            1 => {}
            2 => message.push_str(" (and 1 more unparsable value)"),
            n => message.push_str(&format!(" (and {} more unparsable values)", n - 1)),
        }
        for entry in account
            .coverage
            .iter_mut()
            .filter(|e| e.region == region && e.service == service)
        {
            if entry.status == CoverageStatus::Ok {
                entry.status = CoverageStatus::Error;
                entry.error = Some(ErrorClass::InvalidData);
                entry.message = Some(message.clone());
            }
        }
    }
}

/// Where an object sits: the region and ARN of the nearest enclosing object
/// (itself included) that names one.
#[derive(Clone, Copy, Default)]
struct Context<'a> {
    region: Option<&'a str>,
    arn: Option<&'a str>,
}

/// What [`visit_resources`] calls: (path, object, context).
type Visit<'a> = dyn FnMut(&str, &[(Cow<'static, str>, Node)], Context) + 'a;

/// Calls `visit(path, object, context)` for every object under `value` (the
/// resources and their parts), `path` starting with `root`.
fn visit_resources<'v>(value: &'v Node, root: &str, context: Context<'v>, visit: &mut Visit) {
    visit_under(value, &mut root.to_string(), context, visit);
}

/// [`visit_resources`] with one path buffer for the whole walk: a segment is
/// pushed for each object or array entered and cut off after it, and scalars
/// are not entered, so the walk allocates no string per value.
fn visit_under<'v>(value: &'v Node, path: &mut String, context: Context<'v>, visit: &mut Visit) {
    let container = |v: &Node| matches!(v, Node::Obj(_) | Node::Arr(_));
    match value {
        Node::Obj(object) => {
            let context = Context {
                region: Node::str_at(object, "region").or(context.region),
                arn: Node::str_at(object, "arn").or(context.arn),
            };
            visit(path, object, context);
            for (key, v) in object {
                if container(v) && !is_opaque(key) {
                    let len = path.len();
                    path.push('.');
                    path.push_str(key);
                    visit_under(v, path, context, visit);
                    path.truncate(len);
                }
            }
        }
        Node::Arr(items) => {
            for (i, v) in items.iter().enumerate() {
                if container(v) {
                    let len = path.len();
                    let _ = write!(path, "[{i}]");
                    visit_under(v, path, context, visit);
                    path.truncate(len);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::is_minor_version;

    #[test]
    fn regions_ids_dates_and_versions() {
        for good in [
            "eu-central-1",
            "us-gov-west-1",
            "eusc-de-east-1",
            "ap-southeast-5",
        ] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "global",
            "eu-central",
            "EU-central-1",
            "eu--1",
            "eu-central-1a",
            "../../etc",
            "",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
        assert!(is_account_id("571293840655"));
        assert!(!is_account_id("../../etc/passwd") && !is_account_id("57129384065"));
        assert!(is_rfc3339("2026-11-24T06:00:00Z") && is_rfc3339("2026-11-24T07:00:00.123+01:00"));
        // Not a date-time, no such day, and past what a rule can measure in ns.
        for bad in [
            "2026-11-24",
            "2027-02-30T23:59:59Z",
            "9999-01-01T00:00:00Z",
            "yesterday",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
        assert!(
            is_minor_version("1.34") && !is_minor_version("1.x") && !is_minor_version("1.34.2")
        );
    }
}
