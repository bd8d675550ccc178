//! The rule engine: a pure function from a snapshot and the rule catalogue to
//! findings and coverage gaps. It never touches AWS or output.
//!
//! Rules are compiled once into a `regorus` engine; each account is evaluated on
//! a clone of it, in parallel with rayon. A rule sees one account at a time
//! (`input`) plus an org-wide view (`input.org`) for topology rules. A rule's
//! findings in a region whose data it needs was not read are dropped and the
//! rule is reported as not evaluated there: never a silent pass.
//!
//! Rules that list the `terraform` input in their services read
//! `input.terraform` (drift from Terraform state, computed before evaluation):
//! without `--tfstate` they are not run at all, and where a state could not
//! be read they are reported as not evaluated.

pub mod finding;
pub mod rule;
pub mod suppress;

pub use finding::{fingerprint, CoverageGap, Finding, Suppressed};
pub use rule::{parse_rule, Rule, Severity, ANY_ROLE};

use crate::snapshot::{
    is_global_service, AccountSnapshot, CoverageStatus, ErrorClass, Snapshot, GLOBAL_REGION,
};
use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The rule files compiled into the binary: (repository-relative path, source).
const BUILTIN_RULES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The role of an account that matches no architecture role.
pub const UNASSIGNED: &str = "unassigned";

/// The input (not a snapshot section) that drift rules name in `services`.
pub const TERRAFORM_INPUT: &str = "terraform";

/// What rules see as `input.terraform`, per account id. An account absent
/// from `accounts` is outside every given state: drift rules are not run there.
#[derive(Debug, Clone, Default)]
pub struct TerraformInput {
    pub accounts: BTreeMap<String, serde_json::Value>,
    /// States that could not be read: drift rules are not evaluated (fully)
    /// in any account.
    pub errors: Vec<StateError>,
}

/// A Terraform state that could not be read: why, and a message naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    pub class: ErrorClass,
    pub message: String,
}

impl StateError {
    /// The class of a gap for these errors: theirs when they agree, else `Other`.
    fn class_of(errors: &[StateError]) -> ErrorClass {
        match errors {
            [first, rest @ ..] if rest.iter().all(|e| e.class == first.class) => first.class,
            _ => ErrorClass::Other,
        }
    }
}

/// The set of rules in force, sorted by id.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub rules: Vec<Rule>,
}

impl Catalogue {
    /// The built-in rules only.
    pub fn builtin() -> Result<Catalogue> {
        Catalogue::load(&[])
    }

