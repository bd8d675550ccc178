//! The rules' input: snapshot types serialized straight into a
//! [`regorus::Value`] ([`crate::snapshot::tree`]), without the
//! `serde_json::Value` in between that
//! `regorus::Value::from(serde_json::to_value(x))` builds and walks again.
//!
//! The value is the one that round trip gives (a test holds them equal over
//! every fixture): objects are sorted by key, and a key given twice keeps
//! its last value.

use std::collections::BTreeMap;

use crate::snapshot::tree::{build, Build, BuildError};
use regorus::Value;
use serde::Serialize;

/// `value` as rule input.
pub fn to_input<T: Serialize + ?Sized>(value: &T) -> Result<Value, BuildError> {
    build(value)
}

impl Build for Value {
    type Key = Value;
    fn null() -> Self {
        Value::Null
    }
    fn boolean(v: bool) -> Self {
        Value::from(v)
    }
    fn unsigned(v: u64) -> Self {
        Value::from(v)
    }
    fn negative(v: i64) -> Self {
        Value::from(v)
    }
    fn float(v: f64) -> Self {
        Value::from(v)
    }
    fn string(v: &str) -> Self {
        Value::from(v)
    }
    fn array(items: Vec<Self>) -> Self {
        Value::from(items)
    }
    fn object(entries: Vec<(Value, Value)>) -> Self {
        // `BTreeMap::from_iter` sorts once and keeps the last of equal keys.
        Value::from(entries.into_iter().collect::<BTreeMap<_, _>>())
    }
    fn field(name: &'static str) -> Value {
        Value::from(name)
    }
    fn key(name: &str) -> Value {
        Value::from(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::parse_snapshot;
    use serde::Serialize;
    use std::path::Path;

    /// The value `regorus::Value::from(serde_json::to_value(x))` gives.
    fn through_json<T: Serialize>(value: &T) -> Value {
        Value::from(serde_json::to_value(value).unwrap())
    }

    fn snapshots(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                snapshots(&path, found);
            } else if path.extension().is_some_and(|e| e == "json")
                && !path.to_string_lossy().contains("expected")
            {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_fixture_account_is_the_value_the_json_round_trip_gives() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files = Vec::new();
        snapshots(&root.join("snapshots"), &mut files);
        snapshots(&root.join("rules"), &mut files);
        snapshots(&root.join("hostile"), &mut files);
        assert!(files.len() > 200, "{} snapshot files", files.len());
        let mut accounts = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            // A rule fixture holds its snapshot and Terraform input beside its expectations.
            let (snapshot, terraform) = match json.get("snapshot") {
                Some(snapshot) => (snapshot.clone(), json.get("terraform")),
                None => (json.clone(), None),
            };
            if let Some(terraform) = terraform {
                assert_eq!(to_input(terraform).unwrap(), through_json(terraform));
            }
            let origin = file.display().to_string();
            let Ok(snapshot) = parse_snapshot(snapshot.to_string().as_bytes(), &origin) else {
                continue;
            };
            for account in &snapshot.accounts {
                let direct = to_input(account).unwrap();
                assert!(direct.as_object().unwrap().len() > 3, "{origin}");
                assert_eq!(direct, through_json(account), "{origin}");
                accounts += 1;
            }
        }
        assert!(accounts > 200, "{accounts} accounts compared");
    }

    #[test]
    fn scalars_variants_and_keys_are_those_of_json() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(i32, String),
            Struct { a: Option<bool> },
        }
        #[derive(Serialize)]
        struct S {
            negative: i64,
            positive: i64,
            big: u64,
            half: f64,
            nan: f64,
            none: Option<String>,
            unit: (),
            bytes: Vec<u8>,
            keys: BTreeMap<u32, char>,
            variants: Vec<E>,
        }
        let s = S {
            negative: -3,
            positive: 7,
            big: u64::MAX,
            half: 0.5,
            nan: f64::NAN,
            none: None,
            unit: (),
            bytes: vec![1, 255],
            keys: BTreeMap::from([(10, 'x'), (2, 'y')]),
            variants: vec![
                E::Unit,
                E::New(4),
                E::Tuple(-1, "t".into()),
                E::Struct { a: Some(true) },
            ],
        };
        let direct = to_input(&s).unwrap();
        assert_eq!(direct, through_json(&s));
        assert_eq!(direct["nan"], Value::Null);
        assert_eq!(direct["keys"]["10"], Value::from("x"));
        assert_eq!(direct["variants"][1]["New"], Value::from(4u64));
        // A key JSON cannot have is an error, not a silently dropped entry.
        let bad = BTreeMap::from([(vec![1u8], 1u8)]);
        assert!(to_input(&bad)
            .unwrap_err()
            .to_string()
            .contains("map key must be a string"));
    }
}
