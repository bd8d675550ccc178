//! Drift from Terraform: the snapshot's live resources against the given
//! states, for the resource types the services map (each section's
//! `TERRAFORM`: type, where its resources are, how they are named and
//! identified, which attributes are compared). What changed between two runs
//! is `crate::history`.
//!
//! - **unmanaged**: live, in no given state (only in accounts some given
//!   state manages resources in, and never while a state could not be read);
//! - **missing**: in a state, not live (only where the snapshot read the
//!   resource's service in its account and region: unread is not evaluated);
//! - **changed**: a compared attribute differs from the state's value
//!   (the mapping's `compared`: one line per attribute, read from the state
//!   resource that holds it: a bucket's versioning from its `aws_s3_bucket_versioning`,
//!   never from the deprecated attribute of `aws_s3_bucket`), or a tag differs
//!   from the state's `tags_all`. Each change names the block that holds it,
//!   which is where the finding is located.
//!
//! The records become `input.terraform` of the drift rules (rules/drift/),
//! which turn them into findings like any other rule's. Values of attributes
//! a state marks sensitive are compared but never written: such a change
//! reads "(sensitive) changed".
//!
//! `live` walks the sections, `state` the states, `compare` holds one
//! against the other; this module matches them and writes the records.

mod compare;
pub mod imports;
mod live;
mod mapping;
mod state;

pub use mapping::keep_attribute;

use crate::config::{DriftIgnore, DriftSettings};
use crate::engine::{StateError, TerraformInput};
use crate::snapshot::{
    AccountSnapshot, Compared, CoverageStatus, Holder, ImportId, MemberForm, Snapshot, TagSource,
    Tags, GLOBAL_REGION,
};
use crate::terraform::state::State;
use compare::changes;
use live::{live_resources, Live};
use mapping::mapping_of;
use serde::Serialize;
use serde_json::Value;
use state::{entries, norm_arn, Entry, Holders};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Tags that mark a resource created by AWS or by a controller, not by
/// Terraform: left out of "unmanaged" unless `builtin_ignores = false`.
pub const BUILTIN_IGNORED_TAGS: &[(&str, &str)] = &[
    (
        "elbv2.k8s.aws/cluster",
        "created by the AWS Load Balancer Controller",
    ),
    (
        "ingress.k8s.aws/stack",
        "created by the AWS Load Balancer Controller",
    ),
    (
        "service.k8s.aws/stack",
        "created by the AWS Load Balancer Controller",
    ),
    ("karpenter.sh/nodepool", "created by Karpenter"),
    ("karpenter.k8s.aws/ec2nodeclass", "created by Karpenter"),
    ("aws:eks:cluster-name", "created by EKS"),
    ("eks:nodegroup-name", "created by an EKS managed node group"),
    ("aws:cloudformation:stack-name", "managed by CloudFormation"),
];

/// The Terraform type drift compares that `kind` is (an alias such as
/// `aws_alb` is `aws_lb`), if it compares it.
pub fn modelled(kind: &str) -> Option<&'static str> {
    mapping_of(kind).map(|(_, t)| t.kind)
}

/// Whether the tags of a (modelled) type are compared with the state's: the
/// snapshot holds the resource's own.
pub fn tags_compared(kind: &str) -> bool {
    mapping_of(kind).is_some_and(|(_, t)| t.tags == TagSource::Own)
}

/// Every compared attribute, with the type whose resources it belongs to.
pub fn compared() -> Vec<ComparedAttribute> {
    mapping::types()
        .flat_map(|(_, t)| {
            t.compared.iter().map(move |compared| ComparedAttribute {
                kind: t.kind,
                compared,
            })
        })
        .collect()
}

/// A compared attribute of a type, read as drift reads it.
#[derive(Debug, Clone, Copy)]
pub struct ComparedAttribute {
    /// The type whose resources it belongs to.
    pub kind: &'static str,
    pub compared: &'static Compared,
}

impl std::ops::Deref for ComparedAttribute {
    type Target = Compared;
    fn deref(&self) -> &Compared {
        self.compared
    }
}

impl ComparedAttribute {
    /// The state resource type that holds the attribute.
    pub fn holder_kind(&self) -> &'static str {
        match self.compared.holder {
            Holder::Itself => self.kind,
            Holder::Sibling { kind, .. } | Holder::SiblingWhere { kind, .. } => kind,
        }
    }

    /// Whether it is compared for a state instance of its holder with these
    /// attributes (see `Compared::only_when`).
    pub fn applies(&self, attributes: &Value) -> bool {
        self.compared.only_when.is_none_or(|(attribute, values)| {
            attributes
                .get(attribute)
                .and_then(Value::as_str)
                .is_some_and(|v| values.contains(&v))
        })
    }

    /// A value of the attribute's path in a state instance's attributes.
    pub fn in_attributes<'v>(&self, attributes: &'v Value) -> Option<&'v Value> {
        let pointer: String = self.state.split('.').map(|p| format!("/{p}")).collect();
        attributes.pointer(&pointer)
    }

    /// A state value as drift compares and shows it (`None`: not set).
    pub fn state_value(&self, value: &Value) -> Option<String> {
        compare::state_value(value, self.compared)
    }

    /// The items of a set compared item by item (`Norm::Items`: a security
    /// group's inline rules), by key, as drift shows them, read from a state
    /// value of the attribute and the `id` of the resource that holds it;
    /// `None` for any other attribute.
    pub fn items(&self, value: &Value, id: &str) -> Option<BTreeMap<String, String>> {
        match self.compared.norm {
            crate::snapshot::Norm::Items(of) => Some((of.state)(value, id).into_iter().collect()),
            _ => None,
        }
    }

    /// Whether the attribute holds nested resources inline (`Members`): not
    /// compared where a state holds them apart (see [`member_link`]).
    pub fn holds_members_inline(&self) -> bool {
        let top = self.state.split('.').next().unwrap_or_default();
        mapping_of(self.kind)
            .and_then(|(_, t)| t.members)
            .is_some_and(|m| m.inline.contains(&top))
    }
}