    /// The built-in rules plus every `.rego` file under each of `rules_dirs`.
    pub fn load(rules_dirs: &[PathBuf]) -> Result<Catalogue> {
        let mut rules = Vec::new();
        for (path, source) in BUILTIN_RULES {
            let area = Path::new(path)
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|s| s.to_str())
                .unwrap_or("custom");
            rules.push(parse_rule(path, area, source, true)?);
        }
        for dir in rules_dirs {
            for file in rego_files(dir)? {
                let source = std::fs::read_to_string(&file)
                    .with_context(|| format!("{}: cannot read rule file", file.display()))?;
                let area = file
                    .parent()
                    .filter(|p| *p != dir.as_path())
                    .and_then(|p| p.file_name())
                    .and_then(|s| s.to_str())
                    .unwrap_or("custom");
                rules.push(parse_rule(
                    &file.display().to_string(),
                    area,
                    &source,
                    false,
                )?);
            }
        }
        Catalogue::from_rules(rules)
    }

    /// Checks ids and names are unique and sorts by id.
    pub fn from_rules(mut rules: Vec<Rule>) -> Result<Catalogue> {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        for pair in rules.windows(2) {
            if pair[0].id == pair[1].id {
                bail!(
                    "rule id {} is used by both {} and {}",
                    pair[0].id,
                    pair[0].path,
                    pair[1].path
                );
            }
        }
        for rule in &rules {
            if let Some(other) = names.insert(&rule.name, &rule.path) {
                bail!(
                    "rule name {} is used by both {} and {}",
                    rule.name,
                    other,
                    rule.path
                );
            }
        }
        Ok(Catalogue { rules })
    }

    /// A rule by id (case-insensitive) or name.
    pub fn find(&self, id_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id_or_name) || r.name == id_or_name)
    }

    /// The ids closest to `query`, best first, for "did you mean" messages.
    pub fn suggest(&self, query: &str) -> Vec<&str> {
        let query = query.to_ascii_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .rules
            .iter()
            .map(|r| {
                let by_id = strsim::jaro_winkler(&query, &r.id.to_ascii_lowercase());
                let by_name = strsim::jaro_winkler(&query, &r.name);
                (by_id.max(by_name), r.id.as_str())
            })
            .filter(|(score, _)| *score > 0.7)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, id)| id).collect()
    }

    /// Keeps only the rules for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    /// Parses every rule into one engine, then evaluates each against an empty
    /// account so that errors that only show at evaluation name their file now.
    pub fn compile(&self) -> Result<CompiledRules> {
        let mut engine = regorus::Engine::new();
        engine.set_strict_builtin_errors(false);
        for rule in &self.rules {
            engine
                .add_policy(rule.path.clone(), rule.source.clone())
                .map_err(|e| anyhow!("rule file {}: {e}", rule.path))?;
        }
        let compiled = CompiledRules {
            engine,
            rules: self.rules.clone(),
        };
        let empty = AccountSnapshot::default();
        let org = OrgView::default();
        let mut probe = compiled.engine.clone();
        probe.set_input(account_input(&empty, "", UNASSIGNED, &org, None)?);
        for rule in &compiled.rules {
            let value = probe
                .eval_rule(rule.deny_path())
                .map_err(|e| anyhow!("rule file {}: {e}", rule.path))?;
            if value != regorus::Value::Undefined && value.as_set().is_err() {
                bail!("rule file {}: `deny` must be a set of findings", rule.path);
            }
        }
        Ok(compiled)
    }
}

fn rego_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current)
            .with_context(|| format!("{}: cannot read rules directory", current.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("{}: cannot read rules directory", current.display()))?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rego") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Rules parsed into a `regorus` engine, ready to be cloned per account.
#[derive(Clone)]
pub struct CompiledRules {
    engine: regorus::Engine,
    pub rules: Vec<Rule>,
}

/// An account as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AccountInfo {
    pub id: String,
    pub name: String,
    pub role: String,
    pub resources: usize,
}

/// Everything evaluation produces.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub gaps: Vec<CoverageGap>,
    pub accounts: Vec<AccountInfo>,
    /// Rules evaluated for at least one account.
    pub rules_run: usize,
    pub resources: usize,
    /// (rule, account) pairs where the rule applies.
    pub checks: usize,
    /// Of those, pairs not evaluated in at least one region.
    pub checks_not_evaluated: usize,
    /// The rules evaluated (at least in part) in each account, by account id.
    /// `None` for a run read back from a JSON report, which does not record
    /// them: a report then cannot tell a pass from a rule that did not run.
    #[serde(skip)]
    pub evaluated: Option<BTreeMap<String, BTreeSet<String>>>,
}

/// The org-wide view every rule sees as `input.org`.
#[derive(Debug, Clone, Default, Serialize)]
struct OrgView {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    management_account_id: Option<String>,
    accounts: Vec<OrgAccount>,
}

#[derive(Debug, Clone, Serialize)]
struct OrgAccount {
    id: String,
    name: String,
    role: String,
}

/// The rule input for one account: its sections, plus `account.role`, `now`,
/// `org` and, for accounts a given state manages, `terraform`.
fn account_input(
    account: &AccountSnapshot,
    now: &str,
    role: &str,
    org: &OrgView,
    terraform: Option<&serde_json::Value>,
) -> Result<regorus::Value> {
    let mut value = serde_json::to_value(account)?;
    let object = value
        .as_object_mut()
        .expect("an account serializes to an object");
    object.remove("coverage");
    if let Some(acct) = object.get_mut("account").and_then(|a| a.as_object_mut()) {
        acct.insert("role".into(), role.into());
    }
    object.insert("now".into(), now.into());
    object.insert("org".into(), serde_json::to_value(org)?);
    if let Some(terraform) = terraform {
        object.insert(TERRAFORM_INPUT.into(), terraform.clone());
    }
    Ok(regorus::Value::from(value))
}

