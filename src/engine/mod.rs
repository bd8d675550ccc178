//! The rule engine: a pure function from a snapshot and the rule catalogue to
//! findings and coverage gaps. It never touches AWS or output.
//!
//! Rules are compiled once into a `regorus` engine, and the built-in ones also
//! each to a program for regorus's register VM, which runs them several times
//! faster (see `vm.rs`); each account is evaluated on a clone of the engine and
//! a VM of its thread's, in parallel with rayon, and released once evaluated
//! (accounts may come streamed from a file: see
//! [`CompiledRules::evaluate_accounts`]).
//! A rule sees one account at a time (`input`) plus an org-wide view
//! (`input.org`) for topology rules. A rule's
//! findings in a region whose data it needs was not read are dropped and the
//! rule is reported as not evaluated there: never a silent pass.
//!
//! A rule that fails or exceeds a limit over an account (see [`limits`]) is
//! reported as not evaluated there (a `rules` coverage gap naming it) and the
//! run goes on; a user rule that cannot be parsed, recurses or fails over an
//! empty account is an error naming its file when the catalogue is compiled.
//!
//! Rules that list the `terraform` input in their services read
//! `input.terraform` (drift from Terraform state, computed before evaluation):
//! without `--tfstate` they are not run at all, and where a state could not
//! be read they are reported as not evaluated.

pub mod finding;
mod input;
pub mod limits;
mod recursion;
pub mod rule;
mod selection;
pub mod suppress;
mod vm;

pub use finding::{fingerprint, CoverageGap, Finding, Suppressed};
pub use limits::RuleLimits;
pub use rule::{parse_rule, Rule, Severity, ANY_ROLE};

/// Turns off the backtraces that `anyhow` captures for library errors, unless
/// `RUST_LIB_BACKTRACE` asks for them. regorus reports ordinary outcomes of
/// an evaluation (a reference that is not a static path, an undefined lookup)
/// as `anyhow` errors, and with `RUST_BACKTRACE=1` in the environment each of
/// them captured a backtrace: 5-11% of `check`'s CPU over 100 realistic
/// accounts (A/B medians on a busy and on an idle machine). archaudit prints
/// an error as one line, never its backtrace, and panics still follow
/// `RUST_BACKTRACE`.
///
/// Call it first in `main`, before any thread starts: it sets an environment
/// variable.
pub fn no_library_backtraces() {
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
}

use crate::limits::{read_text, MAX_RULE_FILE_BYTES};
use crate::snapshot::{
    is_global_service, AccountSnapshot, CoverageStatus, ErrorClass, Snapshot, GLOBAL_REGION,
};
use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The rule files compiled into the binary: (repository-relative path, source).
const BUILTIN_RULES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The Rego library every rule may import (`rules/lib/`, package
/// `archaudit.lib`): helpers written once, loaded beside the rules in the
/// interpreter and compiled into each rule's RVM program.
pub(crate) const LIBRARY: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_library.rs"));

/// The role of an account that matches no architecture role.
pub const UNASSIGNED: &str = "unassigned";

/// The coverage-gap service of rules that failed in an account (with
/// [`ErrorClass::RuleFailed`]).
pub const RULES_GAP: &str = "rules";

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

/// The set of rules in force, sorted by id, and the limits they run under.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub rules: Vec<Rule>,
    pub limits: RuleLimits,
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
                let source = read_text(&file, "rule file", MAX_RULE_FILE_BYTES)?;
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
        Ok(Catalogue {
            rules,
            limits: RuleLimits::default(),
        })
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
    /// Parsing and the probe run under the rule limits, on the evaluation
    /// threads.
    pub fn compile(&self) -> Result<CompiledRules> {
        limits::run(|| self.compile_here())
    }

    fn compile_here(&self) -> Result<CompiledRules> {
        let mut engine = regorus::Engine::new();
        engine.set_strict_builtin_errors(false);
        limits::apply(&mut engine, &self.limits)?;
        for rule in &self.rules {
            limits::check_nesting(&rule.path, &rule.source)
                .map_err(|e| anyhow!("rule file {e}"))?;
        }
        // The built-in rules are checked by a test; a user's are checked here.
        let user: Vec<(&str, &str)> = self
            .rules
            .iter()
            .filter(|r| !r.builtin)
            .map(|r| (r.path.as_str(), r.source.as_str()))
            .collect();
        recursion::check(&user)
            .map_err(|e| anyhow!("rule file {}", limits::one_line(&e.to_string())))?;
        for (path, source) in LIBRARY {
            engine.add_policy(path.to_string(), source.to_string())?;
        }
        for rule in &self.rules {
            engine
                .add_policy(rule.path.clone(), rule.source.clone())
                .map_err(|e| rule_error(rule, &e, &self.limits))?;
        }
        // Built-in rules run on the RVM, but for those it would evaluate
        // differently or without the interpreter's guards (see `vm`).
        // (program, or why the interpreter runs it) for each rule.
        let (programs, interpreted): (Vec<_>, Vec<_>) = self
            .rules
            .par_iter()
            .map(|rule| {
                if !rule.builtin {
                    return (None, None);
                }
                if let Some(why) = vm::interpreted(&rule.source) {
                    return (None, Some((rule.id.clone(), why.to_string())));
                }
                match vm::compile(&rule.path, &rule.source, &rule.deny_path()) {
                    Ok(program) => (Some(program), None),
                    Err(e) => {
                        let why = limits::one_line(&e.to_string());
                        let why = format!("the RVM compiler refuses it: {why}");
                        (None, Some((rule.id.clone(), why)))
                    }
                }
            })
            .unzip();
        let interpreted = interpreted.into_iter().flatten().collect();
        let mut compiled = CompiledRules {
            engine,
            programs,
            interpreted,
            rules: self.rules.clone(),
            limits: self.limits,
        };
        let empty = AccountSnapshot::default();
        let org = OrgView::default().input()?;
        let input = account_input(&empty, "", UNASSIGNED, &org, None)?;
        let mut probe = compiled.evaluator();
        probe.engine.set_input(input.clone());
        for (rule, program) in compiled.rules.iter().zip(&compiled.programs) {
            probe
                .eval_guarded(rule, program.as_ref(), &input, &self.limits)
                .map_err(|f| anyhow!("rule file {} (over an empty account)", f.message))?;
        }
        // The probe's engine is now prepared (regorus analyses every module on
        // the first evaluation and keeps the result): each clone starts from
        // there instead of analysing the catalogue again.
        compiled.engine = probe.engine;
        Ok(compiled)
    }
}

