//! Built-in rules compiled for regorus's register virtual machine (RVM).
//!
//! The tree-walking interpreter pays for every step of a rule in string
//! paths, map lookups and scope copies; over realistic accounts it is almost
//! all of `check`'s time. The RVM runs the same Rego compiled once per rule
//! to instructions over registers, with regorus's own builtins, several times
//! faster.
//!
//! Only built-in rules run here, and only those the RVM of regorus 0.14.1
//! evaluates as the interpreter does: every rule fixture and both example
//! organizations are evaluated on both engines and must agree, messages
//! included (tests/rule_fixtures.rs, tests/org_fixtures.rs). Known
//! differences, and how the rules avoid them:
//!
//! - a multi-value rule with a key (`index[k] contains v`, how rules build
//!   their indexes) is compiled as a plain set of the values, the key
//!   dropped: a rule with one stays in the interpreter ([`interpreted`]); the
//!   built-in rules build their indexes with the library's `grouped`
//!   (`rules/lib/grouped.rego`, CONTRIBUTING.md) and all run here;
//! - `x := e` with `e` undefined binds `x` where `x` is then only used under
//!   `not` or in a comprehension, an array comprehension keeps undefined
//!   elements, and a comprehension with no iteration is undefined rather than
//!   empty when its body fails: the built-in rules are written so that none
//!   of these arises (see CONTRIBUTING.md).
//!
//! User rules (`--rules-dir`) stay in the interpreter, which applies the
//! bounded `numbers.range` replacements of [`super::limits`] (the RVM calls
//! builtins directly and has no extensions); a built-in rule that calls them
//! stays there too. On the RVM a rule runs under the same time limit per
//! account, checked between instructions, and no instruction cap (its
//! default, 25,000, is a few hundred resources; the time limit bounds a
//! runaway rule).

use super::limits::RuleLimits;
use anyhow::{anyhow, Result};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::vm::{RegoVM, VmError};
use regorus::rvm::Program;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Why a built-in rule's source must stay in the interpreter, if it must.
pub(super) fn interpreted(source: &str) -> Option<&'static str> {
    if source.lines().any(multi_value_head) {
        return Some(
            "a multi-value rule with a key (`x[k] contains v`), \
             which the RVM of regorus 0.14.1 evaluates as a plain set",
        );
    }
    if source.contains("numbers.range") {
        return Some("calls numbers.range, bounded only in the interpreter");
    }
    None
}

/// Whether a line is the head of a multi-value rule with a key:
/// `name[key] contains value` (a rule head starts its line).
fn multi_value_head(line: &str) -> bool {
    let name = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(line.len());
    let rest = &line[name..];
    if name == 0 || !rest.starts_with('[') {
        return false;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let after = rest[i + 1..].trim_start();
                    // `p[k][j] contains v` is one too.
                    return after.starts_with("contains ")
                        || (after.starts_with('[') && multi_value_head(&format!("x{after}")));
                }
            }
            _ => {}
        }
    }
    false
}

/// One rule compiled for the RVM, its entry point the `deny` set, with the
/// library it may import.
pub(super) fn compile(path: &str, source: &str, deny_path: &str) -> Result<Arc<Program>> {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(false);
    for (path, source) in super::LIBRARY {
        engine.add_policy(path.to_string(), source.to_string())?;
    }
    engine.add_policy(path.to_string(), source.to_string())?;
    let policy = engine.compile_with_entrypoint(&deny_path.into())?;
    Compiler::compile_from_policy(&policy, &[deny_path]).map_err(|e| anyhow!("{e}"))
}

/// A virtual machine for one evaluation thread, under the rule limits. The
/// clock is read every 1,024 instructions (tens of microseconds), not every
/// 64: the limit is seconds, and each read costs as much as an instruction.
pub(super) fn machine(limits: &RuleLimits) -> RegoVM {
    let mut vm = RegoVM::new();
    vm.set_max_instructions(usize::MAX);
    vm.set_execution_timer_config(Some(ExecutionTimerConfig {
        limit: limits.time,
        check_interval: NonZeroU32::new(1024).expect("non-zero"),
    }));
    vm
}

/// Runs one rule's program over `input` (shared, not copied); the time limit
/// starts anew with each run.
pub(super) fn run(vm: &mut RegoVM, program: &Arc<Program>, input: &Value) -> Result<Value> {
    vm.load_program(program.clone());
    vm.set_data(Value::new_object())?;
    vm.set_input(input.clone());
    Ok(vm.execute()?)
}

/// Whether an RVM error is its time limit.
pub(super) fn is_time_limit(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<VmError>(),
        Some(VmError::TimeLimitExceeded { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_value_rules_with_a_key_are_recognised() {
        for head in [
            "groups_by_id[id] contains group if {",
            "subnet_users[target.subnet_id] contains sprintf(\"EFS %s\", [fs.id])",
            "a.b[x][y] contains z if {",
            "by_pair[[k, v]] contains x if {",
        ] {
            assert!(multi_value_head(head), "{head}");
        }
        for line in [
            "deny contains finding if {",
            "\tnames := trail_names[bucket.name]",
            "by_id[id] := group if {",
            "# index[k] contains v",
            "x[k] if {",
        ] {
            assert!(!multi_value_head(line), "{line}");
        }
    }

    #[test]
    fn a_runaway_rule_ends_at_the_time_limit() {
        let items: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let source = format!(
            "package p\nimport rego.v1\ns := [{}]\ndeny contains {{\"n\": n}} if {{\n\
             \tn := count([x | some a in s; some b in s; some c in s; some d in s; x := a + b + c + d])\n}}\n",
            items.join(", ")
        );
        let program = compile("p.rego", &source, "data.p.deny").unwrap();
        let limits = RuleLimits {
            time: std::time::Duration::from_millis(200),
        };
        let started = std::time::Instant::now();
        let error = run(&mut machine(&limits), &program, &Value::new_object()).unwrap_err();
        assert!(is_time_limit(&error), "{error:#}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