/// What could be read for one account.
/// A coverage entry's status, error class and message.
type EntryState<'a> = (CoverageStatus, Option<ErrorClass>, Option<&'a str>);

struct Coverage<'a> {
    entries: BTreeMap<(&'a str, &'a str), EntryState<'a>>,
    /// Set when the whole account could not be read (e.g. the role could not be assumed).
    account_error: Option<(ErrorClass, Option<&'a str>)>,
    regions: &'a [String],
}

/// Why a (region, service) cannot be used: the gap key and its error.
type Missing<'a> = ((String, String), ErrorClass, Option<&'a str>);

impl<'a> Coverage<'a> {
    fn new(account: &'a AccountSnapshot) -> Self {
        let mut entries = BTreeMap::new();
        let mut account_error = None;
        for e in &account.coverage {
            if e.service == "account" {
                if e.status == CoverageStatus::Error {
                    account_error =
                        Some((e.error.unwrap_or(ErrorClass::Other), e.message.as_deref()));
                }
                continue;
            }
            entries.insert(
                (e.region.as_str(), e.service.as_str()),
                (e.status, e.error, e.message.as_deref()),
            );
        }
        Coverage {
            entries,
            account_error,
            regions: &account.regions,
        }
    }

    /// `None` when `service` was read in `region`, else why not.
    fn check(&self, region: &str, service: &str) -> Option<Missing<'a>> {
        let region = if is_global_service(service) {
            GLOBAL_REGION
        } else {
            region
        };
        match self.entries.get(&(region, service)) {
            Some((CoverageStatus::Ok, _, _)) => None,
            Some((CoverageStatus::Error, error, message)) => Some((
                (region.to_string(), service.to_string()),
                error.unwrap_or(ErrorClass::Other),
                *message,
            )),
            None => Some(match self.account_error {
                Some((error, message)) => (
                    (GLOBAL_REGION.to_string(), "account".to_string()),
                    error,
                    message,
                ),
                None => (
                    (region.to_string(), service.to_string()),
                    ErrorClass::NotCollected,
                    None,
                ),
            }),
        }
    }

    /// Everything a rule needs in `region` (or in every region, for `global`)
    /// that was not read.
    fn missing_for(&self, rule: &Rule, region: &str) -> Vec<Missing<'a>> {
        let regions: Vec<&str> = if region == GLOBAL_REGION {
            self.regions.iter().map(String::as_str).collect()
        } else {
            vec![region]
        };
        let mut out = Vec::new();
        for service in rule.services.iter().filter(|s| *s != TERRAFORM_INPUT) {
            if is_global_service(service) || regions.is_empty() {
                out.extend(self.check(GLOBAL_REGION, service));
            } else {
                for r in &regions {
                    out.extend(self.check(r, service));
                }
            }
        }
        out
    }
}

/// The region of a finding: the rule's `region`, else the ARN's, else `global`.
fn finding_region(explicit: Option<&str>, resource: &str) -> String {
    if let Some(r) = explicit.filter(|r| !r.is_empty()) {
        return r.to_string();
    }
    match resource.split(':').nth(3) {
        Some(r) if resource.starts_with("arn:") && !r.is_empty() => r.to_string(),
        _ => GLOBAL_REGION.to_string(),
    }
}

/// A gap's error, message and the rules it kept from being evaluated.
type GapState = (ErrorClass, Option<String>, BTreeSet<String>);

struct AccountResult {
    findings: Vec<Finding>,
    gaps: BTreeMap<(String, String), GapState>,
    rules_evaluated: BTreeSet<String>,
    checks: usize,
    checks_not_evaluated: usize,
}

impl CompiledRules {
    /// Evaluates every rule over every account. `roles` maps account ids to
    /// architecture roles; accounts not in it are unassigned.
    pub fn evaluate(
        &self,
        snapshot: &Snapshot,
        roles: &BTreeMap<String, String>,
    ) -> Result<Evaluation> {
        self.evaluate_with(snapshot, roles, None)
    }

