//! Loading, validating, merging and saving snapshots. Every file is untrusted
//! input: errors name the file and, for JSON, the line and column; sizes are
//! limited (see [`crate::limits`]), and a loaded snapshot is checked by
//! [`validate`] before anything sees it.

use super::validate;
use super::{
    Account, AccountSnapshot, CoverageEntry, CoverageStatus, ErrorClass, Shard, Snapshot,
    GLOBAL_REGION, SCHEMA_VERSION,
};
use crate::limits::{read_data_file, too_large, DEFAULT_MAX_INPUT_BYTES, RAISE_HINT, ZSTD_MAGIC};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Just enough of a snapshot to check its version before reading the rest, so a
/// foreign version gets a version error rather than a confusing field error.
#[derive(Deserialize)]
struct Header {
    schema_version: Option<serde_json::Value>,
}

fn major(version: &str) -> Option<&str> {
    let major = version.split('.').next()?;
    (!major.is_empty() && major.bytes().all(|b| b.is_ascii_digit())).then_some(major)
}

/// Parses a snapshot from bytes; `origin` names the source in errors.
pub fn parse_snapshot(bytes: &[u8], origin: &str) -> Result<Snapshot> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("{origin}: the file is empty, not a snapshot");
    }
    let header: Header = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("{origin}: not valid snapshot JSON: {e}"))?;
    let version = match header.schema_version {
        Some(serde_json::Value::String(v)) => v,
        Some(other) => bail!("{origin}: `schema_version` must be a string, found {other}"),
        None => bail!("{origin}: no `schema_version`: this is not an archaudit snapshot"),
    };
    let ours = major(SCHEMA_VERSION).expect("SCHEMA_VERSION has a major version");
    if major(&version) != Some(ours) {
        bail!(
            "{origin}: snapshot schema version {version:?} is not supported \
             (this archaudit reads version {ours}.x)"
        );
    }
    let mut snapshot: Snapshot = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("{origin}: invalid snapshot: {e}"))?;
    validate(&mut snapshot, origin)?;
    snapshot.normalize();
    Ok(snapshot)
}

/// Reads one snapshot file, JSON or zstd-compressed JSON (by content, not
/// name), within the default size limit.
pub fn load_snapshot(path: &Path) -> Result<Snapshot> {
    let max = DEFAULT_MAX_INPUT_BYTES;
    let bytes = read_data_file(path, "snapshot", max, RAISE_HINT)?;
    decode_snapshot(&bytes, &path.display().to_string(), max)
}

/// The JSON of a file that may be zstd-compressed (recognised by content),
/// at most `max` bytes once decompressed.
pub fn decode<'a>(bytes: &'a [u8], origin: &str, max: u64) -> Result<std::borrow::Cow<'a, [u8]>> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        return Ok(std::borrow::Cow::Owned(decompress(bytes, origin, max)?));
    }
    if bytes.len() as u64 > max {
        return Err(too_large(origin, "snapshot", max, RAISE_HINT));
    }
    Ok(std::borrow::Cow::Borrowed(bytes))
}

/// Parses a snapshot's bytes, JSON or zstd-compressed JSON (by content, not
/// name), at most `max` bytes decompressed; `origin` (a path or an `s3://`
/// uri) names the source in errors.
pub fn decode_snapshot(bytes: &[u8], origin: &str, max: u64) -> Result<Snapshot> {
    parse_snapshot(&decode(bytes, origin, max)?, origin)
}

/// Decompresses a zstd stream of at most `max` bytes. The size is counted
/// first through a small buffer, so a bomb is refused without holding what it
/// unpacks to; only then is the output allocated, once.
fn decompress(bytes: &[u8], origin: &str, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let corrupt = || format!("{origin}: corrupt zstd snapshot");
    let mut decoder = zstd::stream::read::Decoder::new(bytes).with_context(corrupt)?;
    let mut buffer = vec![0u8; 128 << 10];
    let mut size: u64 = 0;
    loop {
        let n = decoder.read(&mut buffer).with_context(corrupt)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > max {
            return Err(too_large(
                origin,
                "snapshot",
                max,
                " once decompressed (raise it with --max-input-size)",
            ));
        }
    }
    drop(buffer);
    let mut out = Vec::with_capacity(size as usize);
    zstd::stream::read::Decoder::new(bytes)
        .with_context(corrupt)?
        .take(size)
        .read_to_end(&mut out)
        .with_context(corrupt)?;
    Ok(out)
}

/// A snapshot's bytes as saved under `name`: pretty JSON, zstd-compressed when
/// the name ends in `.zst`.
pub fn encode_snapshot(snapshot: &Snapshot, name: &str) -> Result<Vec<u8>> {
    let json = to_json(snapshot)?;
    Ok(if name.ends_with(".zst") {
        zstd::encode_all(json.as_bytes(), 9)?
    } else {
        json.into_bytes()
    })
}

