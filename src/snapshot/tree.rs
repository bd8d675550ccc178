//! Snapshot types serialized straight into a tree of values, without the
//! `serde_json::Value` in between that `serde_json::to_value` builds (an
//! ordered map per object, its keys hashed, every key and scalar allocated).
//!
//! One serde `Serializer`, generic over what it builds ([`Build`]): the
//! rules' input (`regorus::Value`, in `engine::input`), and the [`Node`]
//! tree that validation walks. Either is the value `serde_json::to_value`
//! gives, in its own form (tests hold them equal over the example
//! snapshots): `None` and unit are `null`, a unit variant its name, a
//! newtype variant `{name: value}`, a non-finite float `null`, map keys
//! strings (integers written in decimal).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::ser::{self, Serialize};

/// What the serializer builds, from the JSON data model.
pub(crate) trait Build: Sized {
    /// An object's key.
    type Key;
    fn null() -> Self;
    fn boolean(v: bool) -> Self;
    fn unsigned(v: u64) -> Self;
    /// A negative integer (serde_json keeps a non-negative one unsigned,
    /// whatever its type).
    fn negative(v: i64) -> Self;
    /// A finite float.
    fn float(v: f64) -> Self;
    fn string(v: &str) -> Self;
    fn array(items: Vec<Self>) -> Self;
    /// An object of these entries, in the order given.
    fn object(entries: Vec<(Self::Key, Self)>) -> Self;
    /// A struct field's or variant's name as a key.
    fn field(name: &'static str) -> Self::Key;
    /// A map's key.
    fn key(name: &str) -> Self::Key;
}

/// `value` as a `B`.
pub(crate) fn build<B: Build, T: Serialize + ?Sized>(value: &T) -> Result<B, BuildError> {
    value.serialize(TreeSerializer::<B>(PhantomData))
}

/// Why a value could not be built (a map key that is not a string or an
/// integer, or a `Serialize` implementation's own error).
#[derive(Debug)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

impl ser::Error for BuildError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        BuildError(msg.to_string())
    }
}

/// A light tree of a value, for validation: objects keep their fields in
/// order, strings are kept, and every other scalar is only [`Node::Other`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Str(String),
    Obj(Vec<(Cow<'static, str>, Node)>),
    Arr(Vec<Node>),
    /// A number, boolean or null.
    Other,
}

impl Node {
    /// The string under `key` of an object.
    pub(crate) fn str_at<'a>(
        entries: &'a [(Cow<'static, str>, Node)],
        key: &str,
    ) -> Option<&'a str> {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| match v {
                Node::Str(s) => Some(s.as_str()),
                _ => None,
            })
    }
}

impl Build for Node {
    type Key = Cow<'static, str>;
    fn null() -> Self {
        Node::Other
    }
    fn boolean(_: bool) -> Self {
        Node::Other
    }
    fn unsigned(_: u64) -> Self {
        Node::Other
    }
    fn negative(_: i64) -> Self {
        Node::Other
    }
    fn float(_: f64) -> Self {
        Node::Other
    }
    fn string(v: &str) -> Self {
        Node::Str(v.to_string())
    }
    fn array(items: Vec<Self>) -> Self {
        Node::Arr(items)
    }
    fn object(entries: Vec<(Self::Key, Self)>) -> Self {
        Node::Obj(entries)
    }
    fn field(name: &'static str) -> Self::Key {
        Cow::Borrowed(name)
    }
    fn key(name: &str) -> Self::Key {
        Cow::Owned(name.to_string())
    }
}

fn signed<B: Build>(n: i64) -> B {
    match u64::try_from(n) {
        Ok(n) => B::unsigned(n),
        Err(_) => B::negative(n),
    }
}

struct TreeSerializer<B>(PhantomData<B>);