/// The attribute by which a resource of type `kind` names the resource
/// whose nested resources it holds apart (`security_group_id` of an
/// `aws_vpc_security_group_ingress_rule`), if it holds some.
pub fn member_link(kind: &str) -> Option<&'static str> {
    mapping::member_kinds()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, link, _)| link)
}

/// The id `terraform import` takes for a live resource; empty when the
/// snapshot lacks a part of it.
fn import_id(l: &Live) -> String {
    let field = |pointer: &str| l.value.pointer(pointer).and_then(Value::as_str);
    match l.mapping.import {
        Some(ImportId::Arn) => l.arn.clone(),
        Some(ImportId::Field(pointer)) => field(pointer).unwrap_or_default().to_string(),
        // archaudit names a node group `CLUSTER/NAME`; neither part holds a `/`.
        Some(ImportId::NodeGroup) => l.name.replacen('/', ":", 1),
        Some(ImportId::WebAcl) => match (field("/id"), field("/name"), field("/scope")) {
            (Some(id), Some(name), Some(scope)) => format!("{id}/{name}/{scope}"),
            _ => String::new(),
        },
        Some(ImportId::ArnAccount) => l.arn.split(':').nth(4).unwrap_or_default().to_string(),
        None => String::new(),
    }
}

/// Why a live resource is AWS- or controller-created, if it is.
fn builtin_reason(l: &Live) -> Option<String> {
    l.made_by_aws.map(str::to_string).or_else(|| {
        BUILTIN_IGNORED_TAGS
            .iter()
            .find(|(key, _)| l.tags.contains_key(*key))
            .map(|(key, why)| format!("{why} (tag {key})"))
    })
}

impl DriftIgnore {
    /// Whether the entry covers a resource (tags: `None` when not live).
    pub fn matches(&self, kind: &str, arn: &str, tags: Option<&Tags>) -> bool {
        self.kind
            .as_ref()
            .is_none_or(|k| mapping_of(k).map_or(k.as_str(), |(_, t)| t.kind) == kind)
            && self.resource.as_ref().is_none_or(|g| g.is_match(arn))
            && self.tag.as_ref().is_none_or(|(key, value)| {
                tags.and_then(|t| t.get(key))
                    .is_some_and(|v| value.as_ref().is_none_or(|want| want == v))
            })
    }
}

fn user_ignored(settings: &DriftSettings, kind: &str, arn: &str, tags: Option<&Tags>) -> bool {
    settings.ignore.iter().any(|i| i.matches(kind, arn, tags))
}

/// A live resource in no given state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmanaged {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// What an `import` block's `id` takes for it (see `--import-blocks`).
    #[serde(skip)]
    pub import_id: String,
}

/// A state's resource that is not live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub address: String,
    /// The state's origin (path or s3:// uri).
    pub state: String,
}

/// A managed resource whose compared attributes differ from its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub resource: String,
    pub region: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// The block that holds the first change: where the finding is located.
    pub address: String,
    pub state: String,
    pub changes: Vec<Change>,
}

/// One attribute that differs. Values are absent when sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub attribute: String,
    /// The address of the block that holds the attribute: the resource's
    /// own, or a sibling's (`aws_s3_bucket_versioning.state`).
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<String>,
    pub sensitive: bool,
}

impl Change {
    fn new(
        attribute: String,
        address: &str,
        sensitive: bool,
        state: Option<String>,
        live: Option<String>,
    ) -> Change {
        let shown = |v: Option<String>| Some(v.unwrap_or_else(|| "(not set)".into()));
        Change {
            attribute,
            address: address.to_string(),
            state: if sensitive { None } else { shown(state) },
            live: if sensitive { None } else { shown(live) },
            sensitive,
        }
    }
}

/// An account's drift: what its `input.terraform` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountDrift {
    pub unmanaged: Vec<Unmanaged>,
    pub missing: Vec<Missing>,
    pub changed: Vec<Changed>,
}

/// Drift of every account some state manages, by account id, plus the
/// states that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    pub accounts: BTreeMap<String, AccountDrift>,
    pub errors: Vec<StateError>,
}

impl Drift {
    /// The drift rules' input.
    pub fn input(&self) -> TerraformInput {
        TerraformInput {
            accounts: self
                .accounts
                .iter()
                .map(|(id, d)| (id.clone(), serde_json::to_value(d).unwrap_or(Value::Null)))
                .collect(),
            errors: self.errors.clone(),
        }
    }
}

/// Drift of the snapshot against the states. `errors` names the states that
/// could not be read (they make "unmanaged" not evaluated).
pub fn compute(
    snapshot: &Snapshot,
    states: &[State],
    errors: Vec<StateError>,
    settings: &DriftSettings,
) -> Drift {
    let live: Vec<Vec<Live>> = snapshot.accounts.iter().map(live_resources).collect();
    let owner: HashMap<&str, &str> = snapshot
        .accounts
        .iter()
        .zip(&live)
        .flat_map(|(a, live)| {
            live.iter()
                .map(|l| (norm_arn(&l.arn), a.account.id.as_str()))
        })
        .collect();
    let entries = entries(states, &owner);
    let index = Index::new(&entries);
    let holders = Holders::new(&entries);
    let in_scope: BTreeSet<&str> = entries.iter().filter_map(|e| e.account).collect();

    let mut matched = vec![false; entries.len()];
    let mut drift = Drift {
        accounts: BTreeMap::new(),
        errors,
    };
    for (account, live) in snapshot.accounts.iter().zip(&live) {
        let id = account.account.id.as_str();
        if !in_scope.contains(id) {
            continue;
        }
        // How the states hold the nested resources of each managed resource
        // that may hold them inline (a security group's rules); an ignored
        // resource's are ignored with it.
        let forms: HashMap<&str, MemberForm> = live
            .iter()
            .filter(|l| l.mapping.members.is_some())
            .filter(|l| !user_ignored(settings, l.kind, &l.arn, Some(&l.tags)))
            .filter_map(|l| {
                let found = index.of(l, id);
                let entry = found
                    .iter()
                    .map(|&i| &entries[i])
                    .find(|e| e.kind == l.kind)?;
                Some((l.arn.as_str(), holders.form(entry)))
            })
            .collect();
        let out = drift.accounts.entry(id.to_string()).or_default();
        for l in live {
            let found = index.of(l, id);
            for &i in &found {
                matched[i] = true;
            }
            let found: Vec<&Entry> = found.iter().map(|&i| &entries[i]).collect();
            // A nested resource no state holds is unmanaged only where its
            // resource is managed and holds such resources apart: an inline
            // rule is compared with its group, and the rules of a group made
            // by hand are that group's.
            let held_apart = l
                .member_of
                .as_deref()
                .is_none_or(|parent| forms.get(parent) == Some(&MemberForm::Separate));
            if found.is_empty() && !held_apart {
                continue;
            }
            compare(l, &found, &holders, settings, out);
        }
    }
    for (e, _) in entries
        .iter()
        .zip(&matched)
        .filter(|(e, m)| e.mapping.is_some() && !**m)
    {
        let account = e
            .account
            .and_then(|id| snapshot.accounts.iter().find(|a| a.account.id == id));
        let (Some(account), Some(out)) =
            (account, e.account.and_then(|id| drift.accounts.get_mut(id)))
        else {
            continue;
        };
        out.missing.extend(missing(e, account, settings));
    }
    if !drift.errors.is_empty() {
        // A state not read may manage any of them: unmanaged is not evaluated.
        for d in drift.accounts.values_mut() {
            d.unmanaged.clear();
        }
    }
    for d in drift.accounts.values_mut() {
        d.unmanaged.sort_by(|a, b| a.resource.cmp(&b.resource));
        d.missing
            .sort_by(|a, b| (&a.resource, &a.address).cmp(&(&b.resource, &b.address)));
        d.changed.sort_by(|a, b| a.resource.cmp(&b.resource));
    }
    drift
}