/// A rule's parse or evaluation error as one line naming its file (and, from
/// the parser, line and column).
fn rule_error(rule: &Rule, error: &anyhow::Error, limits: &RuleLimits) -> anyhow::Error {
    anyhow!("rule file {}", located(rule, &describe(error, limits)))
}

/// `path:line:col: message` when the message names a place in the rule's
/// file, else `path: message`.
fn located(rule: &Rule, message: &str) -> String {
    if message.starts_with(&format!("{}:", rule.path)) {
        message.to_string()
    } else {
        format!("{}: {message}", rule.path)
    }
}

/// Whether an engine error (interpreter or RVM) is its time limit.
fn is_time_limit(error: &anyhow::Error) -> bool {
    vm::is_time_limit(error)
        || matches!(
            error.downcast_ref::<regorus::LimitError>(),
            Some(regorus::LimitError::TimeLimitExceeded { .. })
        )
}

/// An engine error in one line; a time limit says which limit.
fn describe(error: &anyhow::Error, limits: &RuleLimits) -> String {
    if is_time_limit(error) {
        return format!(
            "exceeded the time limit of {} s for one rule over one account (--rule-time-limit)",
            limits.time.as_secs_f64()
        );
    }
    limits::one_line(&format!("{error:#}"))
}

/// Why a rule could not be evaluated: one line naming its file.
#[derive(Debug, Clone)]
struct Failure {
    message: String,
    /// It ran out of time: evaluating it again elsewhere would too.
    time_limit: bool,
}

/// What one evaluation thread evaluates rules with: the interpreter, holding
/// the account's input, and the RVM for the rules compiled to it.
struct Evaluator {
    engine: regorus::Engine,
    vm: regorus::rvm::vm::RegoVM,
}

impl Evaluator {
    /// Evaluates one rule (on the RVM when it has a `program`, else in the
    /// interpreter; both over `input`) and reads its findings.
    fn eval_guarded(
        &mut self,
        rule: &Rule,
        program: Option<&Arc<regorus::rvm::Program>>,
        input: &regorus::Value,
        limits: &RuleLimits,
    ) -> Result<Vec<DenyItem>, Failure> {
        let Evaluator { engine, vm } = self;
        eval_guarded(rule, limits, || match program {
            Some(program) => vm::run(vm, program, input),
            None => engine.eval_rule(rule.deny_path()),
        })
    }
}

