//! What keeps a rule from taking down a run. User rules (`--rules-dir`) are
//! code, and a mistake in one (a runaway recursion, a comprehension over a
//! cartesian product, `numbers.range(1, 1e12)`) must end as a message naming
//! the rule, never as an abort, a hang or an out-of-memory kill:
//!
//! - every evaluation of one rule over one account runs under regorus's own
//!   cooperative time limit ([`RuleLimits::time`], `--rule-time-limit`);
//! - the builtins that build a collection in one step from two numbers
//!   (`numbers.range`, `numbers.range_step`) are replaced by bounded ones,
//!   since no time check runs inside a builtin;
//! - parsing and evaluation run on threads with a large stack ([`run`]), and a
//!   rule file nested deeper than [`MAX_NESTING`] is refused before parsing;
//! - regorus's multi-line diagnostics are folded into one line naming file,
//!   line and column ([`one_line`]).

use anyhow::{bail, Result};
use regorus::{Engine, Value};
use std::num::NonZeroU32;
use std::sync::OnceLock;
use std::time::Duration;

/// Limits on one rule's evaluation over one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleLimits {
    /// Wall-clock time; the rule is then reported as not evaluated there.
    pub time: Duration,
}

/// `--rule-time-limit`'s default: the built-in rules take milliseconds.
pub const DEFAULT_RULE_TIME_LIMIT: Duration = Duration::from_secs(10);

impl Default for RuleLimits {
    fn default() -> Self {
        RuleLimits {
            time: DEFAULT_RULE_TIME_LIMIT,
        }
    }
}

/// The most items `numbers.range` and `numbers.range_step` may build.
pub const MAX_RANGE_ITEMS: i64 = 1_000_000;

/// The deepest bracket nesting a rule file may have.
pub const MAX_NESTING: usize = 100;

/// The stack of each evaluation thread: regorus recurses on the nesting of
/// the rule and of the data.
const STACK_BYTES: usize = 256 << 20;

/// Runs `work` on the evaluation thread pool (large stacks); rayon work
/// inside it stays on that pool.
pub fn run<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("archaudit-rules-{i}"))
            .stack_size(STACK_BYTES)
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        // No threads to be had: evaluate on the caller's.
        None => work(),
    }
}

/// Applies the limits to an engine (clones inherit them).
pub fn apply(engine: &mut Engine, limits: &RuleLimits) -> Result<()> {
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: limits.time,
        check_interval: NonZeroU32::new(64).expect("non-zero"),
    });
    // Calls to these names reach the bounded versions before the builtins.
    engine.add_extension("numbers.range".to_string(), 2, Box::new(range))?;
    engine.add_extension("numbers.range_step".to_string(), 3, Box::new(range_step))?;
    Ok(())
}

/// `numbers.range(a, b)`: the integers from a to b, both included, at most
/// [`MAX_RANGE_ITEMS`] of them; undefined for a non-integer bound, like the
/// builtin.
fn range(args: Vec<Value>) -> Result<Value> {
    let [a, b] = integers("numbers.range", &args)?;
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(Value::Undefined);
    };
    stepped("numbers.range", a, b, 1)
}

/// `numbers.range_step(a, b, step)`: from a towards b by a positive step.
fn range_step(args: Vec<Value>) -> Result<Value> {
    let [a, b, step] = integers("numbers.range_step", &args)?;
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(Value::Undefined);
    };
    match step {
        Some(step) if step > 0 => stepped("numbers.range_step", a, b, step),
        _ => bail!("numbers.range_step: the step must be a positive integer"),
    }
}

/// The integer value of each argument (`None` for a number that is not one).
fn integers<const N: usize>(name: &str, args: &[Value]) -> Result<[Option<i64>; N]> {
    let mut out = [None; N];
    if args.len() != N {
        bail!("{name}: expects {N} arguments");
    }
    for (slot, arg) in out.iter_mut().zip(args) {
        let Value::Number(n) = arg else {
            bail!("{name}: expects numbers, got {arg}");
        };
        *slot = if n.is_integer() { n.as_i64() } else { None };
    }
    Ok(out)
}

/// From `a` to `b` (either way) by `step`, refusing more than [`MAX_RANGE_ITEMS`].
fn stepped(name: &str, a: i64, b: i64, step: i64) -> Result<Value> {
    let span = i128::from(b) - i128::from(a);
    let items = span.abs() / i128::from(step) + 1;
    if items > i128::from(MAX_RANGE_ITEMS) {
        bail!("{name}: {items} numbers, more than the {MAX_RANGE_ITEMS} a rule may build at once");
    }
    let step = if span >= 0 { step } else { -step };
    let values: Vec<Value> = (0..items as i64)
        .map(|i| Value::from(a + i * step))
        .collect();
    Ok(Value::from(values))
}

