//! The live side: every resource of an account whose Terraform type drift
//! compares, found in its section by the mapping (`items`, `name`,
//! `idents`, `tags`), one generic walk for every service.

use super::mapping::types;
use crate::snapshot::{AccountSnapshot, TagSource, Tags, TerraformType, GLOBAL_REGION};
use serde_json::Value;

/// One live resource of a modelled type.
pub(super) struct Live {
    pub kind: &'static str,
    pub mapping: &'static TerraformType,
    pub arn: String,
    /// A region, or `global` for a global service's resources.
    pub region: String,
    pub name: String,
    /// What a state instance without an `arn` may name it by (`id`, `name`).
    pub idents: Vec<String>,
    /// Its tags, or (for a listener) those of what it belongs to, which tell
    /// who made it.
    pub tags: Tags,
    /// Whether `tags` are the resource's own, read from AWS: then they are
    /// compared with the state's.
    pub own_tags: bool,
    /// Why AWS (not someone's Terraform) made it, if it did.
    pub made_by_aws: Option<&'static str>,
    /// The resource as the snapshot holds it.
    pub value: Value,
    /// The ARN of the resource it is nested in, when that resource's type
    /// may hold it inline (a security group's rule: see `Members`).
    pub member_of: Option<String>,
}

/// Every live resource of a modelled type in an account.
pub(super) fn live_resources(account: &AccountSnapshot) -> Vec<Live> {
    // Our own snapshot types always serialize.
    let sections = serde_json::to_value(account).unwrap_or(Value::Null);
    let mut out = Vec::new();
    for (service, mapping) in types().filter(|(_, t)| t.is_modelled()) {
        let section = &sections[service.name];
        let mut walk = mapping.items.split('/');
        let collection = walk.next().unwrap_or_default();
        let nested = walk.next();
        // A nested type the type of its items holds inline or apart.
        let member = nested.is_some()
            && types().any(|(s, t)| {
                s.name == service.name
                    && t.items == collection
                    && t.members.is_some_and(|m| m.kinds.contains(&mapping.kind))
            });
        for item in items(&section[collection]) {
            let mut add = |value: &Value, parent: Option<&Value>| {
                let region = if service.global {
                    GLOBAL_REGION
                } else {
                    parent.unwrap_or(value)["region"]
                        .as_str()
                        .unwrap_or(GLOBAL_REGION)
                };
                let tags = match mapping.tags {
                    TagSource::Own => tags_of(value),
                    TagSource::Parent => parent.map(tags_of).unwrap_or_default(),
                    TagSource::None => Tags::new(),
                };
                out.push(Live {
                    kind: mapping.kind,
                    mapping,
                    arn: text(&value["arn"]),
                    region: region.to_string(),
                    name: render(mapping.name, value, parent),
                    idents: mapping.idents.iter().map(|f| text(&value[*f])).collect(),
                    tags,
                    own_tags: mapping.tags == TagSource::Own,
                    made_by_aws: (mapping.made_by_aws)(value, section),
                    value: value.clone(),
                    member_of: parent.filter(|_| member).map(|p| text(&p["arn"])),
                });
            };
            match nested {
                None => add(item, None),
                Some(field) => {
                    for child in items(&item[field]) {
                        add(child, Some(item));
                    }
                }
            }
        }
    }
    out
}

fn items(list: &Value) -> &[Value] {
    list.as_array().map_or(&[], Vec::as_slice)
}

fn tags_of(value: &Value) -> Tags {
    serde_json::from_value(value["tags"].clone()).unwrap_or_default()
}

/// A field as text: strings bare, numbers as written, nothing empty.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A name template: `{field}` of the resource, `{..field}` of the item that
/// holds it (`{..name} :{port}`).
fn render(template: &str, value: &Value, parent: Option<&Value>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let field = &rest[start + 1..start + len];
        out.push_str(&match field.strip_prefix("..") {
            Some(field) => parent.map(|p| text(&p[field])).unwrap_or_default(),
            None => text(&value[field]),
        });
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_come_from_the_resource_and_what_holds_it() {
        let lb = json!({"name": "shared-ingress-alb"});
        let listener = json!({"port": 443});
        assert_eq!(
            render("{..name} :{port}", &listener, Some(&lb)),
            "shared-ingress-alb :443"
        );
        assert_eq!(render("{name}", &lb, None), "shared-ingress-alb");
        assert_eq!(render("{missing}/x", &lb, None), "/x");
    }

    /// Tags are compared for exactly the types whose snapshot items hold
    /// their own (a type that claimed them without holding them would report
    /// every state tag as removed by hand).
    #[test]
    fn own_tags_are_claimed_by_exactly_the_types_that_hold_them() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/snapshots/reference-drifted.json"
        );
        let snapshot: crate::snapshot::Snapshot =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for account in &snapshot.accounts {
            for l in live_resources(account) {
                let holds = l.value.get("tags").is_some_and(Value::is_object);
                let own = l.mapping.tags == TagSource::Own;
                assert_eq!(own, holds, "{}: own tags {own}, holds tags {holds}", l.kind);
                assert_eq!(l.own_tags, own);
                *seen.entry(l.kind).or_insert(0) += usize::from(!l.tags.is_empty());
            }
        }
        // Every type the example holds, and tags seen on most of them.
        assert!(seen.len() >= 25, "{seen:?}");
        for kind in [
            "aws_security_group",
            "aws_kms_key",
            "aws_cloudtrail",
            "aws_vpc",
        ] {
            assert!(seen[kind] > 0, "{kind}: no tags in the example");
        }
    }
}