    /// [`evaluate`](Self::evaluate), with drift from Terraform for the rules
    /// that read `input.terraform` (`None`: those rules are not run).
    pub fn evaluate_with(
        &self,
        snapshot: &Snapshot,
        roles: &BTreeMap<String, String>,
        terraform: Option<&TerraformInput>,
    ) -> Result<Evaluation> {
        let role_of = |id: &str| roles.get(id).map(String::as_str);
        let org = OrgView {
            id: snapshot.organization.as_ref().map(|o| o.id.clone()),
            management_account_id: snapshot
                .organization
                .as_ref()
                .map(|o| o.management_account_id.clone()),
            accounts: snapshot
                .accounts
                .iter()
                .map(|a| OrgAccount {
                    id: a.account.id.clone(),
                    name: a.account.name.clone(),
                    role: role_of(&a.account.id).unwrap_or(UNASSIGNED).to_string(),
                })
                .collect(),
        };

        let results = snapshot
            .accounts
            .par_iter()
            .map_init(
                || self.engine.clone(),
                |engine, account| {
                    self.evaluate_account(
                        engine,
                        account,
                        role_of(&account.account.id),
                        &snapshot.generated_at,
                        &org,
                        terraform,
                    )
                },
            )
            .collect::<Result<Vec<_>>>()?;

        let mut findings = Vec::new();
        let mut gaps = Vec::new();
        let mut rules_run = BTreeSet::new();
        let mut evaluated = BTreeMap::new();
        let (mut checks, mut checks_not_evaluated) = (0, 0);
        for (account, result) in snapshot.accounts.iter().zip(results) {
            findings.extend(result.findings);
            rules_run.extend(result.rules_evaluated.iter().cloned());
            evaluated.insert(account.account.id.clone(), result.rules_evaluated);
            checks += result.checks;
            checks_not_evaluated += result.checks_not_evaluated;
            for ((region, service), (error, message, rules)) in result.gaps {
                gaps.push(CoverageGap {
                    account_id: account.account.id.clone(),
                    region,
                    service,
                    error,
                    message,
                    rules_not_evaluated: rules.into_iter().collect(),
                });
            }
        }
        findings.sort_by(|a, b| {
            (
                b.severity,
                &a.account_id,
                &a.rule_id,
                &a.region,
                &a.resource,
                &a.message,
            )
                .cmp(&(
                    a.severity,
                    &b.account_id,
                    &b.rule_id,
                    &b.region,
                    &b.resource,
                    &b.message,
                ))
        });
        findings.dedup();

        Ok(Evaluation {
            findings,
            gaps,
            accounts: snapshot
                .accounts
                .iter()
                .map(|a| AccountInfo {
                    id: a.account.id.clone(),
                    name: a.account.name.clone(),
                    role: role_of(&a.account.id).unwrap_or(UNASSIGNED).to_string(),
                    resources: a.resource_count(),
                })
                .collect(),
            rules_run: rules_run.len(),
            resources: snapshot.resource_count(),
            checks,
            checks_not_evaluated,
            evaluated: Some(evaluated),
        })
    }