/// Refuses a rule source nested deeper than [`MAX_NESTING`] brackets (the
/// parser recurses on each), naming the line and column where it gets too
/// deep. Comments and strings do not count.
pub fn check_nesting(path: &str, source: &str) -> Result<()> {
    let mut depth = 0usize;
    let (mut line, mut col) = (1usize, 0usize);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                line += 1;
                col = 0;
            }
            '#' => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '"' | '`' => {
                // A string: `"` with escapes, or a raw string in backticks.
                while let Some(s) = chars.next() {
                    col += 1;
                    match s {
                        '\\' if c == '"' => {
                            chars.next();
                            col += 1;
                        }
                        '\n' => {
                            line += 1;
                            col = 0;
                        }
                        s if s == c => break,
                        _ => {}
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    bail!(
                        "{path}:{line}:{col}: nested deeper than {MAX_NESTING} brackets; \
                         split the expression into helper rules"
                    );
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Folds a regorus diagnostic into one line: each `--> file:line:col` block
/// with its source excerpt becomes `file:line:col: message`, and the parts
/// are joined with `; `.
pub fn one_line(diagnostic: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut location: Option<&str> = None;
    for line in diagnostic.lines() {
        let trimmed = line.trim();
        if let Some(at) = trimmed.strip_prefix("--> ") {
            location = Some(at);
            continue;
        }
        // The excerpt: `  |`, `4 | deny ...`, `  |     ^`.
        if let Some((head, _)) = trimmed.split_once('|') {
            if head.trim().bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
        }
        if trimmed.is_empty() {
            continue;
        }
        let message = trimmed
            .strip_prefix("error: ")
            .or_else(|| trimmed.strip_prefix("warning: "))
            .unwrap_or(trimmed);
        match location.take() {
            Some(at) => parts.push(format!("{at}: {message}")),
            None => parts.push(message.to_string()),
        }
    }
    if let Some(at) = location {
        parts.push(at.to_string());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_fold_into_one_line() {
        let text = "\n--> rules/x.rego:4:21\n  |\n4 | deny contains f if {\n  |                     ^\nerror: expecting `}`";
        assert_eq!(one_line(text), "rules/x.rego:4:21: expecting `}`");
        let two = format!("could not compile{text}\n--> rules/x.rego:9:1\n  |\n9 | y\n  | ^\nerror: var y is unsafe");
        assert_eq!(
            one_line(&two),
            "could not compile; rules/x.rego:4:21: expecting `}`; rules/x.rego:9:1: var y is unsafe"
        );
    }

    #[test]
    fn nesting_is_counted_outside_strings_and_comments() {
        let fine = format!(
            "# {}\nx := \"{}\"\ny := [[1]]\n",
            "(".repeat(500),
            "[".repeat(500)
        );
        check_nesting("a.rego", &fine).unwrap();
        let deep = format!(
            "package p\n\nx := {}1{}\n",
            "(".repeat(150),
            ")".repeat(150)
        );
        assert_eq!(
            check_nesting("a.rego", &deep).unwrap_err().to_string(),
            "a.rego:3:106: nested deeper than 100 brackets; split the expression into helper rules"
        );
    }

    #[test]
    fn ranges_are_bounded_and_keep_the_builtins_results() {
        let n = |v: i64| Value::from(v);
        let ints = |v: Value| -> Vec<i64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect()
        };
        assert_eq!(ints(range(vec![n(1), n(4)]).unwrap()), vec![1, 2, 3, 4]);
        assert_eq!(ints(range(vec![n(2), n(-1)]).unwrap()), vec![2, 1, 0, -1]);
        assert_eq!(
            ints(range_step(vec![n(0), n(10), n(4)]).unwrap()),
            vec![0, 4, 8]
        );
        assert_eq!(
            ints(range_step(vec![n(10), n(0), n(4)]).unwrap()),
            vec![10, 6, 2]
        );
        assert_eq!(
            range(vec![Value::from(1.5), n(3)]).unwrap(),
            Value::Undefined
        );
        assert_eq!(
            range(vec![n(1), n(1_000_000_000_000)])
                .unwrap_err()
                .to_string(),
            "numbers.range: 1000000000000 numbers, more than the 1000000 a rule may build at once"
        );
        assert!(range_step(vec![n(1), n(5), n(0)]).is_err());
    }
}
