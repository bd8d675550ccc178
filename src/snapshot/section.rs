//! What every service's snapshot section is: a [`Section`]. The service
//! registry (`crate::services`) lists the sections; everything the rest of
//! archaudit knows per service (the account's fields, resource counts,
//! normalisation, coverage keys, the global flag, the Terraform mapping) is
//! derived from that list and from each section's [`Section`] impl, which
//! lives in the service's own file.

use super::TerraformType;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One service's data in one account.
///
/// Implemented with `section!`, which writes the collection handling and
/// takes the service's settings (the consts below) as its last block.
pub trait Section: Default + Clone + Serialize + DeserializeOwned + Send + 'static {
    /// Read once per account under the region `global` (IAM, S3's bucket
    /// list), not once per region.
    const GLOBAL: bool = false;
    /// Parts of the section read (and covered) apart from the rest, so that an
    /// endpoint without one API does not hide the whole section.
    const PARTS: &'static [Part] = &[];
    /// The Terraform resource types of its resources.
    const TERRAFORM: &'static [TerraformType] = &[];

    /// Number of top-level resources, for the report's summary.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Sorts every collection by ARN, so that serialization is deterministic.
    fn normalize(&mut self);
    /// Adds another region's resources.
    fn extend(&mut self, other: Self);
    /// Why a string a rule depends on does not parse (dates are checked in
    /// every section, see `validate`): `path` is the object's place in the
    /// section (`eks.clusters[0]`), `key` the field. `None`: it parses, or
    /// is not checked.
    fn invalid_value(_path: &str, _key: &str, _value: &str) -> Option<&'static str> {
        None
    }
    /// Takes in what one collection task read: a global section is read once
    /// and replaces the empty one; a regional one adds a region.
    fn absorb(&mut self, other: Self) {
        if Self::GLOBAL {
            *self = other;
        } else {
            self.extend(other);
        }
    }
}

/// A part of a section with a coverage key of its own (`ec2-client-vpn`):
/// one collection, or one field of every item of a collection
/// (`eks-addons`: the `addons` of each cluster).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The coverage key (`<service>-<part>`), as rules name it in `services`.
    pub key: &'static str,
    pub collection: &'static str,
    /// The field of each item of `collection`, when the part is a field.
    pub field: Option<&'static str>,
}

/// A service of the registry, as the snapshot knows it.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// The section's name: its field in the account, its coverage key.
    pub name: &'static str,
    pub global: bool,
    pub parts: &'static [Part],
    pub terraform: &'static [TerraformType],
    /// [`Section::invalid_value`].
    pub invalid_value: fn(&str, &str, &str) -> Option<&'static str>,
}

impl Service {
    /// The coverage keys the service is read under: its name, then its parts'.
    pub fn coverage_keys(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.parts.iter().map(|p| p.key))
    }

    /// The coverage key of a collection of the section (`a/b`: of `a`).
    pub fn coverage_key_of(&self, collection: &str) -> &'static str {
        let collection = collection.split('/').next().unwrap_or(collection);
        self.parts
            .iter()
            .find(|p| p.collection == collection && p.field.is_none())
            .map_or(self.name, |p| p.key)
    }
}

/// The registry entry of a section or of one of its parts (by coverage key).
pub fn service_of(key: &str) -> Option<&'static Service> {
    super::SERVICES
        .iter()
        .find(|s| s.coverage_keys().any(|k| k == key))
}

/// Every coverage key, with whether it is read once per account (global).
pub fn coverage_keys() -> impl Iterator<Item = (&'static str, bool)> {
    super::SERVICES
        .iter()
        .flat_map(|s| s.coverage_keys().map(|k| (k, s.global)))
}

/// Whether the service (or part) behind a coverage key is read once per
/// account rather than per region.
pub fn is_global_service(key: &str) -> bool {
    service_of(key).is_some_and(|s| s.global)
}

/// Whether a coverage key is one the snapshot models.
pub fn is_known_service(key: &str) -> bool {
    service_of(key).is_some()
}

/// Sorts a collection by a key, so every section's `normalize` reads the same.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    items.sort_by_key(|item| key(item));
}

/// Declares a section: a struct whose fields are `Vec`s of resources with an
/// `arn` (each documented: they are what rules read), and its [`Section`]
/// impl; the optional block holds the service's settings:
///
/// ```ignore
/// section!(Ecr {
///     /// Private repositories in the region.
///     repositories: Vec<Repository>,
/// } { const TERRAFORM: &'static [TerraformType] = TERRAFORM; });
/// ```
///
/// `section!(impl Iam { users, roles } { ... })` implements [`Section`] for
/// a struct written out (one with other fields besides its collections).
macro_rules! section {
    ($ty:ident { $($(#[$doc:meta])* $field:ident: $fty:ty),+ $(,)? } $({ $($settings:tt)* })?) => {
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $ty {
            $($(#[$doc])* pub $field: $fty,)+
        }
        crate::snapshot::section!(impl $ty { $($field),+ } $({ $($settings)* })?);
    };
    (impl $ty:ty { $($field:ident),+ $(,)? } $({ $($settings:tt)* })?) => {
        impl crate::snapshot::Section for $ty {
            $($($settings)*)?
            fn len(&self) -> usize {
                0 $(+ self.$field.len())+
            }
            fn normalize(&mut self) {
                $(crate::snapshot::sort_by_key(&mut self.$field, |r| r.arn.clone());)+
            }
            fn extend(&mut self, other: Self) {
                $(self.$field.extend(other.$field);)+
            }
        }
    };
}
pub(crate) use section;
