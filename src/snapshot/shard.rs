//! Sharding by account: `collect --shard I/N` reads the accounts shard I owns.
//!
//! Ownership is rendezvous (highest random weight) hashing: every shard index
//! gets a weight from a hash of (account id, index), and the highest weight
//! owns the account. It is a pure function of the account id and N, so it is
//! stable across runs and machines, independent of the rest of the account
//! list (adding or closing an account moves no other account), and changing N
//! to N+1 only moves the accounts the new shard wins. It lives with the
//! snapshot model because `check` needs it too: to know which accounts a
//! missing shard held.

use super::Account;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Shard `index` of `count` (zero-based: `index` in `0..count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// The most shards accepted (far more than accounts in any organization).
pub const MAX_SHARDS: u32 = 10_000;

impl Shard {
    /// Parses `I/N` (zero-based `I`, as a Kubernetes Indexed Job's
    /// `JOB_COMPLETION_INDEX`); errors name the `--shard` flag.
    pub fn parse(spec: &str) -> Result<Shard> {
        let usage = || {
            format!(
                "--shard {spec:?}: expected I/N with 0 <= I < N <= {MAX_SHARDS} \
                 (zero-based index, e.g. 0/4 .. 3/4)"
            )
        };
        let Some((i, n)) = spec.split_once('/') else {
            bail!(usage());
        };
        let number = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        match (number(i), number(n)) {
            (Some(index), Some(count)) if (1..=MAX_SHARDS).contains(&count) && index < count => {
                Ok(Shard { index, count })
            }
            _ => bail!(usage()),
        }
    }

    /// The shard (of `count`) that owns `account_id`.
    pub fn owner(account_id: &str, count: u32) -> u32 {
        (0..count)
            .max_by_key(|&i| (weight(account_id, i), std::cmp::Reverse(i)))
            .unwrap_or(0)
    }

    /// Whether this shard reads `account_id`.
    pub fn owns(&self, account_id: &str) -> bool {
        Shard::owner(account_id, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The rendezvous weight of shard `index` for `account_id`.
fn weight(account_id: &str, index: u32) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(b"archaudit-shard\0");
    hasher.update(account_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(index.to_be_bytes());
    let digest = hasher.finalize();
    u64::from_be_bytes(
        digest[..8]
            .try_into()
            .expect("a SHA-256 digest has 8 bytes"),
    )
}

/// What a shard's snapshot records about the split: which shard it is and
/// every account of the list that was split (in every shard), so that a merge
/// can tell which accounts a missing shard held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRecord {
    pub index: u32,
    pub count: u32,
    /// Every account of the split list, the other shards' included, sorted by id.
    pub all_accounts: Vec<Account>,
}

impl ShardRecord {
    pub fn shard(&self) -> Shard {
        Shard {
            index: self.index,
            count: self.count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// A few hundred distinct 12-digit account ids, deterministic.
    fn account_ids(n: usize) -> Vec<String> {
        let mut ids = BTreeSet::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        while ids.len() < n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ids.insert(format!("{:012}", 100_000_000_000 + x % 900_000_000_000));
        }
        ids.into_iter().collect()
    }

    #[test]
    fn every_account_lands_in_exactly_one_shard() {
        let ids = account_ids(300);
        for count in [1, 2, 3, 16, 100] {
            let mut per_shard = vec![0usize; count as usize];
            for id in &ids {
                let owners: Vec<u32> = (0..count)
                    .filter(|&index| Shard { index, count }.owns(id))
                    .collect();
                assert_eq!(owners.len(), 1, "{id} over {count} shards: {owners:?}");
                per_shard[owners[0] as usize] += 1;
            }
            assert_eq!(per_shard.iter().sum::<usize>(), ids.len());
            if count <= 16 {
                // 300 accounts spread over the shards, none empty nor hoarding.
                let fair = ids.len() / count as usize;
                for (i, n) in per_shard.iter().enumerate() {
                    assert!(
                        *n > fair / 2 && *n < fair * 2,
                        "shard {i}/{count} holds {n} of {} accounts: {per_shard:?}",
                        ids.len()
                    );
                }
            }
        }
    }

    /// Each account's shard, for a whole list.
    fn assign(ids: &[String], count: u32) -> BTreeMap<String, u32> {
        ids.iter()
            .map(|id| (id.clone(), Shard::owner(id, count)))
            .collect()
    }

    #[test]
    fn adding_an_account_or_a_shard_moves_few_others() {
        let ids = account_ids(301);
        let old = &ids[..300];
        for count in [2, 3, 16, 100] {
            let before = assign(old, count);
            // One more account: no other account changes shard.
            let with_new = assign(&ids, count);
            for (id, shard) in &before {
                assert_eq!(with_new[id], *shard, "{id} moved when an account was added");
            }
            // One more shard: only accounts the new shard wins move.
            let after = assign(old, count + 1);
            let moved: Vec<&String> = before
                .keys()
                .filter(|id| after[*id] != before[*id])
                .collect();
            for id in &moved {
                assert_eq!(after[*id], count, "{id} moved between old shards");
            }
            assert!(
                moved.len() < old.len() / count as usize * 2,
                "{} of {} accounts moved going from {count} to {} shards",
                moved.len(),
                old.len(),
                count + 1
            );
        }
    }

    #[test]
    fn ownership_is_pinned_across_runs() {
        // Changing the hash reshuffles every scheduled audit: these stay fixed.
        // (Checked against an independent implementation: Python's hashlib.)
        let pinned = [
            ("571293840655", 8, 0),
            ("318465720941", 7, 2),
            ("729384615022", 13, 1),
            ("114477225588", 13, 0),
            ("903152864701", 6, 1),
        ];
        let got: Vec<(&str, u32, u32)> = pinned
            .iter()
            .map(|(id, _, _)| (*id, Shard::owner(id, 16), Shard::owner(id, 4)))
            .collect();
        assert_eq!(got, pinned);
    }

    #[test]
    fn shard_specs_parse_zero_based() {
        assert_eq!(
            Shard::parse("3/16").unwrap(),
            Shard {
                index: 3,
                count: 16
            }
        );
        assert_eq!(Shard::parse("0/1").unwrap().to_string(), "0/1");
        for bad in [
            "16/16", "4/3", "0/0", "1/0", "-1/4", "a/4", "3", "3/", "/4", "3/4/5", "", " / ",
            "1.5/4", "0/10001",
        ] {
            let err = Shard::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("--shard"), "{bad:?}: {err}");
            assert!(err.contains(&format!("{bad:?}")), "{bad:?}: {err}");
        }
    }
}
