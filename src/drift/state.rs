//! The state side: every managed instance of the given states, with the
//! account and region it is in, and the sibling resources that hold some of
//! a resource's settings (`aws_s3_bucket_versioning`).

use super::live::Live;
use super::mapping::{all_compared, mapping_of, member_kinds};
use crate::snapshot::{Compared, Holder, MemberForm, Service, TerraformType};
use crate::terraform::state::{Attribute, Mode, State};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One managed instance of a state.
pub(super) struct Entry<'a> {
    /// The type, canonical when modelled.
    pub kind: &'a str,
    /// What drift knows of its type, when it compares it.
    pub mapping: Option<(&'static Service, &'static TerraformType)>,
    pub address: String,
    /// The index of its state, and the state's origin.
    pub state: usize,
    pub origin: &'a str,
    pub arn: Option<&'a str>,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub id: Option<&'a str>,
    pub name: Option<&'a str>,
    pub attributes: &'a BTreeMap<String, Attribute>,
}

/// `arn:...:log-group:NAME:*` and `...:log-group:NAME` are the same log group.
pub(super) fn norm_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// (region, account) of an ARN.
fn arn_region_account(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let _partition = parts.next()?;
    let _service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    parts.next()?;
    Some((region, account))
}

/// The managed instances of the states. `owner` maps live ARNs to their
/// account: an S3 ARN names no account, the live bucket does.
pub(super) fn entries<'a>(states: &'a [State], owner: &HashMap<&str, &'a str>) -> Vec<Entry<'a>> {
    let mut out = Vec::new();
    for (index, state) in states.iter().enumerate() {
        let first = out.len();
        let mut accounts = BTreeSet::new();
        let mut regions = BTreeSet::new();
        for r in state.resources.iter().filter(|r| r.mode == Mode::Managed) {
            let mapping = mapping_of(&r.kind);
            for i in &r.instances {
                let arn = i.arn.as_deref().or(i
                    .id
                    .as_deref()
                    .filter(|id| arn_region_account(id).is_some()));
                let parts = arn.and_then(arn_region_account);
                if let Some((region, _)) = parts {
                    if !region.is_empty() {
                        regions.insert(region);
                    }
                }
                let account = parts
                    .map(|(_, a)| a)
                    .filter(|a| !a.is_empty())
                    .or_else(|| arn.and_then(|arn| owner.get(norm_arn(arn)).copied()));
                accounts.extend(account);
                out.push(Entry {
                    kind: mapping.map_or(r.kind.as_str(), |(_, t)| t.kind),
                    mapping,
                    address: r.address(i),
                    state: index,
                    origin: &state.origin,
                    arn,
                    account,
                    region: parts.map(|(r, _)| r).filter(|r| !r.is_empty()),
                    id: i.id.as_deref(),
                    name: i.name.as_deref(),
                    attributes: &i.attributes,
                });
            }
        }
        // An instance without an ARN is in the state's account and region
        // when the state's ARNs show only one.
        let account = (accounts.len() == 1).then(|| *accounts.first().expect("one"));
        let region = (regions.len() == 1).then(|| *regions.first().expect("one"));
        for e in &mut out[first..] {
            if e.account.is_none() {
                e.account = account;
            }
            if e.arn.is_none() {
                e.region = region;
            }
        }
    }
    out
}

/// The state instances of a live resource: the one matched, and the
/// siblings that hold its settings, by (state, type, link value, the
/// selecting value of a `SiblingWhere` or empty); and the form in which the
/// states hold nested resources (`Members`), by the id of the resource they
/// belong to, over every given state (a group's rules may be added by
/// another root module than the group's).
pub(super) struct Holders<'e, 'a> {
    entries: &'e [Entry<'a>],
    siblings: HashMap<(usize, &'a str, &'a str, &'static str), usize>,
    forms: HashMap<&'a str, MemberForm>,
}

impl<'e, 'a> Holders<'e, 'a> {
    pub fn new(entries: &'e [Entry<'a>]) -> Self {
        let mut siblings = HashMap::new();
        let mut forms = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for (kind, link, form) in member_kinds() {
                if kind != e.kind {
                    continue;
                }
                if let Some(Value::String(id)) = e.attributes.get(link).map(|a| &a.value) {
                    // A form drift does not compare wins: it may hold any rule.
                    let known = forms.entry(id.as_str()).or_insert(form);
                    if form == MemberForm::Uncompared {
                        *known = form;
                    }
                }
            }
            for c in all_compared() {
                let Some((kind, link, selector)) = c.holder.sibling() else {
                    continue;
                };
                if kind != e.kind {
                    continue;
                }
                // One of several siblings of the type: only the selected one.
                let selected = match selector {
                    None => "",
                    Some((field, want)) => match e.attributes.get(field).map(|a| &a.value) {
                        Some(Value::String(v)) if v == want => want,
                        _ => continue,
                    },
                };
                if let Some(Value::String(v)) = e.attributes.get(link).map(|a| &a.value) {
                    siblings
                        .entry((e.state, kind, v.as_str(), selected))
                        .or_insert(i);
                }
            }
        }
        Holders {
            entries,
            siblings,
            forms,
        }
    }

    /// How the states hold the nested resources of the resource `entry` is.
    pub fn form(&self, entry: &Entry) -> MemberForm {
        entry
            .id
            .and_then(|id| self.forms.get(id))
            .copied()
            .unwrap_or(MemberForm::Inline)
    }

    /// The instance holding `c` for the live resource matched to `entry`.
    pub fn of(&self, entry: &'e Entry<'a>, c: &Compared, live: &Live) -> Option<&'e Entry<'a>> {
        match c.holder {
            Holder::Itself => Some(entry),
            Holder::Sibling { .. } | Holder::SiblingWhere { .. } => {
                let (kind, _, selector) = c.holder.sibling()?;
                let selected = selector.map_or("", |(_, value)| value);
                [live.name.as_str(), live.arn.as_str()]
                    .into_iter()
                    .chain(live.idents.iter().map(String::as_str))
                    .find_map(|v| self.siblings.get(&(entry.state, kind, v, selected)))
                    .map(|&i| &self.entries[i])
            }
        }
    }
}
