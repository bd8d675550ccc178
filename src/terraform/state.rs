//! Terraform state (format version 4), read as untrusted input: a foreign
//! version, a truncated file or something that is not JSON gives an error that
//! names the file.
//!
//! Only what locating a live resource needs is kept: each resource's address
//! parts and, per instance, the `arn`, `id` and `name` attributes when they are
//! strings and not marked sensitive. A caller comparing attributes (drift) names
//! the few more it needs with [`parse_state_keeping`]; those keep Terraform's
//! sensitive mark, and their `Debug` never shows a sensitive value. Every other
//! attribute (passwords, keys, policies) is dropped as soon as an instance is
//! read and never stored, copied or printed.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The only state format version read.
pub const STATE_VERSION: u64 = 4;

/// The resources of one state file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Where the state came from (a path, or `s3://bucket/key`), for messages.
    pub origin: String,
    pub resources: Vec<StateResource>,
}

/// `managed` resources are declared with `resource` blocks; `data` sources only
/// read what exists and never make a resource managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// One `resource` (or `data`) block of a module instance, with its instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateResource {
    /// The module instance path; empty for the root module.
    pub module: Vec<ModuleStep>,
    pub mode: Mode,
    /// The resource type, e.g. `aws_lb`.
    pub kind: String,
    pub name: String,
    pub instances: Vec<StateInstance>,
}

/// One step of a module path: `module.NAME` or `module.NAME[KEY]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<IndexKey>,
}

/// A `count` (number) or `for_each` (string) instance key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    Int(i64),
    Str(String),
}

impl fmt::Display for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexKey::Int(n) => write!(f, "[{n}]"),
            IndexKey::Str(s) => write!(f, "[{}]", serde_json::Value::from(s.as_str())),
        }
    }
}

/// The identifying attributes of one instance, and the attributes a caller
/// asked to keep (see [`parse_state_keeping`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateInstance {
    pub index_key: Option<IndexKey>,
    pub arn: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    /// Top-level attributes kept by name.
    pub attributes: BTreeMap<String, Attribute>,
}

/// A kept attribute's value, and whether Terraform marks it (or a part of
/// it) sensitive: then it may be compared, never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct Attribute {
    pub value: serde_json::Value,
    pub sensitive: bool,
}

