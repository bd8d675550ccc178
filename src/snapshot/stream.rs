//! Snapshots read one account at a time, so that evaluating an organization
//! needs memory for the accounts in flight, not for all of them.
//!
//! Each input is read twice. The first pass reads its outline: everything
//! but the accounts' sections (version, date, organization, shard record, and
//! each account's identity, regions and coverage). A file small enough to be
//! read into memory for it is parsed from there both times. Outlines are checked like
//! whole snapshots ([`check_structure`]) and merged like them
//! ([`merge_snapshots`]). The second pass yields the accounts one by one, each
//! checked and normalised as a whole read would ([`validate_account`]), on a
//! reading thread ahead of the evaluation.
//!
//! Any error in either pass is reported by reading the inputs whole, as
//! [`load_whole`] does: the messages, and which of two problems is reported,
//! are those of a whole read, whatever the pass that met it first. A file
//! that changes between the passes is an error naming it.

use super::io::{decode_snapshot, merge_snapshots};
use super::validate::{check_structure, validate_account};
use super::{
    Account, AccountSnapshot, CoverageEntry, Organization, ShardRecord, Snapshot, SCHEMA_VERSION,
};
use crate::limits::{read_data_file, RAISE_HINT, ZSTD_MAGIC};
use anyhow::{anyhow, bail, Result};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::{mpsc, Mutex};

/// Accounts read ahead of the evaluation: bounds the memory of a stream to
/// this many accounts besides those being evaluated.
const READ_AHEAD: usize = 2;

/// The largest file read into memory (see [`SnapshotSource::in_memory`]): its
/// bytes are held from the first pass to the end of the second, and a larger
/// organization is streamed, so that peak memory does not grow with the
/// organization.
const IN_MEMORY: u64 = 128 << 20;

/// Where a snapshot input's bytes are.
pub enum SnapshotSource {
    /// A regular local file, read when needed (twice when streamed, never
    /// held whole then).
    File(PathBuf),
    /// Bytes already read: an S3 object, or a pipe that cannot be read twice.
    Fetched(Vec<u8>),
}

impl SnapshotSource {
    /// The input's bytes as stored (maybe zstd-compressed), at most `max`.
    fn bytes(&self, max: u64) -> Result<Cow<'_, [u8]>> {
        match self {
            SnapshotSource::File(path) => Ok(Cow::Owned(read_data_file(
                path, "snapshot", max, RAISE_HINT,
            )?)),
            SnapshotSource::Fetched(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    /// The input's JSON as one slice, for passes that are over quicker from
    /// memory (serde_json skips a string from a slice with a search, and reads
    /// any byte of a stream through a call: the first pass over 100 realistic
    /// accounts takes half the time): bytes already fetched, or a file of at
    /// most [`IN_MEMORY`] bytes. `None` for zstd and larger files, which are
    /// streamed.
    fn in_memory(&self, max: u64) -> Result<Option<Cow<'_, [u8]>>> {
        let small_json = match self {
            SnapshotSource::File(path) => {
                // Its first bytes say whether it is zstd, before it is read whole.
                let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
                let file = std::fs::File::open(path)?;
                let small = file.metadata()?.len() <= IN_MEMORY.min(max);
                file.take(ZSTD_MAGIC.len() as u64).read_to_end(&mut head)?;
                small && !head.starts_with(&ZSTD_MAGIC)
            }
            SnapshotSource::Fetched(bytes) => !bytes.starts_with(&ZSTD_MAGIC),
        };
        Ok(if small_json {
            Some(self.bytes(max)?)
        } else {
            None
        })
    }

    /// The input as stored, buffered.
    fn open(&self, max: u64) -> Result<Box<dyn BufRead + '_>> {
        Ok(match self {
            SnapshotSource::File(path) => {
                let file = std::fs::File::open(path)?;
                if file.metadata()?.len() > max {
                    bail!("over the size limit");
                }
                Box::new(BufReader::with_capacity(1 << 20, file))
            }
            SnapshotSource::Fetched(bytes) => Box::new(&bytes[..]),
        })
    }