    fn evaluate_account(
        &self,
        engine: &mut regorus::Engine,
        account: &AccountSnapshot,
        role: Option<&str>,
        now: &str,
        org: &OrgView,
        terraform: Option<&TerraformInput>,
    ) -> Result<AccountResult> {
        let id = &account.account.id;
        let role_name = role.unwrap_or(UNASSIGNED);
        let coverage = Coverage::new(account);
        let mut result = AccountResult {
            findings: Vec::new(),
            gaps: BTreeMap::new(),
            rules_evaluated: BTreeSet::new(),
            checks: 0,
            checks_not_evaluated: 0,
        };
        // Every coverage error is reported, whether or not a rule needed it.
        for e in &account.coverage {
            if e.status == CoverageStatus::Error {
                result.gaps.insert(
                    (e.region.clone(), e.service.clone()),
                    (
                        e.error.unwrap_or(ErrorClass::Other),
                        e.message.clone(),
                        BTreeSet::new(),
                    ),
                );
            }
        }

        let drift = terraform.and_then(|t| t.accounts.get(id));
        engine.set_input(account_input(account, now, role_name, org, drift)?);
        for rule in self.rules.iter().filter(|r| r.applies_to(role)) {
            if rule.reads_terraform() {
                let errors = terraform.map_or(&[][..], |t| t.errors.as_slice());
                if drift.is_none() && errors.is_empty() {
                    // No state given, or none manages this account.
                    continue;
                }
                if !errors.is_empty() {
                    result.checks_not_evaluated += 1;
                    result
                        .gaps
                        .entry((GLOBAL_REGION.to_string(), TERRAFORM_INPUT.to_string()))
                        .or_insert_with(|| {
                            let messages: Vec<&str> =
                                errors.iter().map(|e| e.message.as_str()).collect();
                            (
                                StateError::class_of(errors),
                                Some(messages.join("; ")),
                                BTreeSet::new(),
                            )
                        })
                        .2
                        .insert(rule.id.clone());
                }
                if drift.is_none() {
                    result.checks += 1;
                    continue;
                }
            }
            result.checks += 1;
            let missing = coverage.missing_for(rule, GLOBAL_REGION);
            if !missing.is_empty() {
                result.checks_not_evaluated += 1;
                for (key, error, message) in missing {
                    result
                        .gaps
                        .entry(key)
                        .or_insert_with(|| (error, message.map(str::to_string), BTreeSet::new()))
                        .2
                        .insert(rule.id.clone());
                }
            }
            // Everything this rule needs is unread everywhere: nothing to evaluate.
            if account
                .regions
                .iter()
                .all(|r| !coverage.missing_for(rule, r).is_empty())
                && !coverage.missing_for(rule, GLOBAL_REGION).is_empty()
            {
                continue;
            }
            result.rules_evaluated.insert(rule.id.clone());
            let value = engine
                .eval_rule(rule.deny_path())
                .map_err(|e| anyhow!("rule file {} failed on account {id}: {e}", rule.path))?;
            for item in deny_items(&value, rule)? {
                let region = finding_region(item.region.as_deref(), &item.resource);
                // Data the finding rests on was not (fully) read: not evaluated there.
                if !coverage.missing_for(rule, &region).is_empty() {
                    continue;
                }
                result.findings.push(Finding {
                    fingerprint: fingerprint(&rule.id, id, &region, &item.resource),
                    rule_id: rule.id.clone(),
                    rule_name: rule.name.clone(),
                    severity: rule.severity,
                    account_id: id.clone(),
                    account_name: account.account.name.clone(),
                    account_role: role_name.to_string(),
                    region,
                    resource: item.resource,
                    message: item.message,
                    terraform_address: item.address,
                });
            }
        }
        Ok(result)
    }
}

struct DenyItem {
    resource: String,
    message: String,
    region: Option<String>,
    address: Option<String>,
}

/// Reads a rule's `deny` set: objects with `resource` and `message` strings, an
/// optional `region`, and an optional `address`: the Terraform block that holds
/// what the finding is about, when that is not the resource's own block.
fn deny_items(value: &regorus::Value, rule: &Rule) -> Result<Vec<DenyItem>> {
    if *value == regorus::Value::Undefined {
        return Ok(Vec::new());
    }
    let set = value
        .as_set()
        .map_err(|_| anyhow!("rule file {}: `deny` must be a set of findings", rule.path))?;
    set.iter()
        .map(|item| {
            let field = |name: &str| -> Option<String> {
                match &item[name] {
                    regorus::Value::String(s) => Some(s.to_string()),
                    _ => None,
                }
            };
            let (Some(resource), Some(message)) = (field("resource"), field("message")) else {
                bail!(
                    "rule file {}: a finding must be an object with string `resource` and `message`, got {item}",
                    rule.path
                );
            };
            Ok(DenyItem {
                resource,
                message,
                region: field("region"),
                address: field("address"),
            })
        })
        .collect()
}