/// Writes a snapshot file (see [`encode_snapshot`]).
pub fn save_snapshot(snapshot: &Snapshot, path: &Path) -> Result<()> {
    let bytes = encode_snapshot(snapshot, &path.to_string_lossy())?;
    std::fs::write(path, bytes)
        .with_context(|| format!("{}: cannot write snapshot", path.display()))
}

/// Merges snapshots of one organization, each named by its origin (a path or
/// an `s3://` uri) for errors. An account present in two inputs is an error
/// naming both. Shards of one `collect --shard I/N` run must all have the same
/// N and each index at most once; the accounts of a missing shard (known from
/// the account list every shard records) are added as unread accounts, so the
/// report shows them as coverage gaps and nothing about them as passing.
pub fn merge_snapshots(parts: Vec<(String, Snapshot)>) -> Result<Snapshot> {
    let shards = check_shard_set(&parts)?;
    let mut parts = parts.into_iter();
    let Some((first_origin, mut merged)) = parts.next() else {
        bail!("no snapshot given");
    };
    let mut seen: BTreeMap<String, String> = merged
        .accounts
        .iter()
        .map(|a| (a.account.id.clone(), first_origin.clone()))
        .collect();
    let mut org_from = first_origin;
    for (origin, snapshot) in parts {
        match (&merged.organization, &snapshot.organization) {
            (Some(a), Some(b)) if a.id != b.id => bail!(
                "{org_from} is of organization {} but {origin} is of organization {}: \
                 only shards of one organization can be merged",
                a.id,
                b.id
            ),
            (None, Some(_)) => {
                merged.organization = snapshot.organization.clone();
                org_from = origin.clone();
            }
            _ => {}
        }
        if snapshot.generated_at < merged.generated_at {
            merged.generated_at = snapshot.generated_at.clone();
        }
        for account in snapshot.accounts {
            if let Some(other) = seen.get(&account.account.id) {
                bail!(
                    "account {} is in both {other} and {origin}",
                    account.account.id
                );
            }
            seen.insert(account.account.id.clone(), origin.clone());
            merged.accounts.push(account);
        }
    }
    if let Some(shards) = shards {
        for (id, (account, listed_by)) in &shards.all_accounts {
            if seen.contains_key(id) {
                continue;
            }
            let owner = Shard::owner(id, shards.count);
            let message = match shards.present.get(&owner) {
                None => format!(
                    "shard {owner}/{} is missing: no snapshot of it was given (the account list of {listed_by} names this account)",
                    shards.count
                ),
                Some(origin) => format!(
                    "not in {origin} (shard {owner}/{}), though the account list of {listed_by} names it: \
                     the accounts changed between the shard runs",
                    shards.count
                ),
            };
            merged
                .accounts
                .push(unread_account(account.clone(), message));
        }
    }
    merged.shard = None;
    merged.normalize();
    Ok(merged)
}

/// The shard set of the inputs, checked: `None` when no input is a shard.
struct ShardSet {
    count: u32,
    /// index -> origin
    present: BTreeMap<u32, String>,
    /// Every account some shard's list names: id -> (account, the origin naming it).
    all_accounts: BTreeMap<String, (Account, String)>,
}

fn check_shard_set(parts: &[(String, Snapshot)]) -> Result<Option<ShardSet>> {
    let whole = parts.iter().find(|(_, s)| s.shard.is_none());
    let mut set: Option<ShardSet> = None;
    let mut count_from = String::new();
    for (origin, snapshot) in parts {
        let Some(record) = &snapshot.shard else {
            continue;
        };
        let shard = record.shard();
        if shard.count == 0 || shard.index >= shard.count {
            bail!("{origin}: invalid shard {shard}");
        }
        if let Some((whole, _)) = whole {
            bail!(
                "{origin} is shard {shard} but {whole} is not a shard: \
                 check either the shards of one collection or whole snapshots"
            );
        }
        let set = set.get_or_insert_with(|| {
            count_from = origin.clone();
            ShardSet {
                count: shard.count,
                present: BTreeMap::new(),
                all_accounts: BTreeMap::new(),
            }
        });
        if shard.count != set.count {
            bail!(
                "{count_from} is one of {} shards but {origin} is shard {shard}: \
                 the shards of one collection share the same count",
                set.count
            );
        }
        if let Some(other) = set.present.insert(shard.index, origin.clone()) {
            bail!("{other} and {origin} are both shard {shard}");
        }
        for account in &snapshot.accounts {
            let owner = Shard::owner(&account.account.id, shard.count);
            if owner != shard.index {
                bail!(
                    "{origin}: account {} belongs to shard {owner}/{}, not {shard}: \
                     this file was not split by this archaudit's sharding",
                    account.account.id,
                    shard.count
                );
            }
        }
        for account in &record.all_accounts {
            set.all_accounts
                .entry(account.id.clone())
                .or_insert_with(|| (account.clone(), origin.clone()));
        }
    }
    Ok(set)
}

