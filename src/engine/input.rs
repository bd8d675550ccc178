//! Serializes snapshot types straight into a [`regorus::Value`], the rules'
//! input, without the `serde_json::Value` in between that
//! `regorus::Value::from(serde_json::to_value(x))` builds and walks again.
//!
//! The value is the one that round trip gives (a test holds them equal over
//! the example snapshots): `None` and unit are `null`, a unit variant its
//! name, a newtype variant `{name: value}`, a non-finite float `null` (as
//! `serde_json::to_value` has it), map keys strings (integers written in
//! decimal), and a key given twice keeps its last value.

use std::collections::BTreeMap;
use std::fmt;

use regorus::Value;
use serde::ser::{self, Serialize};

/// `value` as rule input.
pub fn to_input<T: Serialize + ?Sized>(value: &T) -> Result<Value, InputError> {
    value.serialize(ValueSerializer)
}

/// Why a value could not be made rule input (a map key that is not a string
/// or an integer, or a `Serialize` implementation's own error).
#[derive(Debug)]
pub struct InputError(String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

impl ser::Error for InputError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        InputError(msg.to_string())
    }
}

fn object(entries: Vec<(Value, Value)>) -> Value {
    // `BTreeMap::from_iter` sorts once and keeps the last of equal keys.
    Value::from(entries.into_iter().collect::<BTreeMap<_, _>>())
}

fn number_i64(n: i64) -> Value {
    // serde_json keeps a non-negative integer as unsigned, whatever its type.
    match u64::try_from(n) {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(n),
    }
}

struct ValueSerializer;

/// What both serializers do alike: a unit variant is its name, a newtype
/// struct its content.
macro_rules! as_json_has_them {
    () => {
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<Value, InputError> {
            Ok(Value::from(variant))
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Value, InputError> {
            value.serialize(self)
        }
    };
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = InputError;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Variant<Seq>;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Variant<Map>;

    fn serialize_bool(self, v: bool) -> Result<Value, InputError> {
        Ok(Value::from(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, InputError> {
        Ok(number_i64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, InputError> {
        Ok(number_i64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, InputError> {
        Ok(number_i64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, InputError> {
        Ok(number_i64(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, InputError> {
        i64::try_from(v)
            .map(number_i64)
            .or_else(|_| u64::try_from(v).map(Value::from))
            .map_err(|_| InputError(format!("number {v} out of range")))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, InputError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, InputError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, InputError> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, InputError> {
        Ok(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, InputError> {
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| InputError(format!("number {v} out of range")))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, InputError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Value, InputError> {
        Ok(if v.is_finite() {
            Value::from(v)
        } else {
            Value::Null
        })
    }
    fn serialize_char(self, v: char) -> Result<Value, InputError> {
        Ok(Value::from(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, InputError> {
        Ok(Value::from(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, InputError> {
        Ok(Value::from(
            v.iter()
                .map(|b| Value::from(u64::from(*b)))
                .collect::<Vec<_>>(),
        ))
    }
    fn serialize_none(self) -> Result<Value, InputError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, InputError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, InputError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, InputError> {
        Ok(Value::Null)
    }
    as_json_has_them!();
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, InputError> {
        Ok(object(vec![(Value::from(variant), value.serialize(self)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, InputError> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, InputError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, InputError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq>, InputError> {
        Ok(Variant(variant, self.serialize_seq(Some(len))?))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map, InputError> {
        Ok(Map {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map, InputError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map>, InputError> {
        Ok(Variant(variant, self.serialize_map(Some(len))?))
    }
}

struct Seq(Vec<Value>);

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), InputError> {
        self.0.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
}

/// The three sequence traits, alike but for the name of their one method.
macro_rules! sequence {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Seq {
            type Ok = Value;
            type Error = InputError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), InputError> {
                self.push(value)
            }
            fn end(self) -> Result<Value, InputError> {
                Ok(Value::from(self.0))
            }
        }
    )+};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

struct Map {
    entries: Vec<(Value, Value)>,
    key: Option<Value>,
}

impl ser::SerializeMap for Map {
    type Ok = Value;
    type Error = InputError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), InputError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), InputError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| InputError("a map value without its key".into()))?;
        self.entries.push((key, value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, InputError> {
        Ok(object(self.entries))
    }
}

impl ser::SerializeStruct for Map {
    type Ok = Value;
    type Error = InputError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), InputError> {
        self.entries
            .push((Value::from(key), value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, InputError> {
        Ok(object(self.entries))
    }
}

/// A tuple or struct variant: `{variant: [...]}` or `{variant: {...}}`.
struct Variant<T>(&'static str, T);

impl ser::SerializeTupleVariant for Variant<Seq> {
    type Ok = Value;
    type Error = InputError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), InputError> {
        self.1.push(value)
    }
    fn end(self) -> Result<Value, InputError> {
        Ok(object(vec![(Value::from(self.0), Value::from(self.1 .0))]))
    }
}

impl ser::SerializeStructVariant for Variant<Map> {
    type Ok = Value;
    type Error = InputError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), InputError> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Result<Value, InputError> {
        Ok(object(vec![(Value::from(self.0), object(self.1.entries))]))
    }
}

/// Map keys: strings, as in JSON; integers and chars are written as strings.
struct KeySerializer;

/// Key methods that write their value as a string.
macro_rules! written_as_strings {
    ($($method:ident($type:ty)),+) => {$(
        fn $method(self, v: $type) -> Result<Value, InputError> {
            Ok(Value::from(v.to_string()))
        }
    )+};
}

fn key_error() -> InputError {
    InputError("a map key must be a string".into())
}

impl ser::Serializer for KeySerializer {
    type Ok = Value;
    type Error = InputError;
    type SerializeSeq = ser::Impossible<Value, InputError>;
    type SerializeTuple = ser::Impossible<Value, InputError>;
    type SerializeTupleStruct = ser::Impossible<Value, InputError>;
    type SerializeTupleVariant = ser::Impossible<Value, InputError>;
    type SerializeMap = ser::Impossible<Value, InputError>;
    type SerializeStruct = ser::Impossible<Value, InputError>;
    type SerializeStructVariant = ser::Impossible<Value, InputError>;

    fn serialize_str(self, v: &str) -> Result<Value, InputError> {
        Ok(Value::from(v))
    }
    written_as_strings!(
        serialize_char(char),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );
    as_json_has_them!();
    fn serialize_bool(self, _: bool) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_f32(self, _: f32) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Value, InputError> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, InputError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, InputError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, InputError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, InputError> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, InputError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, InputError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, InputError> {
        Err(key_error())
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
