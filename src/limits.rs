//! Size limits on what archaudit reads, so that no input (a device such as
//! `/dev/zero`, a huge file, a zstd bomb) can take the memory or the time of a
//! run. Every refusal is one line naming the file and the limit.
//!
//! Snapshots, JSON reports and Terraform states share one limit on their size
//! (decompressed, for a `.zst` snapshot): [`DEFAULT_MAX_INPUT_BYTES`],
//! raised with `--max-input-size`. Files people write by hand (the config,
//! rule files, Terraform sources) have fixed limits far above any real one.
//!
//! This module stands below every other: it knows nothing but files.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::Path;

/// Snapshots, reports and states, decompressed: `--max-input-size`.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 2 << 30;
/// `archaudit.toml` (20,000 suppressions take about 3 MiB).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;
/// One Rego rule file.
pub const MAX_RULE_FILE_BYTES: u64 = 1 << 20;
/// One Terraform source file (`.tf`, `modules.json`).
pub const MAX_TERRAFORM_SOURCE_BYTES: u64 = 16 << 20;

/// `2147483648` -> `2 GiB`, `1536` -> `1536 bytes`.
pub fn human(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Parses a size for `--max-input-size`: `512MiB`, `4GiB`, `4G`, `100M`,
/// `64KiB` or a number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("{text:?}: expected a size such as 512MiB or 4GiB")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?}: expected a size such as 512MiB or 4GiB"))
}

/// An input over its size limit: fatal wherever it shows, since the limit is
/// the user's to raise (an unreadable state is otherwise only a coverage gap).
#[derive(Debug)]
pub struct TooLarge(String);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TooLarge {}

/// The error for an input over its limit.
pub fn too_large(origin: &str, what: &str, max: u64, hint: &str) -> anyhow::Error {
    TooLarge(format!(
        "{origin}: {what} over the size limit of {}{hint}",
        human(max)
    ))
    .into()
}

/// Whether `error` (or what it wraps) is an input over its size limit.
pub fn is_too_large(error: &anyhow::Error) -> bool {
    error.chain().any(|e| e.is::<TooLarge>())
}

/// The hint of the limits `--max-input-size` raises.
pub const RAISE_HINT: &str = " (raise it with --max-input-size)";

/// The first bytes of a zstd frame.
pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Reads a local file of at most `max` bytes. A regular file over the limit is
/// refused unread; anything else (a device, a pipe) is read up to the limit.
pub fn read_file(path: &Path, what: &str, max: u64, hint: &str) -> Result<Vec<u8>> {
    read(path, what, max, hint, false)
}

/// [`read_file`] for a JSON or zstd-compressed JSON file (snapshot, report,
/// state): a device or pipe whose first bytes are neither is refused before
/// more is read (`check /dev/zero`).
pub fn read_data_file(path: &Path, what: &str, max: u64, hint: &str) -> Result<Vec<u8>> {
    read(path, what, max, hint, true)
}

fn read(path: &Path, what: &str, max: u64, hint: &str, data: bool) -> Result<Vec<u8>> {
    let origin = path.display().to_string();
    let cannot = || format!("{origin}: cannot read {what}");
    let mut file = std::fs::File::open(path).with_context(cannot)?;
    let meta = file.metadata().with_context(cannot)?;
    if meta.is_dir() {
        bail!("{origin}: cannot read {what}: it is a directory");
    }
    if meta.is_file() && meta.len() > max {
        return Err(too_large(&origin, what, max, hint));
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    if data && !meta.is_file() {
        // A stream shows what it is in its first bytes.
        const HEAD: u64 = 64 << 10;
        (&mut file)
            .take(HEAD.min(max.saturating_add(1)))
            .read_to_end(&mut bytes)
            .with_context(cannot)?;
        if let Some(first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            if *first != b'{' && !bytes.starts_with(&ZSTD_MAGIC) {
                bail!("{origin}: not a {what}: neither JSON nor zstd (it starts with byte {first:#04x})");
            }
        }
    }
    let left = max.saturating_add(1) - bytes.len() as u64;
    file.take(left)
        .read_to_end(&mut bytes)
        .with_context(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_large(&origin, what, max, hint));
    }
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text.
pub fn read_text(path: &Path, what: &str, max: u64) -> Result<String> {
    let bytes = read_file(path, what, max, "")?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot read {what}: not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("64 KiB"), Ok(64 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        for bad in ["", "0", "-1", "2XB", "GiB", "99999999999999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(human(2 << 30), "2 GiB");
        // The flag's default, as its help shows it.
        assert_eq!(parse_size("2GiB"), Ok(DEFAULT_MAX_INPUT_BYTES));
        assert_eq!(human(16 << 20), "16 MiB");
        assert_eq!(human(1536), "1536 bytes");
        assert_eq!(human(3 << 10), "3 KiB");
    }

    #[test]
    fn a_device_is_read_up_to_the_limit_only() {
        let err = read_file(Path::new("/dev/zero"), "config", 1 << 20, "")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/dev/zero: config over the size limit of 1 MiB");
        let err = read_data_file(Path::new("/dev/zero"), "snapshot", 1 << 30, RAISE_HINT)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "/dev/zero: not a snapshot: neither JSON nor zstd (it starts with byte 0x00)"
        );
    }
}