/// An account that was not read at all: one account-level coverage error, so
/// every rule over its data is reported as not evaluated.
fn unread_account(account: Account, message: String) -> AccountSnapshot {
    AccountSnapshot {
        account,
        coverage: vec![CoverageEntry {
            region: GLOBAL_REGION.to_string(),
            service: "account".to_string(),
            status: CoverageStatus::Error,
            error: Some(ErrorClass::NotCollected),
            message: Some(message),
        }],
        ..AccountSnapshot::default()
    }
}

/// Serializes a snapshot as pretty JSON (deterministic: call `normalize` first).
pub fn to_json(snapshot: &Snapshot) -> Result<String> {
    Ok(serde_json::to_string_pretty(snapshot)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::ShardRecord;

    const IDS: [&str; 6] = [
        "571293840655",
        "318465720941",
        "729384615022",
        "114477225588",
        "903152864701",
        "482019375566",
    ];

    fn account(id: &str) -> Account {
        Account {
            id: id.to_string(),
            name: format!("krci-team-{id}"),
            ..Account::default()
        }
    }

    /// Shard `index` of `count` over IDS, as `collect --shard` writes it.
    fn shard(index: u32, count: u32) -> (String, Snapshot) {
        let mut s = Snapshot::new("2026-11-24T06:00:00Z".to_string());
        s.shard = Some(ShardRecord {
            index,
            count,
            all_accounts: IDS.iter().map(|id| account(id)).collect(),
        });
        s.accounts = IDS
            .iter()
            .filter(|id| Shard::owner(id, count) == index)
            .map(|id| AccountSnapshot {
                account: account(id),
                ..AccountSnapshot::default()
            })
            .collect();
        (
            format!("s3://krci-audit/2026-11-24/shard-{index}.json.zst"),
            s,
        )
    }

    fn ids(snapshot: &Snapshot) -> Vec<&str> {
        snapshot
            .accounts
            .iter()
            .map(|a| a.account.id.as_str())
            .collect()
    }

    #[test]
    fn a_complete_shard_set_merges_into_every_account() {
        let merged = merge_snapshots((0..3).map(|i| shard(i, 3)).collect()).unwrap();
        let mut all = IDS.to_vec();
        all.sort();
        assert_eq!(ids(&merged), all);
        assert!(merged.shard.is_none());
        assert!(merged.accounts.iter().all(|a| a.coverage.is_empty()));
    }

    #[test]
    fn a_missing_shards_accounts_are_unread_accounts() {
        let missing = Shard::owner(IDS[0], 3);
        let parts = (0..3)
            .filter(|i| *i != missing)
            .map(|i| shard(i, 3))
            .collect();
        let merged = merge_snapshots(parts).unwrap();
        assert_eq!(merged.accounts.len(), IDS.len());
        let unread: Vec<&AccountSnapshot> = merged
            .accounts
            .iter()
            .filter(|a| !a.coverage.is_empty())
            .collect();
        assert!(!unread.is_empty());
        for a in unread {
            assert_eq!(Shard::owner(&a.account.id, 3), missing);
            assert_eq!(a.account.name, format!("krci-team-{}", a.account.id));
            let [entry] = a.coverage.as_slice() else {
                panic!("one entry: {:?}", a.coverage)
            };
            assert_eq!(
                (entry.service.as_str(), entry.status, entry.error),
                (
                    "account",
                    CoverageStatus::Error,
                    Some(ErrorClass::NotCollected)
                )
            );
            let message = entry.message.as_deref().unwrap();
            assert!(
                message.starts_with(&format!("shard {missing}/3 is missing")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_shard_twice_mixed_counts_and_mixed_kinds_are_errors_naming_both() {
        let (a, s) = shard(1, 3);
        let err = merge_snapshots(vec![
            shard(0, 3),
            (a.clone(), s.clone()),
            ("shard-1-retry.json".to_string(), s),
        ])
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            format!("{a} and shard-1-retry.json are both shard 1/3")
        );

        let err = merge_snapshots(vec![shard(0, 3), shard(1, 4)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("shard-0.json.zst is one of 3 shards"), "{err}");
        assert!(err.contains("shard-1.json.zst is shard 1/4"), "{err}");

        let mut whole = shard(0, 1).1;
        whole.shard = None;
        let err = merge_snapshots(vec![("org.json".to_string(), whole), shard(0, 2)])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("shard-0.json.zst is shard 0/2 but org.json is not a shard"),
            "{err}"
        );
    }

    #[test]
    fn an_account_in_the_wrong_shard_is_an_error() {
        let (origin, mut s) = shard(0, 2);
        let stray = IDS
            .iter()
            .find(|id| Shard::owner(id, 2) == 1)
            .expect("some account in shard 1");
        s.accounts.push(AccountSnapshot {
            account: account(stray),
            ..AccountSnapshot::default()
        });
        let err = merge_snapshots(vec![(origin.clone(), s), shard(1, 2)])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                "{origin}: account {stray} belongs to shard 1/2, not 0/2"
            )),
            "{err}"
        );
    }
}
