//! `[roles]`: which architecture role (production, shared, development, ...)
//! each account plays, by account id, by Organizations account name, by an
//! account tag, or by the role tag.

use super::problems::Problems;
use super::values::{self, Pattern};
use crate::snapshot::Snapshot;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The default tag that names an account's architecture role.
pub const ROLE_TAG: &str = "archaudit:role";

#[derive(Debug, Clone)]
pub struct RoleMapping {
    pub tag_key: String,
    pub by_id: BTreeMap<String, String>,
    pub matchers: Vec<RoleMatcher>,
}

impl Default for RoleMapping {
    fn default() -> Self {
        RoleMapping {
            tag_key: ROLE_TAG.to_string(),
            by_id: BTreeMap::new(),
            matchers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RoleMatcher {
    pub role: String,
    pub name: Option<Pattern>,
    pub tag: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoles {
    tag_key: Option<Spanned<String>>,
    #[serde(default)]
    accounts: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default, rename = "match")]
    matchers: Vec<Spanned<RawMatch>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    role: Spanned<String>,
    name: Option<Spanned<String>>,
    tag: Option<RawTag>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTag {
    key: String,
    value: String,
}

impl RawRoles {
    pub fn validate(self, p: &mut Problems) -> RoleMapping {
        let mut roles = RoleMapping::default();
        if let Some(key) = self.tag_key.and_then(|k| {
            p.check(&k, "roles.tag_key", |s| {
                values::not_blank(s, "must not be empty")
            })
        }) {
            roles.tag_key = key;
        }
        for (id, role) in self.accounts {
            let id_ok = p.check(&id, "roles.accounts", |s| values::account_id(s));
            let key = format!("roles.accounts.{}", id.get_ref());
            let role = p.check(&role, &key, |s| values::architecture_role(s));
            if let (Some(id), Some(role)) = (id_ok, role) {
                roles.by_id.insert(id, role);
            }
        }
        for (i, m) in self.matchers.into_iter().enumerate() {
            let key = format!("roles.match[{i}]");
            let span = m.span();
            let m = m.into_inner();
            let role = p.check(&m.role, &format!("{key}.role"), |s| {
                values::architecture_role(s)
            });
            let name = match &m.name {
                Some(pattern) => {
                    match p.check(pattern, &format!("{key}.name"), |s| values::glob(s)) {
                        Some(glob) => Some(glob),
                        None => continue,
                    }
                }
                None => None,
            };
            if name.is_none() && m.tag.is_none() {
                p.at(span, &key, "give `name` (a glob) or `tag` (key and value)");
                continue;
            }
            if let Some(role) = role {
                roles.matchers.push(RoleMatcher {
                    role,
                    name,
                    tag: m.tag.map(|t| (t.key, t.value)),
                });
            }
        }
        roles
    }
}

impl RoleMapping {
    /// Each account's architecture role: by id, else the first matcher that
    /// matches its name or tag, else its role tag. Accounts with none are absent.
    pub fn assign(&self, snapshot: &Snapshot) -> BTreeMap<String, String> {
        snapshot
            .accounts
            .iter()
            .filter_map(|a| {
                let acct = &a.account;
                let role = self.by_id.get(&acct.id).cloned().or_else(|| {
                    self.matchers
                        .iter()
                        .find(|r| {
                            r.name.as_ref().is_some_and(|g| g.is_match(&acct.name))
                                || r.tag
                                    .as_ref()
                                    .is_some_and(|(k, v)| acct.tags.get(k) == Some(v))
                        })
                        .map(|r| r.role.clone())
                        .or_else(|| {
                            let tagged = acct.tags.get(&self.tag_key)?.trim().to_ascii_lowercase();
                            (!tagged.is_empty()).then_some(tagged)
                        })
                })?;
                Some((acct.id.clone(), role))
            })
            .collect()
    }
}