    /// The input's JSON as a stream: decompressed when it is zstd, and failing
    /// past `max` bytes (the whole read then reports the limit). With
    /// `measure`, a zstd stream's size is counted first, through a small
    /// buffer, so that a bomb is refused before anything parses it.
    ///
    /// The reader is a concrete `BufReader`, whatever is under it: serde_json
    /// reads a stream one byte at a time, and std reads a byte from a
    /// `BufReader` inline, where a `dyn Read` costs a call per byte (`check` of
    /// 100 realistic accounts took 8% more CPU, A/B median).
    fn reader(&self, max: u64, measure: bool) -> Result<BufReader<Box<dyn Read + '_>>> {
        let mut buffered = self.open(max)?;
        if !buffered.fill_buf()?.starts_with(&ZSTD_MAGIC) {
            return Ok(BufReader::new(Box::new(buffered)));
        }
        if measure {
            let decoder = zstd::stream::read::Decoder::with_buffer(buffered)?;
            let size = std::io::copy(
                &mut decoder.take(max.saturating_add(1)),
                &mut std::io::sink(),
            )?;
            if size > max {
                bail!("over the size limit");
            }
            buffered = self.open(max)?;
        }
        let decoder = zstd::stream::read::Decoder::with_buffer(buffered)?;
        Ok(BufReader::new(Box::new(Limited {
            inner: decoder,
            left: max,
        })))
    }
}

