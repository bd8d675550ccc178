//! The Terraform types drift compares, read from the service registry: each
//! section declares its own (`TERRAFORM` in `src/snapshot/<service>.rs`).

use crate::snapshot::{Compared, Holder, MemberForm, Service, TerraformType, SERVICES};

/// The state attributes that hold a resource's tags: `tags_all` (the
/// provider's default tags included, as the live resource carries them),
/// else `tags` (states of providers before 3.38).
pub(super) const TAG_ATTRIBUTES: &[&str] = &["tags_all", "tags"];

/// Every Terraform type of the registry, with its service.
pub(super) fn types() -> impl Iterator<Item = (&'static Service, &'static TerraformType)> {
    SERVICES
        .iter()
        .flat_map(|s| s.terraform.iter().map(move |t| (s, t)))
}

/// The type drift compares that a Terraform type is (an alias such as
/// `aws_alb` is `aws_lb`), with its service; `None` when not compared.
pub(super) fn mapping_of(kind: &str) -> Option<(&'static Service, &'static TerraformType)> {
    types().find(|(_, t)| t.is_modelled() && (t.kind == kind || t.aliases.contains(&kind)))
}

/// Every compared attribute, of every type.
pub(super) fn all_compared() -> impl Iterator<Item = &'static Compared> {
    types().flat_map(|(_, t)| t.compared.iter())
}

/// Every type that holds another type's nested resources apart (see
/// `Members`): (its type, the attribute that links it, the form it makes).
pub(super) fn member_kinds() -> impl Iterator<Item = (&'static str, &'static str, MemberForm)> {
    types().filter_map(|(_, t)| t.members).flat_map(|m| {
        let separate = m
            .kinds
            .iter()
            .map(move |k| (*k, m.link, MemberForm::Separate));
        let other = m
            .uncompared
            .iter()
            .map(move |k| (*k, m.link, MemberForm::Uncompared));
        separate.chain(other)
    })
}

/// The state attribute a compared attribute depends on (`only_when`).
fn condition(c: &Compared) -> Option<&'static str> {
    c.only_when.map(|(attribute, _)| attribute)
}

/// Whether a state attribute must be kept for comparing (see
/// [`crate::terraform::state::parse_state_keeping`]): a compared attribute
/// of a modelled type or of a sibling that holds one, the sibling's link,
/// the tags of a modelled type, and the link of a resource that holds
/// another's nested resources apart.
pub fn keep_attribute(kind: &str, name: &str) -> bool {
    let top = |path: &str| path.split('.').next() == Some(name);
    if member_kinds().any(|(k, link, _)| k == kind && link == name) {
        return true;
    }
    match mapping_of(kind) {
        Some((_, t)) => {
            TAG_ATTRIBUTES.contains(&name)
                || t.compared.iter().any(|c| {
                    c.holder == Holder::Itself && (top(c.state) || condition(c) == Some(name))
                })
        }
        None => all_compared().any(|c| match c.holder.sibling() {
            Some((k, link, selector)) => {
                k == kind
                    && (top(c.state)
                        || link == name
                        || condition(c) == Some(name)
                        || selector.is_some_and(|(f, _)| f == name))
            }
            None => false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The state resource type that holds `c` for a resource of type `kind`.
    fn holder_kind<'a>(c: &Compared, kind: &'a str) -> &'a str {
        match c.holder {
            Holder::Itself => kind,
            Holder::Sibling { kind, .. } | Holder::SiblingWhere { kind, .. } => kind,
        }
    }

    #[test]
    fn every_compared_attribute_belongs_to_a_modelled_type() {
        for (_, t) in types() {
            assert!(
                t.compared.is_empty() || t.is_modelled(),
                "{}: compared but not held by the snapshot",
                t.kind
            );
            for c in t.compared {
                assert_eq!(mapping_of(t.kind).map(|(_, m)| m.kind), Some(t.kind));
                assert!(c.live.starts_with('/'), "{}: a JSON pointer", c.live);
                let top = c.state.split('.').next().unwrap();
                assert!(keep_attribute(holder_kind(c, t.kind), top), "{}", c.state);
                if let Some((kind, link, _)) = c.holder.sibling() {
                    assert!(
                        mapping_of(kind).is_none(),
                        "{kind}: a sibling is not modelled"
                    );
                    assert!(keep_attribute(kind, link));
                    // The deprecated attribute of the same name is never read.
                    assert!(!keep_attribute(t.kind, top), "{}", c.state);
                }
            }
        }
        assert!(keep_attribute("aws_alb", "enable_deletion_protection"));
        assert!(keep_attribute("aws_ecr_repository", "tags_all"));
        assert!(!keep_attribute("aws_s3_bucket", "versioning"));
        assert!(!keep_attribute(
            "aws_s3_bucket",
            "server_side_encryption_configuration"
        ));
        assert!(!keep_attribute("aws_db_instance", "password"));
        assert!(!keep_attribute("aws_kms_key", "policy"));
        assert!(!keep_attribute("aws_s3_bucket_versioning", "mfa"));
    }

    #[test]
    fn types_and_their_aliases_are_declared_once() {
        let mut seen = BTreeSet::new();
        for (service, t) in types() {
            for kind in std::iter::once(&t.kind).chain(t.aliases) {
                assert!(
                    seen.insert(*kind),
                    "{kind} declared twice ({})",
                    service.name
                );
            }
            if t.is_modelled() {
                let top = t.items.split('/').next().unwrap();
                assert!(
                    !top.is_empty() && t.name.contains('{'),
                    "{}: items and a name",
                    t.kind
                );
            }
        }
    }
}