impl fmt::Debug for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sensitive {
            f.write_str("(sensitive)")
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl StateResource {
    /// The module names of the path, without instance keys: what `module` blocks
    /// and `modules.json` keys use.
    pub fn module_names(&self) -> Vec<&str> {
        self.module.iter().map(|m| m.name.as_str()).collect()
    }

    /// The full address of an instance, as `terraform state list` prints it,
    /// e.g. `module.a["x"].aws_lb.this[0]`.
    pub fn address(&self, instance: &StateInstance) -> String {
        let mut out = String::new();
        for step in &self.module {
            out.push_str("module.");
            out.push_str(&step.name);
            if let Some(key) = &step.key {
                out.push_str(&key.to_string());
            }
            out.push('.');
        }
        if self.mode == Mode::Data {
            out.push_str("data.");
        }
        out.push_str(&self.kind);
        out.push('.');
        out.push_str(&self.name);
        if let Some(key) = &instance.index_key {
            out.push_str(&key.to_string());
        }
        out
    }
}

#[derive(Deserialize)]
struct Header {
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawState {
    #[serde(default)]
    resources: Vec<RawResource>,
}

#[derive(Deserialize)]
struct RawResource {
    #[serde(default)]
    module: Option<String>,
    mode: Mode,
    #[serde(rename = "type")]
    kind: String,
    name: String,
    #[serde(default)]
    instances: Vec<RawInstance>,
}

#[derive(Deserialize)]
struct RawInstance {
    #[serde(default)]
    index_key: Option<serde_json::Value>,
    #[serde(default)]
    attributes: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    sensitive_attributes: Option<serde_json::Value>,
}

/// A string attribute, or nothing: one provider's odd `name` (a number, an
/// object) must not make the whole state unreadable, nor be echoed in an error.
fn string_attribute(
    attributes: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<String> {
    match attributes.get(name) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Top-level attribute names marked sensitive. Terraform writes each sensitive
/// path as a list of steps, `[{"type": "get_attr", "value": "password"}, ...]`.
fn sensitive_names(value: Option<&serde_json::Value>) -> Vec<&str> {
    let Some(serde_json::Value::Array(paths)) = value else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|path| {
            let first = match path {
                serde_json::Value::Array(steps) => steps.first()?,
                step => step,
            };
            (first.get("type")?.as_str()? == "get_attr")
                .then(|| first.get("value")?.as_str())
                .flatten()
        })
        .collect()
}

fn index_key(value: Option<serde_json::Value>) -> Result<Option<IndexKey>> {
    Ok(match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(IndexKey::Str(s)),
        Some(serde_json::Value::Number(n)) => Some(IndexKey::Int(
            n.as_i64().context("an index_key is not a whole number")?,
        )),
        Some(_) => bail!("an index_key is neither a number nor a string"),
    })
}

/// Parses a module path such as `module.a["x"].module.b[0]`.
pub fn parse_module_path(path: &str) -> Result<Vec<ModuleStep>> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest
            .strip_prefix("module.")
            .with_context(|| format!("bad module path {path:?}: expected `module.`"))?;
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if end == 0 {
            bail!("bad module path {path:?}: a module name is empty");
        }
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let mut key = None;
        if let Some(after) = rest.strip_prefix('[') {
            let mut de = serde_json::Deserializer::from_str(after).into_iter::<serde_json::Value>();
            let value = de
                .next()
                .and_then(|v| v.ok())
                .with_context(|| format!("bad module path {path:?}: bad instance key"))?;
            let used = de.byte_offset();
            key = index_key(Some(value)).with_context(|| format!("bad module path {path:?}"))?;
            rest = after[used..]
                .strip_prefix(']')
                .with_context(|| format!("bad module path {path:?}: expected `]`"))?;
        }
        steps.push(ModuleStep { name, key });
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
            if rest.is_empty() {
                bail!("bad module path {path:?}: ends with `.`");
            }
        } else if !rest.is_empty() {
            bail!("bad module path {path:?}: unexpected {rest:?}");
        }
    }
    Ok(steps)
}

/// Parses a state from bytes; `origin` names the source in errors (a path, or
/// `s3://bucket/key` for a state read through the S3 API).
pub fn parse_state(bytes: &[u8], origin: &str) -> Result<State> {
    parse_state_keeping(bytes, origin, &|_, _| false)
}

/// Like [`parse_state`], also keeping each instance's top-level attributes for
/// which `keep(resource type, attribute name)` is true.
pub fn parse_state_keeping(
    bytes: &[u8],
    origin: &str,
    keep: &dyn Fn(&str, &str) -> bool,
) -> Result<State> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("{origin}: the file is empty, not a Terraform state");
    }
    let header: Header = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("{origin}: not a Terraform state (invalid JSON: {e})"))?;
    match header.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(STATE_VERSION) => {}
        Some(other) => bail!(
            "{origin}: Terraform state version {other} is not supported \
             (archaudit reads version {STATE_VERSION}, written by Terraform 0.12 and later)"
        ),
        None => bail!("{origin}: no `version`: this is not a Terraform state"),
    }
    let raw: RawState = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("{origin}: invalid Terraform state: {e}"))?;
    let mut resources = Vec::with_capacity(raw.resources.len());
    for r in raw.resources {
        let module = match r.module.as_deref() {
            None | Some("") => Vec::new(),
            Some(path) => parse_module_path(path).with_context(|| origin.to_string())?,
        };
        let mut instances = Vec::with_capacity(r.instances.len());
        for i in r.instances {
            let index_key = index_key(i.index_key)
                .with_context(|| format!("{origin}: resource {}.{}", r.kind, r.name))?;
            let sensitive = sensitive_names(i.sensitive_attributes.as_ref());
            let attributes = i.attributes.unwrap_or_default();
            let identity = |name: &str| {
                string_attribute(&attributes, name).filter(|_| !sensitive.contains(&name))
            };
            let (arn, id, name) = (identity("arn"), identity("id"), identity("name"));
            let kept = attributes
                .into_iter()
                .filter(|(name, _)| keep(&r.kind, name))
                .map(|(name, value)| {
                    let sensitive = sensitive.contains(&name.as_str());
                    (name, Attribute { value, sensitive })
                })
                .collect();
            instances.push(StateInstance {
                index_key,
                arn,
                id,
                name,
                attributes: kept,
            });
        }
        resources.push(StateResource {
            module,
            mode: r.mode,
            kind: r.kind,
            name: r.name,
            instances,
        });
    }
    Ok(State {
        origin: origin.to_string(),
        resources,
    })
}