/// A reader that fails once it has given `left` bytes and there are more: a
/// stream that decompresses past the limit stops there (and the whole read
/// then names the limit), without reading on to its end.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf.len().min(
            usize::try_from(self.left)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        );
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(std::io::Error::other("over the size limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The inputs read whole and merged: what `check` did before streaming, and
/// what reports every error of a stream.
pub fn load_whole(inputs: &[(String, SnapshotSource)], max: u64) -> Result<Snapshot> {
    let parts = inputs
        .iter()
        .map(|(origin, source)| {
            let bytes = source.bytes(max)?;
            Ok((origin.clone(), decode_snapshot(&bytes, origin, max)?))
        })
        .collect::<Result<Vec<_>>>()?;
    merge_snapshots(parts)
}

/// Snapshot inputs opened for reading one account at a time.
pub struct SnapshotStream {
    inputs: Vec<(String, SnapshotSource)>,
    /// The ids of each input's accounts, in the order of its file.
    ids: Vec<Vec<String>>,
    /// Each input's JSON when the first pass read its file into memory: the
    /// second pass parses it from there, and drops it.
    held: Vec<Mutex<Option<Vec<u8>>>>,
    /// The inputs' outlines merged: accounts without their sections, sorted
    /// by id, with the accounts of a missing shard as unread accounts.
    outline: Snapshot,
    max: u64,
}

impl SnapshotStream {
    /// Reads and checks the outline of every input (at most `max` bytes of
    /// JSON each), and merges them.
    pub fn open(inputs: Vec<(String, SnapshotSource)>, max: u64) -> Result<SnapshotStream> {
        let mut outlines = Vec::with_capacity(inputs.len());
        let mut ids = Vec::with_capacity(inputs.len());
        let mut held = Vec::with_capacity(inputs.len());
        for (origin, source) in &inputs {
            match read_outline(origin, source, max) {
                Ok((outline, bytes)) => {
                    held.push(Mutex::new(bytes));
                    ids.push(
                        outline
                            .accounts
                            .iter()
                            .map(|a| a.account.id.clone())
                            .collect(),
                    );
                    outlines.push((origin.clone(), outline));
                }
                Err(e) => return Err(whole_error(&inputs, max, e)),
            }
        }
        let outline = merge_snapshots(outlines).map_err(|e| whole_error(&inputs, max, e))?;
        Ok(SnapshotStream {
            inputs,
            ids,
            held,
            outline,
            max,
        })
    }

    /// The merged outline: organization, date, and every account without its
    /// sections.
    pub fn outline(&self) -> &Snapshot {
        &self.outline
    }

    /// Runs `consume` over every account of the inputs (those of a missing
    /// shard last, unread), read on another thread at most [`READ_AHEAD`]
    /// accounts ahead. An error is the last item; when `consume` returns
    /// early, the reading stops.
    pub fn with_accounts<T>(&self, consume: impl FnOnce(Accounts) -> T) -> T {
        let (sender, receiver) = mpsc::sync_channel(READ_AHEAD);
        std::thread::scope(|scope| {
            scope.spawn(move || self.send_accounts(&sender));
            consume(receiver.into_iter())
        })
    }

    fn send_accounts(&self, sender: &mpsc::SyncSender<Result<AccountSnapshot>>) {
        for (((origin, source), ids), held) in self.inputs.iter().zip(&self.ids).zip(&self.held) {
            let mut send = |account| sender.send(Ok(account)).is_ok();
            let held = held.lock().map(|mut h| h.take()).unwrap_or(None);
            match stream_accounts(origin, source, held.as_deref(), ids, self.max, &mut send) {
                Ok(true) => {}
                // Nobody reads any more.
                Ok(false) => return,
                Err(e) => {
                    let _ = sender.send(Err(whole_error(&self.inputs, self.max, e)));
                    return;
                }
            }
        }
        let streamed: BTreeSet<&String> = self.ids.iter().flatten().collect();
        for account in &self.outline.accounts {
            if !streamed.contains(&account.account.id) && sender.send(Ok(account.clone())).is_err()
            {
                return;
            }
        }
    }
}

/// The accounts of a [`SnapshotStream`], as [`SnapshotStream::with_accounts`]
/// hands them out.
pub type Accounts = mpsc::IntoIter<Result<AccountSnapshot>>;

/// The error of reading `inputs` whole, which names the file and place of the
/// first problem; `found` (named by the inputs) when that read succeeds, as
/// when a file changed between the passes.
fn whole_error(
    inputs: &[(String, SnapshotSource)],
    max: u64,
    found: anyhow::Error,
) -> anyhow::Error {
    match load_whole(inputs, max) {
        Err(e) => e,
        Ok(_) => {
            let origins: Vec<&str> = inputs.iter().map(|(o, _)| o.as_str()).collect();
            found.context(format!(
                "{}: the snapshot changed while it was read",
                origins.join(", ")
            ))
        }
    }
}

/// A snapshot without the accounts' sections.
#[derive(Deserialize)]
struct Outline {
    schema_version: String,
    generated_at: String,
    organization: Option<Organization>,
    shard: Option<ShardRecord>,
    accounts: Vec<AccountOutline>,
}

/// An account without its sections (they are skipped unread).
#[derive(Deserialize, Default)]
#[serde(default)]
struct AccountOutline {
    account: Account,
    regions: Vec<String>,
    coverage: Vec<CoverageEntry>,
}

/// The first pass over one input: its outline, checked, and the file's
/// bytes when they were read into memory for it.
fn read_outline(
    origin: &str,
    source: &SnapshotSource,
    max: u64,
) -> Result<(Snapshot, Option<Vec<u8>>)> {
    let (outline, held): (Outline, _) = match source.in_memory(max)? {
        Some(bytes) => (
            serde_json::from_slice(&bytes)?,
            match bytes {
                Cow::Owned(bytes) => Some(bytes),
                Cow::Borrowed(_) => None,
            },
        ),
        None => (serde_json::from_reader(source.reader(max, true)?)?, None),
    };
    let ours = SCHEMA_VERSION.split('.').next();
    if outline.schema_version.split('.').next() != ours {
        bail!("schema version {}", outline.schema_version);
    }
    let snapshot = Snapshot {
        schema_version: outline.schema_version,
        generated_at: outline.generated_at,
        organization: outline.organization,
        shard: outline.shard,
        accounts: outline
            .accounts
            .into_iter()
            .map(|a| AccountSnapshot {
                account: a.account,
                regions: a.regions,
                coverage: a.coverage,
                ..AccountSnapshot::default()
            })
            .collect(),
    };
    check_structure(&snapshot, origin)?;
    Ok((snapshot, held))
}

/// The second pass over one input: each account, checked and normalised,
/// to `send`; `false` when `send` refused one (nobody reads any more). From
/// `held` when the first pass left the file's bytes, from the source else.
fn stream_accounts(
    origin: &str,
    source: &SnapshotSource,
    held: Option<&[u8]>,
    ids: &[String],
    max: u64,
    send: &mut dyn FnMut(AccountSnapshot) -> bool,
) -> Result<bool> {
    let mut reader = AccountReader {
        origin,
        ids,
        send,
        read: 0,
        refused: false,
        problem: None,
    };
    let parsed = match held {
        Some(bytes) => read_accounts(&mut reader, serde_json::Deserializer::from_slice(bytes)),
        None => match source {
            SnapshotSource::Fetched(bytes) if !bytes.starts_with(&ZSTD_MAGIC) => {
                read_accounts(&mut reader, serde_json::Deserializer::from_slice(bytes))
            }
            _ => read_accounts(
                &mut reader,
                serde_json::Deserializer::from_reader(source.reader(max, false)?),
            ),
        },
    };
    match (parsed, reader.problem, reader.refused) {
        (_, _, true) => Ok(false),
        (_, Some(problem), _) => Err(problem),
        (Err(e), None, _) => Err(e.into()),
        (Ok(()), None, _) if reader.read != ids.len() => {
            Err(anyhow!("{origin}: the snapshot changed while it was read"))
        }
        (Ok(()), None, _) => Ok(true),
    }
}

/// The whole document through `reader`, to its end.
fn read_accounts<'de, R: serde_json::de::Read<'de>>(
    reader: &mut AccountReader<'_>,
    mut json: serde_json::Deserializer<R>,
) -> serde_json::Result<()> {
    reader.deserialize(&mut json).and_then(|()| json.end())
}

/// The visitor of the second pass: the top-level object, then `accounts`.
struct AccountReader<'a> {
    origin: &'a str,
    /// The ids the first pass read, in order.
    ids: &'a [String],
    send: &'a mut dyn FnMut(AccountSnapshot) -> bool,
    read: usize,
    refused: bool,
    problem: Option<anyhow::Error>,
}

impl AccountReader<'_> {
    /// One account: the one the first pass read at this place, checked.
    fn take(&mut self, mut account: AccountSnapshot) -> Result<()> {
        let i = self.read;
        self.read += 1;
        if self.ids.get(i) != Some(&account.account.id) {
            bail!("{}: the snapshot changed while it was read", self.origin);
        }
        validate_account(&mut account, &format!("{}: accounts[{i}]", self.origin))?;
        account.normalize();
        if !(self.send)(account) {
            self.refused = true;
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut AccountReader<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut AccountReader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an archaudit snapshot")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "accounts" {
                map.next_value_seed(AccountList(&mut *self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `accounts` array, element by element.
struct AccountList<'r, 'a>(&'r mut AccountReader<'a>);

impl<'de> DeserializeSeed<'de> for AccountList<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AccountList<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(account) = seq.next_element::<AccountSnapshot>()? {
            if let Err(problem) = self.0.take(account) {
                self.0.problem = Some(problem);
                return Err(de::Error::custom("stopped"));
            }
            if self.0.refused {
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{load_snapshot, save_snapshot, Shard};
    use std::path::Path;

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/snapshots")
            .join(name)
    }

    fn file(path: &Path) -> (String, SnapshotSource) {
        (
            path.display().to_string(),
            SnapshotSource::File(path.to_path_buf()),
        )
    }

    fn streamed(inputs: Vec<(String, SnapshotSource)>) -> Result<(Snapshot, Vec<AccountSnapshot>)> {
        let stream = SnapshotStream::open(inputs, 1 << 30)?;
        let accounts = stream.with_accounts(|accounts| accounts.collect::<Result<Vec<_>>>())?;
        Ok((stream.outline().clone(), accounts))
    }

    /// What a stream yields is what a whole read holds, account by account.
    #[test]
    fn a_stream_yields_the_accounts_of_a_whole_read() {
        let path = example("reference-drifted.json");
        let whole = load_snapshot(&path).unwrap();
        let (outline, accounts) = streamed(vec![file(&path)]).unwrap();
        assert!(accounts.len() >= 3 && accounts.iter().any(|a| a.resource_count() > 50));
        assert_eq!(accounts, whole.accounts);
        assert_eq!(outline.generated_at, whole.generated_at);
        assert_eq!(outline.organization, whole.organization);
        let ids = |accounts: &[AccountSnapshot]| -> Vec<String> {
            accounts.iter().map(|a| a.account.id.clone()).collect()
        };
        assert_eq!(ids(&outline.accounts), ids(&whole.accounts));
        assert!(outline.accounts.iter().all(|a| a.resource_count() == 0));
    }

    /// Compressed, or fetched as bytes (compressed or not): the same accounts.
    #[test]
    fn zstd_files_and_fetched_bytes_stream_alike() {
        let dir = tempfile::tempdir().unwrap();
        let whole = load_snapshot(&example("reference-drifted.json")).unwrap();
        let zst = dir.path().join("org.json.zst");
        save_snapshot(&whole, &zst).unwrap();
        let (_, from_zst) = streamed(vec![file(&zst)]).unwrap();
        assert_eq!(from_zst, whole.accounts);
        let bytes = std::fs::read(&zst).unwrap();
        let (_, fetched) = streamed(vec![(
            "s3://krci-audit/org.json.zst".to_string(),
            SnapshotSource::Fetched(bytes),
        )])
        .unwrap();
        assert_eq!(fetched, whole.accounts);
        // Plain JSON fetched: parsed from the fetched bytes both times.
        let json = std::fs::read(example("reference-drifted.json")).unwrap();
        let (_, fetched) = streamed(vec![(
            "s3://krci-audit/org.json".to_string(),
            SnapshotSource::Fetched(json),
        )])
        .unwrap();
        assert_eq!(fetched, whole.accounts);
    }

    /// Shards stream one after the other; a missing shard's accounts come
    /// last, unread, as a whole merge makes them.
    #[test]
    fn shards_stream_with_a_missing_shards_accounts_unread() {
        let dir = tempfile::tempdir().unwrap();
        let whole = load_snapshot(&example("reference-drifted.json")).unwrap();
        let count = 3;
        let mut inputs = Vec::new();
        let mut kept = Vec::new();
        for index in 0..count {
            let mut part = whole.clone();
            part.accounts
                .retain(|a| Shard::owner(&a.account.id, count) == index);
            part.shard = Some(ShardRecord {
                index,
                count,
                all_accounts: whole.accounts.iter().map(|a| a.account.clone()).collect(),
            });
            if part.accounts.is_empty() {
                continue;
            }
            if kept.is_empty() {
                // The first non-empty shard is lost.
                kept.push(index);
                continue;
            }
            let path = dir.path().join(format!("shard-{index}.json"));
            save_snapshot(&part, &path).unwrap();
            inputs.push(file(&path));
        }
        let whole_merge = load_whole(&inputs, 1 << 30).unwrap();
        let (outline, mut accounts) = streamed(inputs).unwrap();
        accounts.sort_by(|a, b| a.account.id.cmp(&b.account.id));
        assert_eq!(accounts, whole_merge.accounts);
        let unread: Vec<&AccountSnapshot> = accounts
            .iter()
            .filter(|a| a.coverage.iter().any(|e| e.service == "account"))
            .collect();
        assert!(!unread.is_empty());
        assert!(unread
            .iter()
            .all(|a| Shard::owner(&a.account.id, count) == kept[0]));
        assert_eq!(outline.accounts.len(), whole.accounts.len());
    }

    /// Writes `json` (a snapshot as a JSON value) to a file of the dir.
    fn written(dir: &Path, name: &str, json: &serde_json::Value) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(json).unwrap()).unwrap();
        path
    }

    /// Every broken input fails with the message of a whole read, including
    /// which of two problems is named first.
    #[test]
    fn errors_are_those_of_a_whole_read() {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(example("reference-drifted.json")).unwrap();
        let good: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut cases = Vec::new();
        // A section of the wrong type in the last account (only the second pass sees it).
        let mut json = good.clone();
        let last = json["accounts"].as_array().unwrap().len() - 1;
        json["accounts"][last]["ecr"] = serde_json::json!("not a section");
        cases.push(json.clone());
        // ... and a region that is not one in an earlier account: the parse error wins.
        json["accounts"][0]["regions"] = serde_json::json!(["eu-central-1", "moon-1"]);
        cases.push(json);
        // A resource region outside the account's regions (a check of the second pass).
        let mut json = good.clone();
        json["accounts"][1]["ec2"]["vpcs"][0]["region"] = serde_json::json!("ap-south-2");
        cases.push(json);
        // A foreign version, with a broken account too: the version is named.
        let mut json = good.clone();
        json["schema_version"] = serde_json::json!("7.0");
        json["accounts"][0]["account"]["id"] = serde_json::json!("12");
        cases.push(json);
        // The same account twice.
        let mut json = good.clone();
        let first = json["accounts"][0].clone();
        json["accounts"].as_array_mut().unwrap().push(first);
        cases.push(json);
        for (i, json) in cases.iter().enumerate() {
            let path = written(dir.path(), &format!("case-{i}.json"), json);
            let expected = load_whole(&[file(&path)], 1 << 30).unwrap_err().to_string();
            let got = match streamed(vec![file(&path)]) {
                Ok(_) => panic!("case {i} streamed without an error; a whole read says {expected}"),
                Err(e) => e.to_string(),
            };
            assert_eq!(got, expected, "case {i}");
            assert!(got.contains(&path.display().to_string()), "case {i}: {got}");
        }
        // Syntax errors, truncation and an empty file, read whole: theirs too.
        for (i, bytes) in [
            &text.as_bytes()[..text.len() / 2],
            b"  \n",
            b"{\"schema_version\": \"1.1\",}",
        ]
        .iter()
        .enumerate()
        {
            let path = dir.path().join(format!("raw-{i}.json"));
            std::fs::write(&path, bytes).unwrap();
            let expected = load_whole(&[file(&path)], 1 << 30).unwrap_err().to_string();
            let got = SnapshotStream::open(vec![file(&path)], 1 << 30)
                .err()
                .map(|e| e.to_string());
            assert_eq!(got.as_deref(), Some(expected.as_str()), "raw case {i}");
        }
    }

    /// A file over the limit is refused with the limit's message.
    #[test]
    fn the_size_limit_holds() {
        let path = example("reference-drifted.json");
        let err = SnapshotStream::open(vec![file(&path)], 1000).err().unwrap();
        assert!(crate::limits::is_too_large(&err), "{err}");
    }

    /// A reader that stops early ends the stream (no thread left waiting).
    #[test]
    fn a_consumer_may_stop_early() {
        let path = example("reference-drifted.json");
        let stream = SnapshotStream::open(vec![file(&path)], 1 << 30).unwrap();
        let first = stream.with_accounts(|mut accounts| accounts.next().unwrap().unwrap());
        assert_eq!(first.account.id, stream.outline().accounts[0].account.id);
    }
}