/// What both serializers do alike: a unit variant is its name, a newtype
/// struct its content.
macro_rules! as_json_has_them {
    ($ok:ty) => {
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<$ok, BuildError> {
            Ok(self.name(variant))
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<$ok, BuildError> {
            value.serialize(self)
        }
    };
}

impl<B: Build> TreeSerializer<B> {
    fn name(&self, variant: &'static str) -> B {
        B::string(variant)
    }
}

impl<B: Build> ser::Serializer for TreeSerializer<B> {
    type Ok = B;
    type Error = BuildError;
    type SerializeSeq = Seq<B>;
    type SerializeTuple = Seq<B>;
    type SerializeTupleStruct = Seq<B>;
    type SerializeTupleVariant = Variant<Seq<B>>;
    type SerializeMap = Map<B>;
    type SerializeStruct = Map<B>;
    type SerializeStructVariant = Variant<Map<B>>;

    fn serialize_bool(self, v: bool) -> Result<B, BuildError> {
        Ok(B::boolean(v))
    }
    fn serialize_i8(self, v: i8) -> Result<B, BuildError> {
        Ok(signed(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<B, BuildError> {
        Ok(signed(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<B, BuildError> {
        Ok(signed(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<B, BuildError> {
        Ok(signed(v))
    }
    fn serialize_i128(self, v: i128) -> Result<B, BuildError> {
        i64::try_from(v)
            .map(signed)
            .or_else(|_| u64::try_from(v).map(B::unsigned))
            .map_err(|_| BuildError(format!("number {v} out of range")))
    }
    fn serialize_u8(self, v: u8) -> Result<B, BuildError> {
        Ok(B::unsigned(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<B, BuildError> {
        Ok(B::unsigned(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<B, BuildError> {
        Ok(B::unsigned(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<B, BuildError> {
        Ok(B::unsigned(v))
    }
    fn serialize_u128(self, v: u128) -> Result<B, BuildError> {
        u64::try_from(v)
            .map(B::unsigned)
            .map_err(|_| BuildError(format!("number {v} out of range")))
    }
    fn serialize_f32(self, v: f32) -> Result<B, BuildError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<B, BuildError> {
        Ok(if v.is_finite() {
            B::float(v)
        } else {
            B::null()
        })
    }
    fn serialize_char(self, v: char) -> Result<B, BuildError> {
        Ok(B::string(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<B, BuildError> {
        Ok(B::string(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<B, BuildError> {
        Ok(B::array(
            v.iter().map(|b| B::unsigned(u64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> Result<B, BuildError> {
        Ok(B::null())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<B, BuildError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<B, BuildError> {
        Ok(B::null())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<B, BuildError> {
        Ok(B::null())
    }
    as_json_has_them!(B);
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<B, BuildError> {
        Ok(B::object(vec![(B::field(variant), value.serialize(self)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<B>, BuildError> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<B>, BuildError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<B>, BuildError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<B>>, BuildError> {
        Ok(Variant(variant, self.serialize_seq(Some(len))?))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map<B>, BuildError> {
        Ok(Map {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<B>, BuildError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map<B>>, BuildError> {
        Ok(Variant(variant, self.serialize_map(Some(len))?))
    }
}

struct Seq<B>(Vec<B>);

impl<B: Build> Seq<B> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
        self.0.push(build(value)?);
        Ok(())
    }
}

/// The three sequence traits, alike but for the name of their one method.
macro_rules! sequence {
    ($($trait:ident :: $method:ident),+) => {$(
        impl<B: Build> ser::$trait for Seq<B> {
            type Ok = B;
            type Error = BuildError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
                self.push(value)
            }
            fn end(self) -> Result<B, BuildError> {
                Ok(B::array(self.0))
            }
        }
    )+};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

struct Map<B: Build> {
    entries: Vec<(B::Key, B)>,
    key: Option<B::Key>,
}

impl<B: Build> ser::SerializeMap for Map<B> {
    type Ok = B;
    type Error = BuildError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), BuildError> {
        self.key = Some(key.serialize(KeySerializer::<B>(PhantomData))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| BuildError("a map value without its key".into()))?;
        self.entries.push((key, build(value)?));
        Ok(())
    }
    fn end(self) -> Result<B, BuildError> {
        Ok(B::object(self.entries))
    }
}

impl<B: Build> ser::SerializeStruct for Map<B> {
    type Ok = B;
    type Error = BuildError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        self.entries.push((B::field(key), build(value)?));
        Ok(())
    }
    fn end(self) -> Result<B, BuildError> {
        Ok(B::object(self.entries))
    }
}

/// A tuple or struct variant: `{variant: [...]}` or `{variant: {...}}`.
struct Variant<T>(&'static str, T);

impl<B: Build> ser::SerializeTupleVariant for Variant<Seq<B>> {
    type Ok = B;
    type Error = BuildError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), BuildError> {
        self.1.push(value)
    }
    fn end(self) -> Result<B, BuildError> {
        Ok(B::object(vec![(B::field(self.0), B::array(self.1 .0))]))
    }
}

impl<B: Build> ser::SerializeStructVariant for Variant<Map<B>> {
    type Ok = B;
    type Error = BuildError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), BuildError> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Result<B, BuildError> {
        Ok(B::object(vec![(
            B::field(self.0),
            B::object(self.1.entries),
        )]))
    }
}

/// Map keys: strings, as in JSON; integers and chars are written as strings.
struct KeySerializer<B>(PhantomData<B>);

impl<B: Build> KeySerializer<B> {
    fn name(&self, variant: &'static str) -> B::Key {
        B::field(variant)
    }
}

/// Key methods that write their value as a string.
macro_rules! written_as_strings {
    ($($method:ident($type:ty)),+) => {$(
        fn $method(self, v: $type) -> Result<B::Key, BuildError> {
            Ok(B::key(&v.to_string()))
        }
    )+};
}

fn key_error() -> BuildError {
    BuildError("a map key must be a string".into())
}

impl<B: Build> ser::Serializer for KeySerializer<B> {
    type Ok = B::Key;
    type Error = BuildError;
    type SerializeSeq = ser::Impossible<B::Key, BuildError>;
    type SerializeTuple = ser::Impossible<B::Key, BuildError>;
    type SerializeTupleStruct = ser::Impossible<B::Key, BuildError>;
    type SerializeTupleVariant = ser::Impossible<B::Key, BuildError>;
    type SerializeMap = ser::Impossible<B::Key, BuildError>;
    type SerializeStruct = ser::Impossible<B::Key, BuildError>;
    type SerializeStructVariant = ser::Impossible<B::Key, BuildError>;

    fn serialize_str(self, v: &str) -> Result<B::Key, BuildError> {
        Ok(B::key(v))
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
    as_json_has_them!(B::Key);
    fn serialize_bool(self, _: bool) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_f32(self, _: f32) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<B::Key, BuildError> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, BuildError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, BuildError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, BuildError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, BuildError> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, BuildError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, BuildError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, BuildError> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::parse_snapshot;
    use serde_json::Value;
    use std::path::Path;

    /// The [`Node`] of what `serde_json::to_value` gives.
    fn node_of(json: &Value) -> Node {
        match json {
            Value::String(s) => Node::Str(s.clone()),
            Value::Array(items) => Node::Arr(items.iter().map(node_of).collect()),
            Value::Object(object) => Node::Obj(
                object
                    .iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), node_of(v)))
                    .collect(),
            ),
            _ => Node::Other,
        }
    }

    /// Every account of the example snapshots and of the hostile fixture:
    /// the tree of its JSON, fields in the same order.
    #[test]
    fn nodes_are_the_json_of_every_example_account() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut accounts = 0;
        for file in [
            "snapshots/reference-drifted.json",
            "snapshots/reference-compliant.json",
            "snapshots/reference-drifted-next-day.json",
            "hostile/names.json",
        ] {
            let path = root.join(file);
            let bytes = std::fs::read(&path).unwrap();
            let snapshot = parse_snapshot(&bytes, file).unwrap();
            for account in &snapshot.accounts {
                let json = serde_json::to_value(account).unwrap();
                assert_eq!(build::<Node, _>(account).unwrap(), node_of(&json), "{file}");
                accounts += 1;
            }
        }
        assert!(accounts >= 7, "{accounts} accounts compared");
    }
}