/// The state instances by ARN, and those without one by (type, id or name).
struct Index<'e, 'a> {
    entries: &'e [Entry<'a>],
    by_arn: HashMap<&'a str, Vec<usize>>,
    by_ident: HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'e, 'a> Index<'e, 'a> {
    fn new(entries: &'e [Entry<'a>]) -> Self {
        let mut by_arn: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_ident: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            match e.arn {
                Some(arn) => by_arn.entry(norm_arn(arn)).or_default().push(i),
                None => {
                    for ident in [e.id, e.name].into_iter().flatten() {
                        by_ident.entry((e.kind, ident)).or_default().push(i);
                    }
                }
            }
        }
        Index {
            entries,
            by_arn,
            by_ident,
        }
    }

    /// The instances that are live resource `l` of `account`: by ARN, else
    /// those without an ARN that name it, in the same account.
    fn of(&self, l: &Live, account: &str) -> Vec<usize> {
        match self.by_arn.get(norm_arn(&l.arn)) {
            Some(found) => found.clone(),
            None => l
                .idents
                .iter()
                .filter_map(|ident| self.by_ident.get(&(l.kind, ident.as_str())))
                .flatten()
                .copied()
                .filter(|&i| self.entries[i].account == Some(account))
                .collect(),
        }
    }
}

/// A live resource against the instances it matched: unmanaged (none),
/// changed, or nothing to report.
fn compare(
    l: &Live,
    found: &[&Entry],
    holders: &Holders,
    settings: &DriftSettings,
    out: &mut AccountDrift,
) {
    let ignored = user_ignored(settings, l.kind, &l.arn, Some(&l.tags));
    if found.is_empty() {
        let made_elsewhere = settings.builtin_ignores && builtin_reason(l).is_some();
        if !made_elsewhere && !ignored {
            out.unmanaged.push(Unmanaged {
                resource: l.arn.clone(),
                region: l.region.clone(),
                kind: l.kind.to_string(),
                name: l.name.clone(),
                import_id: import_id(l),
            });
        }
        return;
    }
    let Some(entry) = found.iter().find(|e| e.kind == l.kind).filter(|_| !ignored) else {
        return;
    };
    let changes = changes(holders, entry, l, settings);
    if let Some(first) = changes.first() {
        out.changed.push(Changed {
            resource: l.arn.clone(),
            region: l.region.clone(),
            kind: l.kind.to_string(),
            name: l.name.clone(),
            address: first.address.clone(),
            state: entry.origin.to_string(),
            changes,
        });
    }
}

