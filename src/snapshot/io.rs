//! Loading, validating, merging and saving snapshots. Every file is untrusted
//! input: errors name the file and, for JSON, the line and column.

use super::{Snapshot, SCHEMA_VERSION};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    snapshot.normalize();
    Ok(snapshot)
}

/// The first bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Largest decompressed snapshot accepted (untrusted input: no zip bombs).
const MAX_SNAPSHOT_BYTES: u64 = 4 << 30;

/// Reads one snapshot file, JSON or zstd-compressed JSON (by content, not name).
pub fn load_snapshot(path: &Path) -> Result<Snapshot> {
    let bytes =
        std::fs::read(path).with_context(|| format!("{}: cannot read snapshot", path.display()))?;
    let origin = path.display().to_string();
    parse_snapshot(&decode(&bytes, &origin)?, &origin)
}

/// The JSON of a file that may be zstd-compressed (recognised by content).
pub fn decode<'a>(bytes: &'a [u8], origin: &str) -> Result<std::borrow::Cow<'a, [u8]>> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        let json = decompress(bytes).with_context(|| format!("{origin}: corrupt zstd file"))?;
        return Ok(std::borrow::Cow::Owned(json));
    }
    Ok(std::borrow::Cow::Borrowed(bytes))
}

fn decompress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    zstd::stream::read::Decoder::new(bytes)?
        .take(MAX_SNAPSHOT_BYTES)
        .read_to_end(&mut out)?;
    Ok(out)
}

/// Writes a snapshot as pretty JSON, zstd-compressed when the name ends in `.zst`.
pub fn save_snapshot(snapshot: &Snapshot, path: &Path) -> Result<()> {
    let json = to_json(snapshot)?;
    let bytes = if path.extension().is_some_and(|e| e == "zst") {
        zstd::encode_all(json.as_bytes(), 9)?
    } else {
        json.into_bytes()
    };
    std::fs::write(path, bytes)
        .with_context(|| format!("{}: cannot write snapshot", path.display()))
}

/// Merges snapshots of one organization (shards). An account present in two
/// inputs is an error naming both.
pub fn merge_snapshots(parts: Vec<(PathBuf, Snapshot)>) -> Result<Snapshot> {
    let mut parts = parts.into_iter();
    let Some((first_path, mut merged)) = parts.next() else {
        bail!("no snapshot given");
    };
    let mut seen: BTreeMap<String, PathBuf> = merged
        .accounts
        .iter()
        .map(|a| (a.account.id.clone(), first_path.clone()))
        .collect();
    let mut org_from = first_path;
    for (path, snapshot) in parts {
        match (&merged.organization, &snapshot.organization) {
            (Some(a), Some(b)) if a.id != b.id => bail!(
                "{} is of organization {} but {} is of organization {}: \
                 only shards of one organization can be merged",
                org_from.display(),
                a.id,
                path.display(),
                b.id
            ),
            (None, Some(_)) => {
                merged.organization = snapshot.organization.clone();
                org_from = path.clone();
            }
            _ => {}
        }
        if snapshot.generated_at < merged.generated_at {
            merged.generated_at = snapshot.generated_at.clone();
        }
        for account in snapshot.accounts {
            if let Some(other) = seen.get(&account.account.id) {
                bail!(
                    "account {} is in both {} and {}",
                    account.account.id,
                    other.display(),
                    path.display()
                );
            }
            seen.insert(account.account.id.clone(), path.clone());
            merged.accounts.push(account);
        }
    }
    merged.normalize();
    Ok(merged)
}

/// Loads and merges every given file.
pub fn load_snapshots(paths: &[PathBuf]) -> Result<Snapshot> {
    let parts = paths
        .iter()
        .map(|p| Ok((p.clone(), load_snapshot(p)?)))
        .collect::<Result<Vec<_>>>()?;
    merge_snapshots(parts)
}

/// Serializes a snapshot as pretty JSON (deterministic: call `normalize` first).
pub fn to_json(snapshot: &Snapshot) -> Result<String> {
    Ok(serde_json::to_string_pretty(snapshot)?)
}