/// Reads a local state file, within the default input size limit.
pub fn load_state(path: &Path) -> Result<State> {
    let bytes = crate::limits::read_data_file(
        path,
        "Terraform state",
        crate::limits::DEFAULT_MAX_INPUT_BYTES,
        crate::limits::RAISE_HINT,
    )?;
    parse_state(&bytes, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_module_paths_with_keys() {
        let steps = parse_module_path(r#"module.a["x.y]"].module.b[2].module.c"#).unwrap();
        assert_eq!(
            steps,
            vec![
                ModuleStep {
                    name: "a".into(),
                    key: Some(IndexKey::Str("x.y]".into()))
                },
                ModuleStep {
                    name: "b".into(),
                    key: Some(IndexKey::Int(2))
                },
                ModuleStep {
                    name: "c".into(),
                    key: None
                },
            ]
        );
        for bad in [
            "a",
            "module.",
            "module.a[",
            "module.a[x]",
            "module.a.",
            "module.a]",
        ] {
            assert!(parse_module_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keeps_only_identifying_attributes_and_drops_sensitive_ones() {
        let state = r#"{"version": 4, "resources": [
          {"module": "module.db", "mode": "managed", "type": "aws_db_instance", "name": "main",
           "instances": [{"attributes": {"arn": "arn:aws:rds:eu-central-1:1:db:main",
              "id": "db-ABC", "name": {"odd": true}, "password": "hunter2"},
              "sensitive_attributes": [[{"type": "get_attr", "value": "password"}],
                                       [{"type": "get_attr", "value": "id"}]]}]},
          {"mode": "data", "type": "aws_caller_identity", "name": "me",
           "instances": [{"attributes": {"id": "1"}}]}
        ]}"#;
        let state = parse_state(state.as_bytes(), "s.tfstate").unwrap();
        let db = &state.resources[0];
        assert_eq!(db.module_names(), vec!["db"]);
        assert_eq!(
            db.instances[0],
            StateInstance {
                index_key: None,
                arn: Some("arn:aws:rds:eu-central-1:1:db:main".into()),
                id: None,
                name: None,
                attributes: BTreeMap::new(),
            }
        );
        assert_eq!(
            db.address(&db.instances[0]),
            "module.db.aws_db_instance.main"
        );
        let data = &state.resources[1];
        assert_eq!(data.mode, Mode::Data);
        assert_eq!(
            data.address(&data.instances[0]),
            "data.aws_caller_identity.me"
        );
        assert!(!format!("{state:?}").contains("hunter2"));
    }

    #[test]
    fn errors_name_the_origin() {
        let cases: [(&str, &str); 5] = [
            ("", "empty"),
            ("{\"version\": 4, \"resources\": [", "invalid JSON"),
            ("{\"version\": 3, \"modules\": []}", "version 3 is not supported"),
            ("{\"serial\": 1}", "no `version`"),
            (
                "{\"version\": 4, \"resources\": [{\"module\": \"mod.x\", \"mode\": \"managed\", \"type\": \"t\", \"name\": \"n\"}]}",
                "bad module path",
            ),
        ];
        for (text, expected) in cases {
            let err = format!(
                "{:#}",
                parse_state(text.as_bytes(), "x/y.tfstate").unwrap_err()
            );
            assert!(err.starts_with("x/y.tfstate: "), "{err}");
            assert!(
                err.contains(expected),
                "{err:?} should contain {expected:?}"
            );
        }
    }
}