/// A modelled instance no live resource matched: missing, when the part of
/// the account it would be in was read (unread is not evaluated).
fn missing(e: &Entry, account: &AccountSnapshot, settings: &DriftSettings) -> Option<Missing> {
    let (service, mapping) = e.mapping?;
    let region = if service.global {
        GLOBAL_REGION
    } else {
        // A region not read, or unknown: not evaluated.
        e.region
            .filter(|r| account.regions.iter().any(|x| x == r))?
    };
    let key = service.coverage_key_of(mapping.items);
    let read = account
        .coverage
        .iter()
        .any(|c| c.region == region && c.service == key && c.status == CoverageStatus::Ok);
    let resource = match (e.arn, mapping.arn_from_id, e.id) {
        (Some(arn), _, _) => arn.to_string(),
        (None, Some(template), Some(id)) => template.replace("{}", id),
        _ => return None, // nothing to name it by
    };
    if !read || user_ignored(settings, e.kind, &resource, None) {
        return None;
    }
    Some(Missing {
        resource,
        region: region.to_string(),
        kind: e.kind.to_string(),
        address: e.address.clone(),
        state: e.origin.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::compare::{document, live_value};
    use super::*;
    use crate::snapshot::Compared;
    use crate::terraform::state::parse_state_keeping;

    /// A live resource of `kind` as the walk over a section would make it.
    fn live(kind: &str, arn: &str, name: &str, tags: &Tags, value: Value) -> Live {
        let (_, mapping) = mapping_of(kind).unwrap();
        Live {
            kind: mapping.kind,
            mapping,
            arn: arn.into(),
            region: GLOBAL_REGION.into(),
            name: name.into(),
            idents: vec![],
            tags: tags.clone(),
            own_tags: mapping.tags == crate::snapshot::TagSource::Own,
            made_by_aws: None,
            value,
            member_of: None,
        }
    }

    fn parsed(text: &str) -> State {
        parse_state_keeping(text.as_bytes(), "s.tfstate", &keep_attribute).unwrap()
    }

    fn bucket_live(tags: &Tags, value: Value) -> Live {
        live(
            "aws_s3_bucket",
            "arn:aws:s3:::krci-states",
            "krci-states",
            tags,
            value,
        )
    }

    fn drift_of(state: &State, live: &Live, settings: &DriftSettings) -> Vec<Change> {
        let entries = entries(std::slice::from_ref(state), &HashMap::new());
        let holders = Holders::new(&entries);
        let bucket = entries.iter().find(|e| e.kind == live.kind).unwrap();
        changes(&holders, bucket, live, settings)
    }

    /// A bucket as the provider writes it right after an apply: the
    /// deprecated `versioning` and `policy` of `aws_s3_bucket` are stale
    /// (read before the sibling resources were created).
    const SPLIT_BUCKET: &str = r#"{"version": 4, "resources": [
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket", "name": "state",
       "instances": [{"attributes": {"arn": "arn:aws:s3:::krci-states", "id": "krci-states",
         "bucket": "krci-states", "versioning": [{"enabled": false, "mfa_delete": false}],
         "policy": "", "tags": null, "tags_all": {"SysName": "KubeRocketCI"}}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "versioning_configuration": [{"mfa_delete": "", "status": "Enabled"}]}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_public_access_block", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "block_public_acls": true, "block_public_policy": true,
         "ignore_public_acls": true, "restrict_public_buckets": true}}]},
      {"module": "module.shared", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "state",
       "instances": [{"attributes": {"id": "krci-states", "bucket": "krci-states",
         "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::krci-states\",\"arn:aws:s3:::krci-states/*\"]}]}"}}]},
      {"mode": "managed", "type": "aws_s3_bucket_versioning", "name": "other",
       "instances": [{"attributes": {"id": "other", "bucket": "other",
         "versioning_configuration": [{"status": "Suspended"}]}}]}
    ]}"#;

    #[test]
    fn split_s3_settings_are_read_from_the_sibling_that_holds_them() {
        let state = parsed(SPLIT_BUCKET);
        let tags = Tags::from([("SysName".to_string(), "KubeRocketCI".to_string())]);
        let pab = serde_json::json!({"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true});
        // The same policy, keys reordered and a list of one as its item.
        let policy = serde_json::json!({"Statement": [{"Resource": ["arn:aws:s3:::krci-states/*",
            "arn:aws:s3:::krci-states"], "Action": ["s3:*"], "Principal": "*", "Effect": "Deny"}],
            "Version": "2012-10-17"});
        let settings = DriftSettings::default();
        let same = serde_json::json!({"versioning": "Enabled", "public_access_block": pab, "policy": policy});
        assert_eq!(
            drift_of(&state, &bucket_live(&tags, same), &settings),
            vec![]
        );

        let changed = serde_json::json!({"versioning": "Suspended",
            "public_access_block": {"block_public_acls": false, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true}});
        let changes = drift_of(&state, &bucket_live(&tags, changed), &settings);
        let shown: Vec<(&str, &str, &str, &str)> = changes
            .iter()
            .map(|c| {
                (
                    c.address.as_str(),
                    c.attribute.as_str(),
                    c.state.as_deref().unwrap(),
                    c.live.as_deref().unwrap(),
                )
            })
            .collect();
        let policy_text = r#"{"Statement":{"Action":"s3:*","Effect":"Deny","Principal":"*","Resource":["arn:aws:s3:::krci-states","arn:aws:s3:::krci-states/*"]},"Version":"2012-10-17"}"#;
        assert_eq!(
            shown,
            vec![
                (
                    "module.shared.aws_s3_bucket_versioning.state",
                    "versioning_configuration.0.status",
                    "Enabled",
                    "Suspended"
                ),
                (
                    "module.shared.aws_s3_bucket_public_access_block.state",
                    "block_public_acls",
                    "true",
                    "false"
                ),
                (
                    "module.shared.aws_s3_bucket_policy.state",
                    "policy",
                    policy_text,
                    "(not set)"
                ),
            ]
        );
    }

    #[test]
    fn versioning_never_enabled_reads_disabled_and_unheld_settings_are_not_compared() {
        let state = parsed(
            r#"{"version": 4, "resources": [
              {"mode": "managed", "type": "aws_s3_bucket", "name": "logs",
               "instances": [{"attributes": {"arn": "arn:aws:s3:::krci-states", "bucket": "krci-states"}}]},
              {"mode": "managed", "type": "aws_s3_bucket_versioning", "name": "logs",
               "instances": [{"attributes": {"bucket": "krci-states",
                 "versioning_configuration": [{"status": "Disabled"}]}}]}]}"#,
        );
        let tags = Tags::new();
        // No public access block, policy or encryption in the state: whatever is
        // live there is not Terraform's to report.
        let live = serde_json::json!({"policy": {"Statement": []},
            "encryption": {"sse_algorithm": "aws:kms"}});
        let settings = DriftSettings::default();
        assert_eq!(
            drift_of(&state, &bucket_live(&tags, live), &settings),
            vec![]
        );
        let enabled = serde_json::json!({"versioning": "Enabled"});
        let changes = drift_of(&state, &bucket_live(&tags, enabled), &settings);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].state.as_deref(), Some("Disabled"));
        assert_eq!(changes[0].address, "aws_s3_bucket_versioning.logs");
    }

    #[test]
    fn tags_compare_against_tags_all_without_aws_and_controller_tags() {
        let state = parsed(SPLIT_BUCKET);
        let settings = DriftSettings::default();
        let value = serde_json::json!({"versioning": "Enabled", "policy": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::krci-states", "arn:aws:s3:::krci-states/*"]}]},
            "public_access_block": {"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true}});
        let tags = Tags::from([
            ("SysName".to_string(), "KubeRocketCI".to_string()),
            ("aws:cloudformation:stack-id".to_string(), "x".to_string()),
            ("karpenter.sh/nodepool".to_string(), "default".to_string()),
            ("Owner".to_string(), "team-a".to_string()),
        ]);
        let changes = drift_of(&state, &bucket_live(&tags, value.clone()), &settings);
        assert_eq!(
            changes,
            vec![Change {
                attribute: "tags.Owner".into(),
                address: "module.shared.aws_s3_bucket.state".into(),
                state: Some("(not set)".into()),
                live: Some("team-a".into()),
                sensitive: false
            }]
        );
        let no_builtin = DriftSettings {
            builtin_ignores: false,
            ..DriftSettings::default()
        };
        let attributes: Vec<String> =
            drift_of(&state, &bucket_live(&tags, value.clone()), &no_builtin)
                .into_iter()
                .map(|c| c.attribute)
                .collect();
        assert_eq!(attributes, vec!["tags.Owner", "tags.karpenter.sh/nodepool"]);
        // The default tag removed live; a null `tags` beside `tags_all` is no tag at all.
        let none = Tags::new();
        let changes = drift_of(&state, &bucket_live(&none, value.clone()), &settings);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].attribute, "tags.SysName");
        assert_eq!(changes[0].live.as_deref(), Some("(not set)"));
        // Without tags in the state (a hand-written or pre-3.38 state), tags are not compared.
        let untagged = parsed(&SPLIT_BUCKET.replace(
            r#""tags": null, "tags_all": {"SysName": "KubeRocketCI"}"#,
            r#""x": 1"#,
        ));
        assert_eq!(
            drift_of(&untagged, &bucket_live(&tags, value), &settings),
            vec![]
        );
    }

    #[test]
    fn every_type_tfd001_reports_has_an_import_id() {
        for (_, t) in mapping::types().filter(|(_, t)| t.is_modelled()) {
            let kind = t.kind;
            assert!(t.import.is_some(), "{kind}: no import id");
        }
        let tags = Tags::new();
        let of = |kind: &'static str, arn: &'static str, name: &str, value: Value| {
            import_id(&live(kind, arn, name, &tags, value))
        };
        let acl = "arn:aws:wafv2:eu-central-1:1:regional/webacl/ExternalACL/2b7c1e44";
        assert_eq!(
            of(
                "aws_wafv2_web_acl",
                acl,
                "ExternalACL",
                serde_json::json!({"id": "2b7c1e44", "name": "ExternalACL", "scope": "REGIONAL"})
            ),
            "2b7c1e44/ExternalACL/REGIONAL"
        );
        assert_eq!(
            of(
                "aws_eks_node_group",
                "arn:aws:eks:eu-central-1:1:nodegroup/krci/system/4c1",
                "krci/system",
                serde_json::json!({"name": "system"})
            ),
            "krci:system"
        );
        let template = "arn:aws:ec2:eu-central-1:1:launch-template/lt-042a88ebd467a9615";
        assert_eq!(
            of(
                "aws_launch_template",
                template,
                "runner",
                serde_json::json!({"id": "lt-042a88ebd467a9615", "name": "runner"})
            ),
            "lt-042a88ebd467a9615"
        );
        let lb = "arn:aws:elasticloadbalancing:eu-central-1:1:loadbalancer/app/a/1";
        assert_eq!(of("aws_lb", lb, "a", serde_json::json!({})), lb);
        assert_eq!(
            of(
                "aws_ssm_parameter",
                "arn:aws:ssm:eu-central-1:1:parameter/a/b",
                "/a/b",
                serde_json::json!({"name": "/a/b"})
            ),
            "/a/b"
        );
    }

    #[test]
    fn a_listener_policy_is_compared_on_tls_listeners_only() {
        let state = parsed(
            r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_lb_listener", "name": "http",
              "instances": [{"attributes": {"arn": "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
                "port": 80, "protocol": "HTTP", "ssl_policy": "ELBSecurityPolicy-2016-08"}}]}]}"#,
        );
        let tags = Tags::new();
        let live = |protocol: &str| {
            live(
                "aws_lb_listener",
                "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
                "a :80",
                &tags,
                serde_json::json!({"port": 80, "protocol": protocol}),
            )
        };
        let http = entries(std::slice::from_ref(&state), &HashMap::new());
        let settings = DriftSettings::default();
        // The policy an endpoint put on an HTTP listener is not compared.
        let found = changes(&Holders::new(&http), &http[0], &live("HTTP"), &settings);
        assert_eq!(found, vec![]);
        let https = parsed(
            &r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_lb_listener", "name": "http",
              "instances": [{"attributes": {"arn": "arn:aws:elasticloadbalancing:eu-central-1:1:listener/app/a/1/2",
                "port": 80, "protocol": "HTTP", "ssl_policy": "ELBSecurityPolicy-2016-08"}}]}]}"#
                .replace("\"HTTP\"", "\"HTTPS\""),
        );
        let tls = entries(std::slice::from_ref(&https), &HashMap::new());
        let attributes: Vec<String> =
            changes(&Holders::new(&tls), &tls[0], &live("HTTPS"), &settings)
                .into_iter()
                .map(|c| c.attribute)
                .collect();
        assert_eq!(attributes, vec!["ssl_policy"]);
    }

    #[test]
    fn sensitive_changes_hide_both_values() {
        let state = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_ssm_parameter",
          "name": "p", "instances": [{"attributes": {"arn": "arn:aws:ssm:eu-central-1:1:parameter/a",
          "name": "/a", "type": "String", "value": "hunter2"},
          "sensitive_attributes": [[{"type": "get_attr", "value": "type"}], [{"type": "get_attr", "value": "value"}]]}]}]}"#;
        let state = parse_state_keeping(state.as_bytes(), "s", &keep_attribute).unwrap();
        let instance = &state.resources[0].instances[0];
        assert_eq!(instance.attributes.len(), 1, "only `type` is compared");
        assert!(!format!("{state:?}").contains("String"));
        let entries = entries(std::slice::from_ref(&state), &HashMap::new());
        let tags = Tags::new();
        let live = live(
            "aws_ssm_parameter",
            "arn:aws:ssm:eu-central-1:1:parameter/a",
            "/a",
            &tags,
            serde_json::json!({"type": "SecureString"}),
        );
        assert_eq!(
            changes(
                &Holders::new(&entries),
                &entries[0],
                &live,
                &DriftSettings::default()
            ),
            vec![Change {
                attribute: "type".into(),
                address: "aws_ssm_parameter.p".into(),
                state: None,
                live: None,
                sensitive: true
            }]
        );
    }

    #[test]
    fn live_values_read_in_the_state_terms() {
        let row = |kind, state| -> &Compared {
            let (_, mapping) = mapping_of(kind).unwrap();
            mapping.compared.iter().find(|c| c.state == state).unwrap()
        };
        let v = serde_json::json!({"scheme": "internal",
            "certificates": ["arn:c1", "arn:c2"], "attributes": {"deletion_protection.enabled": "TRUE"}});
        assert_eq!(
            live_value(
                &v,
                row("aws_s3_bucket", "versioning_configuration.0.status")
            )
            .as_deref(),
            Some("Disabled")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "internal")).as_deref(),
            Some("true")
        );
        assert_eq!(
            live_value(&v, row("aws_lb_listener", "certificate_arn")).as_deref(),
            Some("arn:c1")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "enable_deletion_protection")).as_deref(),
            Some("true")
        );
        assert_eq!(
            live_value(&v, row("aws_lb", "drop_invalid_header_fields")).as_deref(),
            Some("false"),
            "an attribute the endpoint does not return is AWS's default"
        );
        assert_eq!(
            live_value(&v, row("aws_cloudwatch_log_group", "retention_in_days")).as_deref(),
            Some("0")
        );
        assert_eq!(live_value(&v, row("aws_lb_listener", "ssl_policy")), None);
        let rule = serde_json::json!({"protocol": "6", "from_port": -1, "to_port": 22,
            "ingress": [{"protocol": "-1", "from_port": -1, "to_port": -1, "cidr_ipv6": "::/0"},
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}]});
        let ingress = "aws_vpc_security_group_ingress_rule";
        assert_eq!(
            live_value(&rule, row(ingress, "ip_protocol")).as_deref(),
            Some("tcp")
        );
        assert_eq!(live_value(&rule, row(ingress, "from_port")), None);
        assert_eq!(
            live_value(&rule, row(ingress, "to_port")).as_deref(),
            Some("22")
        );
        assert_eq!(
            live_value(&rule, row("aws_security_group", "ingress")).as_deref(),
            Some("all from ::/0; tcp 22 from 0.0.0.0/0")
        );
        let blocks = serde_json::json!([{"protocol": "tcp", "from_port": 22, "to_port": 22,
            "cidr_blocks": ["0.0.0.0/0", "10.0.0.0/8"], "self": false}]);
        let attribute = compared()
            .into_iter()
            .find(|c| c.kind == "aws_security_group" && c.state == "ingress")
            .unwrap();
        assert!(attribute.holds_members_inline());
        assert_eq!(
            attribute.state_value(&blocks).as_deref(),
            Some("tcp 22 from 0.0.0.0/0; tcp 22 from 10.0.0.0/8")
        );
        assert_eq!(attribute.items(&blocks, "sg-1").map(|i| i.len()), Some(2));
        assert_eq!(
            member_link("aws_vpc_security_group_egress_rule"),
            Some("security_group_id")
        );
        assert_eq!(
            member_link("aws_security_group_rule"),
            Some("security_group_id")
        );
        assert_eq!(member_link("aws_security_group"), None);
        assert_eq!(
            document(Some(&Value::from("not json {"))).as_deref(),
            Some("not json {")
        );
    }

    const ACCOUNT: &str = "318465720941";

    fn sg_arn(id: &str) -> String {
        format!("arn:aws:ec2:eu-central-1:{ACCOUNT}:security-group/{id}")
    }

    fn rule_arn(id: &str) -> String {
        format!("arn:aws:ec2:eu-central-1:{ACCOUNT}:security-group-rule/{id}")
    }

    /// A live rule as the collector writes it.
    fn rule(id: &str, protocol: &str, ports: Option<i64>, peer: (&str, &str)) -> Value {
        let mut rule = serde_json::json!({"arn": rule_arn(id), "id": id, "protocol": protocol,
            "from_port": ports.unwrap_or(-1), "to_port": ports.unwrap_or(-1)});
        rule[peer.0] = Value::from(peer.1);
        rule
    }

    fn group(id: &str, name: &str, ingress: Vec<Value>, egress: Vec<Value>, tags: Value) -> Value {
        serde_json::json!({"arn": sg_arn(id), "id": id, "name": name, "region": "eu-central-1",
            "description": "Managed by Terraform", "vpc_id": "vpc-0e1edd681811ae31c",
            "ingress": ingress, "egress": egress, "tags": tags})
    }

    const ALB: &str = "sg-0f558919deb98d3f8";
    const NODE: &str = "sg-05a156f82e12726bc";
    const LEGACY: &str = "sg-04a4e92594cbd7a10";
    const BY_HAND: &str = "sg-08c89696adb520650";

    /// One account whose groups are held in each form, and groups AWS,
    /// EKS, Kubernetes and a person made.
    fn groups_snapshot() -> Snapshot {
        let world = ("cidr_ipv4", "0.0.0.0/0");
        let mut https = rule("sgr-0a1f0e3c6b7d52e41", "tcp", Some(443), world);
        https["description"] = Value::from("HTTPS from anywhere");
        let groups = vec![
            // Rule-resource form, with one rule added by hand.
            group(
                ALB,
                "shared-ingress-alb",
                vec![
                    https,
                    rule("sgr-0b2e7a9d4c1f83a65", "tcp", Some(80), world),
                    rule("sgr-0c93d5e1f7a2b4068", "tcp", Some(22), world),
                ],
                vec![rule("sgr-0d4c8b2a6e9f1d357", "-1", None, world)],
                serde_json::json!({"Name": "shared-ingress-alb"}),
            ),
            // Inline form, SSH added by hand.
            group(
                NODE,
                "shared-node",
                vec![
                    rule("sgr-01", "tcp", Some(443), ("referenced_group_id", ALB)),
                    rule("sgr-02", "-1", None, ("referenced_group_id", NODE)),
                    rule("sgr-03", "tcp", Some(22), world),
                ],
                vec![
                    rule("sgr-04", "-1", None, world),
                    rule("sgr-05", "-1", None, ("cidr_ipv6", "::/0")),
                ],
                serde_json::json!({"Name": "shared-node", "kubernetes.io/cluster/shared": "owned"}),
            ),
            // Its rules are `aws_security_group_rule`s: not compared.
            group(
                LEGACY,
                "shared-nexus-legacy",
                vec![rule("sgr-06", "tcp", Some(8081), world)],
                vec![],
                serde_json::json!({}),
            ),
            group(
                BY_HAND,
                "shared-troubleshooting",
                vec![rule("sgr-07", "-1", None, world)],
                vec![rule("sgr-08", "-1", None, world)],
                serde_json::json!({}),
            ),
            group(
                "sg-05e80d1a6abf35740",
                "default",
                vec![rule(
                    "sgr-09",
                    "-1",
                    None,
                    ("referenced_group_id", "sg-05e80d1a6abf35740"),
                )],
                vec![],
                serde_json::json!({}),
            ),
            group(
                "sg-024aa0e3c2dd361d1",
                "eks-cluster-sg-shared-1529838041",
                vec![rule(
                    "sgr-10",
                    "-1",
                    None,
                    ("referenced_group_id", "sg-024aa0e3c2dd361d1"),
                )],
                vec![],
                serde_json::json!({"aws:eks:cluster-name": "shared", "kubernetes.io/cluster/shared": "owned"}),
            ),
            group(
                "sg-0b7e3f9a1c5d2e846",
                "k8s-elb-a8f2c41d9e0b34c6f8b1d2e7a5c90f31",
                vec![rule("sgr-11", "tcp", Some(443), world)],
                vec![],
                serde_json::json!({"kubernetes.io/cluster/shared": "owned"}),
            ),
        ];
        serde_json::from_value(serde_json::json!({
            "schema_version": crate::snapshot::SCHEMA_VERSION,
            "generated_at": "2026-11-30T03:00:00Z",
            "accounts": [{"account": {"id": ACCOUNT, "name": "krci-shared"},
                "regions": ["eu-central-1"],
                "coverage": [{"region": "eu-central-1", "service": "ec2", "status": "ok"}],
                "ec2": {"security_groups": groups}}]
        }))
        .unwrap()
    }

    /// The groups' state: the ALB group's rules as resources of their own
    /// (its `ingress` as the provider refreshed it, before the hand-made
    /// rule), the node group's inline.
    fn groups_state() -> State {
        let text = r#"{"version": 4, "resources": [
          {"mode": "managed", "type": "aws_security_group", "name": "alb", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-0f558919deb98d3f8",
            "id": "sg-0f558919deb98d3f8", "name": "shared-ingress-alb",
            "ingress": [{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 80, "ipv6_cidr_blocks": [],
              "prefix_list_ids": [], "protocol": "tcp", "security_groups": [], "self": false, "to_port": 80}],
            "egress": [], "tags": {"Name": "shared-ingress-alb"}, "tags_all": {"Name": "shared-ingress-alb"}}}]},
          {"mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "https", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-0a1f0e3c6b7d52e41",
            "id": "sgr-0a1f0e3c6b7d52e41", "security_group_rule_id": "sgr-0a1f0e3c6b7d52e41",
            "security_group_id": "sg-0f558919deb98d3f8", "ip_protocol": "tcp", "from_port": 443, "to_port": 443,
            "cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": null, "prefix_list_id": null, "referenced_security_group_id": null,
            "description": "HTTPS from anywhere", "tags": null, "tags_all": {}}}]},
          {"mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "http", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-0b2e7a9d4c1f83a65",
            "id": "sgr-0b2e7a9d4c1f83a65", "security_group_id": "sg-0f558919deb98d3f8", "ip_protocol": "6",
            "from_port": 80, "to_port": 80, "cidr_ipv4": "0.0.0.0/0", "description": null,
            "tags": {"Name": "http"}, "tags_all": {"Name": "http"}}}]},
          {"mode": "managed", "type": "aws_vpc_security_group_egress_rule", "name": "all", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-0d4c8b2a6e9f1d357",
            "id": "sgr-0d4c8b2a6e9f1d357", "security_group_id": "sg-0f558919deb98d3f8", "ip_protocol": "-1",
            "from_port": null, "to_port": null, "cidr_ipv4": "0.0.0.0/0", "tags_all": {}}}]},
          {"mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "https_v6", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group-rule/sgr-0e5a7c3b9d1f24680",
            "id": "sgr-0e5a7c3b9d1f24680", "security_group_id": "sg-0f558919deb98d3f8", "ip_protocol": "tcp",
            "from_port": 443, "to_port": 443, "cidr_ipv6": "::/0", "tags_all": {}}}]},
          {"mode": "managed", "type": "aws_security_group", "name": "node", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-05a156f82e12726bc",
            "id": "sg-05a156f82e12726bc", "name": "shared-node",
            "ingress": [
              {"cidr_blocks": [], "description": "", "from_port": 443, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
               "protocol": "tcp", "security_groups": ["sg-0f558919deb98d3f8"], "self": false, "to_port": 443},
              {"cidr_blocks": [], "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
               "protocol": "-1", "security_groups": [], "self": true, "to_port": 0}],
            "egress": [{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0, "ipv6_cidr_blocks": ["::/0"],
              "prefix_list_ids": [], "protocol": "-1", "security_groups": [], "self": false, "to_port": 0}],
            "tags": null, "tags_all": {"Name": "shared-node", "kubernetes.io/cluster/shared": "owned"}}}]},
          {"mode": "managed", "type": "aws_security_group", "name": "nexus", "instances": [{"attributes": {
            "arn": "arn:aws:ec2:eu-central-1:318465720941:security-group/sg-04a4e92594cbd7a10",
            "id": "sg-04a4e92594cbd7a10", "ingress": [], "egress": [], "tags_all": {}}}]},
          {"mode": "managed", "type": "aws_security_group_rule", "name": "nexus_ui", "instances": [{"attributes": {
            "id": "sgrule-2771384465", "security_group_id": "sg-04a4e92594cbd7a10", "type": "ingress",
            "protocol": "tcp", "from_port": 8081, "to_port": 8081, "cidr_blocks": ["0.0.0.0/0"]}}]}
        ]}"#;
        parsed(text)
    }

    #[test]
    fn security_groups_in_both_forms() {
        let drift = compute(
            &groups_snapshot(),
            &[groups_state()],
            vec![],
            &DriftSettings::default(),
        );
        let d = &drift.accounts[ACCOUNT];
        let unmanaged: Vec<(&str, &str)> = d
            .unmanaged
            .iter()
            .map(|u| (u.resource.as_str(), u.name.as_str()))
            .collect();
        // The group made by hand (not its rules), and the rule added by hand to
        // the group whose rules are resources; nothing AWS, EKS or Kubernetes made,
        // no rule of the inline or the legacy form.
        assert_eq!(
            unmanaged,
            vec![
                (
                    rule_arn("sgr-0c93d5e1f7a2b4068").as_str(),
                    "shared-ingress-alb sgr-0c93d5e1f7a2b4068"
                ),
                (sg_arn(BY_HAND).as_str(), "shared-troubleshooting"),
            ]
        );
        assert_eq!(d.unmanaged[0].kind, "aws_vpc_security_group_ingress_rule");
        assert_eq!(d.unmanaged[0].import_id, "sgr-0c93d5e1f7a2b4068");
        let missing: Vec<(&str, &str)> = d
            .missing
            .iter()
            .map(|m| (m.resource.as_str(), m.address.as_str()))
            .collect();
        assert_eq!(
            missing,
            vec![(
                rule_arn("sgr-0e5a7c3b9d1f24680").as_str(),
                "aws_vpc_security_group_ingress_rule.https_v6"
            )]
        );
        type Shown<'a> = (&'a str, Option<&'a str>, Option<&'a str>);
        let changed: Vec<(&str, &str, Vec<Shown>)> = d
            .changed
            .iter()
            .map(|c| {
                (
                    c.resource.as_str(),
                    c.address.as_str(),
                    c.changes
                        .iter()
                        .map(|c| (c.attribute.as_str(), c.state.as_deref(), c.live.as_deref()))
                        .collect(),
                )
            })
            .collect();
        // The ALB group's refreshed `ingress` is not compared (its rules are),
        // protocol `6` is `tcp`, ports `-1` are none.
        assert_eq!(
            changed,
            vec![
                (
                    rule_arn("sgr-0b2e7a9d4c1f83a65").as_str(),
                    "aws_vpc_security_group_ingress_rule.http",
                    vec![("tags.Name", Some("http"), Some("(not set)"))]
                ),
                (
                    sg_arn(NODE).as_str(),
                    "aws_security_group.node",
                    vec![("ingress", Some("(not set)"), Some("tcp 22 from 0.0.0.0/0"))]
                ),
            ]
        );
    }

    #[test]
    fn a_changed_inline_rule_is_one_change_and_ignored_groups_stay_quiet() {
        let mut snapshot = groups_snapshot();
        let node = &mut snapshot.accounts[0].ec2.security_groups[1];
        node.ingress.retain(|r| r.id != "sgr-03");
        node.ingress[0].description = Some("from the \"ALB\"".into());
        node.egress.retain(|r| r.id != "sgr-05");
        let drift = compute(
            &snapshot,
            &[groups_state()],
            vec![],
            &DriftSettings::default(),
        );
        let node = &drift.accounts[ACCOUNT].changed[1];
        assert_eq!(node.resource, sg_arn(NODE));
        let changes: Vec<(&str, &str, &str)> = node
            .changes
            .iter()
            .map(|c| {
                (
                    c.attribute.as_str(),
                    c.state.as_deref().unwrap(),
                    c.live.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            vec![
                (
                    "ingress",
                    &*format!("tcp 443 from {ALB}"),
                    &*format!("tcp 443 from {ALB} \"from the \"ALB\"\"")
                ),
                ("egress", "all to ::/0", "(not set)"),
            ]
        );
        // Without the built-in ignores, what AWS, EKS and Kubernetes made is listed.
        let all = compute(
            &snapshot,
            &[groups_state()],
            vec![],
            &DriftSettings {
                builtin_ignores: false,
                ..DriftSettings::default()
            },
        );
        let names: Vec<&str> = all.accounts[ACCOUNT]
            .unmanaged
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        // A group left out by `[[drift.ignore]]` takes its rules with it.
        let ignored = DriftSettings {
            ignore: vec![DriftIgnore {
                resource: None,
                tag: Some(("Name".into(), Some("shared-ingress-alb".into()))),
                kind: Some("aws_security_group".into()),
                reason: "the edge team's".into(),
                line: 1,
            }],
            ..DriftSettings::default()
        };
        let quiet = compute(&snapshot, &[groups_state()], vec![], &ignored);
        assert!(
            quiet.accounts[ACCOUNT]
                .unmanaged
                .iter()
                .all(|u| !u.name.starts_with("shared-ingress-alb")),
            "{:?}",
            quiet.accounts[ACCOUNT].unmanaged
        );
        assert_eq!(
            names,
            vec![
                "shared-ingress-alb sgr-0c93d5e1f7a2b4068",
                "eks-cluster-sg-shared-1529838041",
                "default",
                "shared-troubleshooting",
                "k8s-elb-a8f2c41d9e0b34c6f8b1d2e7a5c90f31",
            ]
        );
    }

    #[test]
    fn a_node_group_tagged_for_its_cluster_is_not_made_by_kubernetes() {
        let snapshot = groups_snapshot();
        let section = serde_json::to_value(&snapshot.accounts[0].ec2).unwrap();
        let (_, mapping) = mapping_of("aws_security_group").unwrap();
        let why: Vec<Option<&str>> = section["security_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (mapping.made_by_aws)(g, &section))
            .collect();
        assert_eq!(
            why.iter().filter(|w| w.is_some()).count(),
            3,
            "default, EKS's, the in-tree load balancer's: {why:?}"
        );
        assert_eq!(why[1], None, "shared-node");
        assert_eq!(
            mapping_of("aws_default_security_group").unwrap().1.kind,
            "aws_security_group"
        );
    }
}