/// Runs `eval` (one rule's evaluation) and reads its findings. An error (a
/// limit, a failing builtin, a panic inside the engine, findings of the
/// wrong shape) comes back as a [`Failure`].
fn eval_guarded(
    rule: &Rule,
    limits: &RuleLimits,
    eval: impl FnOnce() -> Result<regorus::Value>,
) -> Result<Vec<DenyItem>, Failure> {
    let failure = |message: String, time_limit| Failure {
        message: located(rule, &message),
        time_limit,
    };
    let value = match catch_unwind(AssertUnwindSafe(eval)) {
        Ok(Ok(value)) => value,
        Ok(Err(e)) => return Err(failure(describe(&e, limits), is_time_limit(&e))),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            return Err(failure(format!("the rule engine failed: {what}"), false));
        }
    };
    deny_items(&value).map_err(|message| failure(message, false))
}

fn rego_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current)
            .with_context(|| format!("{}: cannot read rules directory", current.display()))?;
        for entry in entries {
            let entry = entry
                .with_context(|| format!("{}: cannot read rules directory", current.display()))?;
            let path = entry.path();
            // Symlinked directories are not followed (no cycles, like --tf-dir);
            // a symlinked file is read.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rego") && path.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Rules parsed into a `regorus` engine, ready to be cloned per account, and
/// the built-in ones compiled for the RVM.
#[derive(Clone)]
pub struct CompiledRules {
    /// The interpreter, prepared, for the rules without a program.
    engine: regorus::Engine,
    /// Each rule's RVM program, by position in `rules`; `None` for the rules
    /// the interpreter runs.
    programs: Vec<Option<Arc<regorus::rvm::Program>>>,
    /// Built-in rules the interpreter runs instead of the RVM: (id, why).
    pub interpreted: Vec<(String, String)>,
    pub rules: Vec<Rule>,
    limits: RuleLimits,
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

impl OrgView {
    /// The view as rule input, converted once per run: every account's input
    /// shares it (a regorus value is reference-counted), so an organization
    /// of N accounts costs N entries, not N per account.
    fn input(&self) -> Result<regorus::Value> {
        Ok(input::to_input(self)?)
    }
}

/// The rule input for one account: its sections, plus `account.role`, `now`,
/// `org` (the run's [`OrgView::input`]) and, for accounts a given state
/// manages, `terraform`.
fn account_input(
    account: &AccountSnapshot,
    now: &str,
    role: &str,
    org: &regorus::Value,
    terraform: Option<&serde_json::Value>,
) -> Result<regorus::Value> {
    let sections = input::to_input(account)?;
    let mut input = BTreeMap::new();
    for (key, value) in sections.as_object()?.iter() {
        match key.as_string()?.as_ref() {
            "coverage" => {}
            "account" => {
                let mut value = value.clone();
                value.as_object_mut()?.insert("role".into(), role.into());
                input.insert(key.clone(), value);
            }
            _ => {
                input.insert(key.clone(), value.clone());
            }
        }
    }
    input.insert("now".into(), now.into());
    if let Some(terraform) = terraform {
        input.insert(TERRAFORM_INPUT.into(), input::to_input(terraform)?);
    }
    input.insert("org".into(), org.clone());
    Ok(regorus::Value::from(input))
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

/// What every account's evaluation in one run shares.
struct RunContext<'a> {
    /// The snapshot's `generated_at`, the rules' notion of now.
    now: &'a str,
    /// The [`OrgView`] as rule input.
    org: regorus::Value,
    terraform: Option<&'a TerraformInput>,
    /// Rules that ran out of time in some account, by rule id.
    timed_out: Mutex<BTreeMap<String, Failure>>,
}

struct AccountResult {
    findings: Vec<Finding>,
    gaps: BTreeMap<(String, String), GapState>,
    rules_evaluated: BTreeSet<String>,
    checks: usize,
    /// Rules not evaluated (fully) here: each is one check not evaluated.
    not_evaluated: BTreeSet<String>,
}

impl AccountResult {
    /// Records a rule that failed here as not evaluated, in the `rules` gap.
    fn rule_failed(&mut self, rule: &str, message: &str) {
        self.not_evaluated.insert(rule.to_string());
        let gap = self
            .gaps
            .entry((GLOBAL_REGION.to_string(), RULES_GAP.to_string()))
            .or_insert_with(|| (ErrorClass::RuleFailed, None, BTreeSet::new()));
        let line = format!("{rule}: {message}");
        gap.1 = Some(match gap.1.take() {
            Some(before) => format!("{before}; {line}"),
            None => line,
        });
        gap.2.insert(rule.to_string());
    }
}

impl CompiledRules {
    /// A thread's evaluator: a clone of the prepared interpreter, a VM.
    fn evaluator(&self) -> Evaluator {
        Evaluator {
            engine: self.engine.clone(),
            vm: vm::machine(&self.limits),
        }
    }

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
        self.evaluate_accounts(snapshot, snapshot.accounts.iter().map(Ok), roles, terraform)
    }

    /// Evaluates the accounts `accounts` yields, each released once
    /// evaluated, so that a snapshot streamed from a file (see
    /// [`crate::snapshot::SnapshotStream`]) is never held whole. `outline`
    /// gives the run's `now`, the organization and every account's identity
    /// (its sections are not read); `accounts` must yield the same accounts,
    /// in any order. An error from `accounts` ends the evaluation with it.
    pub fn evaluate_accounts<A, I>(
        &self,
        outline: &Snapshot,
        accounts: I,
        roles: &BTreeMap<String, String>,
        terraform: Option<&TerraformInput>,
    ) -> Result<Evaluation>
    where
        A: Borrow<AccountSnapshot> + Send,
        I: Iterator<Item = Result<A>> + Send,
    {
        let role_of = |id: &str| roles.get(id).map(String::as_str);
        let org = OrgView {
            id: outline.organization.as_ref().map(|o| o.id.clone()),
            management_account_id: outline
                .organization
                .as_ref()
                .map(|o| o.management_account_id.clone()),
            accounts: outline
                .accounts
                .iter()
                .map(|a| OrgAccount {
                    id: a.account.id.clone(),
                    name: a.account.name.clone(),
                    role: role_of(&a.account.id).unwrap_or(UNASSIGNED).to_string(),
                })
                .collect(),
        };

        let run = RunContext {
            now: &outline.generated_at,
            org: org.input()?,
            terraform,
            timed_out: Mutex::new(BTreeMap::new()),
        };
        let mut results = limits::run(|| {
            accounts
                .par_bridge()
                .map_init(
                    || self.evaluator(),
                    |evaluator, account| {
                        let account = account?;
                        let account = account.borrow();
                        let role = role_of(&account.account.id);
                        let result = self.evaluate_account(evaluator, account, role, &run)?;
                        let info = AccountInfo {
                            id: account.account.id.clone(),
                            name: account.account.name.clone(),
                            role: role.unwrap_or(UNASSIGNED).to_string(),
                            resources: account.resource_count(),
                        };
                        Ok((info, result))
                    },
                )
                .collect::<Result<Vec<_>>>()
        })?;
        // Accounts finish in any order; the report lists them by id.
        results.sort_by(|a, b| a.0.id.cmp(&b.0.id));

        // A rule that ran out of time is not evaluated anywhere, also where it
        // finished before that, so the report does not depend on which account
        // a thread took first.
        let timed_out = run.timed_out.into_inner().expect("no panic holds it");
        let mut by_account = Vec::with_capacity(results.len());
        let mut gaps = Vec::new();
        let mut rules_run = BTreeSet::new();
        let mut evaluated = BTreeMap::new();
        let mut accounts = Vec::with_capacity(results.len());
        let (mut checks, mut checks_not_evaluated, mut resources) = (0, 0, 0);
        for (account, mut result) in results {
            for (rule, failure) in &timed_out {
                if result.rules_evaluated.remove(rule) {
                    result.findings.retain(|f| &f.rule_id != rule);
                    result.rule_failed(rule, &failure.message);
                }
            }
            by_account.push(result.findings.into_iter().peekable());
            rules_run.extend(result.rules_evaluated.iter().cloned());
            evaluated.insert(account.id.clone(), result.rules_evaluated);
            checks += result.checks;
            checks_not_evaluated += result.not_evaluated.len();
            resources += account.resources;
            for ((region, service), (error, message, rules)) in result.gaps {
                gaps.push(CoverageGap {
                    account_id: account.id.clone(),
                    region,
                    service,
                    error,
                    message,
                    rules_not_evaluated: rules.into_iter().collect(),
                });
            }
            accounts.push(account);
        }
        // The report's order: by severity (most severe first), then account,
        // rule, region, resource and message. Each account's findings come in
        // that order (see `evaluate_account`) and the accounts by id, so
        // taking, severity by severity, each account's run of it is the
        // stable sort of them all, without moving every finding log n times.
        let mut findings = Vec::with_capacity(by_account.iter().map(|f| f.len()).sum());
        while let Some(severity) = by_account
            .iter_mut()
            .filter_map(|f| f.peek().map(|f| f.severity))
            .max()
        {
            for account in &mut by_account {
                while let Some(finding) = account.next_if(|f| f.severity == severity) {
                    findings.push(finding);
                }
            }
        }
        findings.dedup();

        Ok(Evaluation {
            findings,
            gaps,
            accounts,
            rules_run: rules_run.len(),
            resources,
            checks,
            checks_not_evaluated,
            evaluated: Some(evaluated),
        })
    }

    /// One account. A rule that fails here (an error, a limit) is reported
    /// as not evaluated in this account, and the run goes on; a rule that ran
    /// out of time anywhere (in `run.timed_out`, by rule id) is not started
    /// again, so a runaway rule costs its time limit about once per thread,
    /// not once per account.
    fn evaluate_account(
        &self,
        evaluator: &mut Evaluator,
        account: &AccountSnapshot,
        role: Option<&str>,
        run: &RunContext<'_>,
    ) -> Result<AccountResult> {
        let RunContext {
            now,
            org,
            terraform,
            timed_out,
        } = run;
        let terraform = *terraform;
        let id = &account.account.id;
        let account_role = role.unwrap_or(UNASSIGNED);
        let coverage = Coverage::new(account);
        let mut result = AccountResult {
            findings: Vec::new(),
            gaps: BTreeMap::new(),
            rules_evaluated: BTreeSet::new(),
            checks: 0,
            not_evaluated: BTreeSet::new(),
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
        let input = account_input(account, now, account_role, org, drift)?;
        if self.programs.iter().any(Option::is_none) {
            evaluator.engine.set_input(input.clone());
        }
        for (rule, program) in self
            .rules
            .iter()
            .zip(&self.programs)
            .filter(|(r, _)| r.applies_to(role))
        {
            if rule.reads_terraform() {
                let errors = terraform.map_or(&[][..], |t| t.errors.as_slice());
                if drift.is_none() && errors.is_empty() {
                    // No state given, or none manages this account.
                    continue;
                }
                if !errors.is_empty() {
                    result.not_evaluated.insert(rule.id.clone());
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
                result.not_evaluated.insert(rule.id.clone());
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
            let earlier = timed_out
                .lock()
                .expect("no panic holds it")
                .get(&rule.id)
                .cloned();
            let outcome = match earlier {
                Some(failure) => Err(failure),
                None => evaluator
                    .eval_guarded(rule, program.as_ref(), &input, &self.limits)
                    .map_err(|mut failure| {
                        if failure.time_limit {
                            failure.message.push_str("; not evaluated in any account");
                            timed_out
                                .lock()
                                .expect("no panic holds it")
                                .insert(rule.id.clone(), failure.clone());
                        }
                        failure
                    }),
            };
            let items = match outcome {
                Ok(items) => items,
                Err(failure) => {
                    result.rule_failed(&rule.id, &failure.message);
                    continue;
                }
            };
            result.rules_evaluated.insert(rule.id.clone());
            for item in items {
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
                    account_role: account_role.to_string(),
                    region,
                    resource: item.resource,
                    message: item.message,
                    terraform_address: item.address,
                });
            }
        }
        // The report's order within one account (see `evaluate_accounts`);
        // stable, so ties keep the order the rules gave them.
        result.findings.sort_by(|a, b| {
            (b.severity, &a.rule_id, &a.region, &a.resource, &a.message).cmp(&(
                a.severity,
                &b.rule_id,
                &b.region,
                &b.resource,
                &b.message,
            ))
        });
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
fn deny_items(value: &regorus::Value) -> Result<Vec<DenyItem>, String> {
    if *value == regorus::Value::Undefined {
        return Ok(Vec::new());
    }
    let set = value
        .as_set()
        .map_err(|_| "`deny` must be a set of findings".to_string())?;
    set.iter()
        .map(|item| {
            let field = |name: &str| -> Option<String> {
                match &item[name] {
                    regorus::Value::String(s) => Some(s.to_string()),
                    _ => None,
                }
            };
            let (Some(resource), Some(message)) = (field("resource"), field("message")) else {
                let mut shown = item.to_string();
                if shown.len() > 200 {
                    shown = format!("{}…", shown.chars().take(200).collect::<String>());
                }
                return Err(format!(
                    "a finding must be an object with string `resource` and `message`, got {shown}"
                ));
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
