//! Terraform: which live resources Terraform manages, and the block that
//! declares each, so a report can put a finding on the line a person edits.
//!
//! [`state`] reads v4 state files (resources, instances, ARNs); [`source`]
//! parses `.tf` files for `resource` and `module` blocks; [`Locations`] joins
//! the two: a finding's ARN -> state instance -> address -> file and lines.
//! Only `arn`, `id` and `name` attributes of the state are ever kept.

pub mod source;
pub mod state;

pub use source::{repo_relative_uri, SourceLocation, Sources};
pub use state::{load_state, parse_state, State};

use crate::engine::Finding;
use crate::snapshot::{ArnKind, ArnNames, SERVICES};
use anyhow::{bail, Context, Result};
use source::Resolved;
use state::Mode;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where a finding's resource is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// In a state, and declared by this block (a local module's block, or the
    /// call of a module whose code is not in the repository).
    Declared(SourceLocation),
    /// In a state, but no `--tf-dir` holds its block.
    Managed { address: String },
    /// In no state: created outside Terraform (or by a state not given).
    Unmanaged,
    /// Not something Terraform declares: the account itself
    /// (`arn:aws:iam::<id>:root`) or a resource that is not an ARN.
    NotAResource,
}

/// One managed resource instance of a state.
#[derive(Debug, Clone)]
struct Entry {
    address: String,
    kind: String,
    state: usize,
    location: Option<SourceLocation>,
}

/// The accounts and regions a state's ARNs show it manages resources in.
#[derive(Debug, Clone, Default)]
struct Footprint {
    accounts: BTreeSet<String>,
    regions: BTreeSet<String>,
}

/// States joined with their source: answers "where is this ARN declared?".
#[derive(Debug, Clone, Default)]
pub struct Locations {
    entries: Vec<Entry>,
    by_arn: HashMap<String, usize>,
    /// Every instance by (state, address): a finding that names the block
    /// holding its setting is located there.
    by_address: HashMap<(usize, String), usize>,
    /// Instances without an `arn` attribute, by `id` and by `name`: (type, value).
    by_ident: HashMap<(String, String), Vec<usize>>,
    footprints: Vec<Footprint>,
    /// Origins of states no scanned directory declares (with `--tf-dir` given).
    unresolved: Vec<String>,
}

/// The state files a `--tfstate` value names: the path itself, or the files
/// a glob (`*`, `?`, `[..]`, `{a,b}`, `**`) matches under `root`, sorted. A
/// glob that matches nothing is an error naming it.
pub fn expand_state_glob(spec: &str, root: &Path) -> Result<Vec<PathBuf>> {
    let is_pattern = |s: &str| s.contains(['*', '?', '[', '{']);
    if !is_pattern(spec) {
        return Ok(vec![PathBuf::from(spec)]);
    }
    let matcher = globset::GlobBuilder::new(spec)
        .literal_separator(true)
        .build()
        .with_context(|| format!("{spec}: not a valid glob"))?
        .compile_matcher();
    // Walk from the longest directory prefix without a pattern.
    let base: PathBuf = Path::new(spec)
        .components()
        .take_while(|c| !is_pattern(&c.as_os_str().to_string_lossy()))
        .collect();
    let mut found = Vec::new();
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in read.flatten() {
            let path = dir.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if matcher.is_match(&path) {
                found.push(path);
            }
        }
    }
    if found.is_empty() {
        bail!("{spec}: no file matches this Terraform state pattern");
    }
    found.sort();
    Ok(found)
}

/// The parts of an ARN: (service, region, account, resource).
fn arn_parts(arn: &str) -> Option<(&str, &str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let _partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    (!service.is_empty() && !resource.is_empty()).then_some((service, region, account, resource))
}

/// Every kind of ARN the services' Terraform mappings declare, with its type.
fn arn_kinds() -> impl Iterator<Item = (&'static str, ArnKind)> {
    SERVICES
        .iter()
        .flat_map(|s| s.terraform)
        .filter_map(|t| Some((t.kind, t.arn?)))
}

/// The Terraform types and the identifier values an ARN may be known by,
/// from the mappings that declare its kind (`TerraformType::arn`).
fn ident_candidates(arn: &str) -> Option<(Vec<&'static str>, Vec<String>)> {
    let (service, _, _, resource) = arn_parts(arn)?;
    // A service whose resource part is the name itself (an S3 bucket).
    let bare = arn_kinds().any(|(_, k)| k.service == service && k.resource.is_empty());
    let (rtype, rest) = match resource.find(['/', ':']) {
        Some(i) => (&resource[..i], &resource[i + 1..]),
        None if bare => ("", resource),
        None => (resource, ""),
    };
    let kinds: Vec<(&'static str, ArnKind)> = arn_kinds()
        .filter(|(_, k)| k.service == service && k.resource == rtype)
        .collect();
    let names = kinds.first()?.1.names;
    let rest = rest.strip_suffix(":*").unwrap_or(rest);
    let mut values = vec![rest.to_string()];
    match names {
        ArnNames::Rest => {}
        ArnNames::LastSegment => values.extend(rest.rsplit('/').next().map(str::to_string)),
        ArnNames::Segments => values.extend(rest.split('/').skip(1).map(str::to_string)),
        ArnNames::SlashPrefixed => values.push(format!("/{rest}")),
    }
    values.retain(|v| !v.is_empty());
    values.dedup();
    Some((kinds.into_iter().map(|(kind, _)| kind).collect(), values))
}

impl Locations {
    /// Reads local state files and scans the Terraform directories. Relative
    /// paths are relative to `repo_root`, which uris are made relative to.
    pub fn load(states: &[PathBuf], tf_dirs: &[PathBuf], repo_root: &Path) -> Result<Locations> {
        let states = states
            .iter()
            .map(|p| {
                let bytes = crate::limits::read_data_file(
                    &repo_root.join(p),
                    "Terraform state",
                    crate::limits::DEFAULT_MAX_INPUT_BYTES,
                    crate::limits::RAISE_HINT,
                )?;
                parse_state(&bytes, &p.display().to_string())
            })
            .collect::<Result<Vec<_>>>()?;
        let sources = Sources::scan(tf_dirs, repo_root)?;
        Ok(Locations::new(&states, &sources))
    }

    /// Joins states with scanned sources. Each state is matched to the scanned
    /// directory that declares the most of its resources (its root module);
    /// a state no directory declares leaves its resources [`Located::Managed`].
    pub fn new(states: &[State], sources: &Sources) -> Locations {
        let mut out = Locations::default();
        let candidates = sources.candidates();
        for (index, state) in states.iter().enumerate() {
            let managed: Vec<_> = state
                .resources
                .iter()
                .filter(|r| r.mode == Mode::Managed)
                .collect();
            let root = candidates
                .iter()
                .map(|dir| {
                    let score = managed
                        .iter()
                        .filter(|r| {
                            sources
                                .resolve(dir, &r.module_names(), &r.kind, &r.name)
                                .is_some()
                        })
                        .count();
                    (score, *dir)
                })
                // `max_by_key` keeps the last of equals: fold to keep the first.
                .fold(None::<(usize, &Path)>, |best, (score, dir)| match best {
                    Some((s, _)) if s >= score => best,
                    _ => Some((score, dir)),
                })
                .filter(|(score, _)| *score > 0)
                .map(|(_, dir)| dir);
            if root.is_none() && !candidates.is_empty() && !managed.is_empty() {
                out.unresolved.push(state.origin.clone());
            }

            let mut footprint = Footprint::default();
            for r in managed {
                let resolved =
                    root.and_then(|dir| sources.resolve(dir, &r.module_names(), &r.kind, &r.name));
                let block = match resolved {
                    Some(Resolved::Resource(b) | Resolved::ModuleCall(b)) => Some(b),
                    None => None,
                };
                for instance in &r.instances {
                    let address = r.address(instance);
                    let entry = out.entries.len();
                    out.by_address.insert((index, address.clone()), entry);
                    out.entries.push(Entry {
                        location: block.map(|b| SourceLocation {
                            uri: b.uri.clone(),
                            start_line: b.start_line,
                            end_line: b.end_line,
                            address: address.clone(),
                        }),
                        address,
                        kind: r.kind.clone(),
                        state: index,
                    });
                    let arn = instance
                        .arn
                        .as_deref()
                        .or(instance.id.as_deref().filter(|id| arn_parts(id).is_some()));
                    if let Some(arn) = arn {
                        if let Some((_, region, account, _)) = arn_parts(arn) {
                            if !account.is_empty() {
                                footprint.accounts.insert(account.to_string());
                            }
                            if !region.is_empty() {
                                footprint.regions.insert(region.to_string());
                            }
                        }
                        out.by_arn.entry(arn.to_string()).or_insert(entry);
                    } else {
                        for value in [&instance.id, &instance.name].into_iter().flatten() {
                            out.by_ident
                                .entry((r.kind.clone(), value.clone()))
                                .or_default()
                                .push(entry);
                        }
                    }
                }
            }
            out.footprints.push(footprint);
        }
        out
    }

    /// Where the resource of a finding in `account_id` is declared.
    pub fn locate(&self, account_id: &str, resource_arn: &str) -> Located {
        self.locate_at(account_id, resource_arn, None)
    }

    /// Where a finding is located: the block it names as holding its
    /// setting (in the state of its resource), else its resource's block.
    pub fn locate_finding(&self, finding: &Finding) -> Located {
        self.locate_at(
            &finding.account_id,
            &finding.resource,
            finding.terraform_address.as_deref(),
        )
    }

    fn locate_at(&self, account_id: &str, resource_arn: &str, address: Option<&str>) -> Located {
        let Some((service, region, _, resource)) = arn_parts(resource_arn) else {
            return Located::NotAResource;
        };
        if service == "iam" && resource == "root" {
            return Located::NotAResource;
        }
        let entry = self
            .by_arn
            .get(resource_arn)
            .copied()
            .or_else(|| self.by_identifier(account_id, region, resource_arn));
        let holder = entry.zip(address).and_then(|(i, address)| {
            self.by_address
                .get(&(self.entries[i].state, address.to_string()))
                .copied()
        });
        match holder.or(entry).map(|i| &self.entries[i]) {
            Some(Entry {
                location: Some(location),
                ..
            }) => Located::Declared(location.clone()),
            Some(entry) => Located::Managed {
                address: entry.address.clone(),
            },
            None => Located::Unmanaged,
        }
    }

    /// The one instance without an `arn` whose `id` or `name` names the
    /// resource, in a state that manages this account and region. Ambiguity
    /// matches nothing: a wrong location is worse than none.
    fn by_identifier(&self, account_id: &str, region: &str, arn: &str) -> Option<usize> {
        let (types, values) = ident_candidates(arn)?;
        let mut found: BTreeSet<usize> = BTreeSet::new();
        for kind in &types {
            for value in &values {
                let Some(entries) = self.by_ident.get(&(kind.to_string(), value.clone())) else {
                    continue;
                };
                for &i in entries {
                    let footprint = &self.footprints[self.entries[i].state];
                    let account_ok =
                        footprint.accounts.is_empty() || footprint.accounts.contains(account_id);
                    let region_ok = region.is_empty()
                        || footprint.regions.is_empty()
                        || footprint.regions.contains(region);
                    if account_ok && region_ok && self.entries[i].kind == *kind {
                        found.insert(i);
                    }
                }
            }
        }
        (found.len() == 1).then(|| *found.first().expect("one element"))
    }

    /// States given with `--tf-dir` whose resources no scanned directory
    /// declares (a wrong or missing `--tf-dir`): worth a warning.
    pub fn unresolved_states(&self) -> &[String] {
        &self.unresolved
    }

    /// Managed resource instances known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_candidates_follow_the_arn_kind() {
        let (types, values) =
            ident_candidates("arn:aws:ssm:eu-central-1:1:parameter/edp/nexus/pw").unwrap();
        assert_eq!(types, &["aws_ssm_parameter"]);
        assert_eq!(values, vec!["edp/nexus/pw", "/edp/nexus/pw"]);
        let (_, values) =
            ident_candidates("arn:aws:wafv2:eu-central-1:1:regional/webacl/ExternalACL/2b7c1e44")
                .unwrap();
        assert_eq!(
            values,
            vec!["webacl/ExternalACL/2b7c1e44", "ExternalACL", "2b7c1e44"]
        );
        let (types, values) = ident_candidates("arn:aws:s3:::my-bucket").unwrap();
        assert_eq!(types, &["aws_s3_bucket"]);
        assert_eq!(values, vec!["my-bucket"]);
        let (_, values) = ident_candidates("arn:aws:rds:eu-central-1:1:db:nexus-db").unwrap();
        assert_eq!(values, vec!["nexus-db"]);
        assert!(ident_candidates("arn:aws:sqs:eu-central-1:1:queue").is_none());
        assert!(arn_parts("not-an-arn").is_none());
    }

    #[test]
    fn account_root_and_non_arns_are_not_resources() {
        let locations = Locations::default();
        assert_eq!(
            locations.locate("1", "arn:aws:iam::571293840655:root"),
            Located::NotAResource
        );
        assert_eq!(locations.locate("1", "organization"), Located::NotAResource);
        assert_eq!(
            locations.locate("1", "arn:aws:eks:eu-central-1:1:cluster/x"),
            Located::Unmanaged
        );
    }
}
