//! Recursive functions in user rules, refused before anything runs. Rego does
//! not allow recursion (OPA rejects it when compiling), and regorus detects it
//! between rules but not between functions: a function that calls itself,
//! directly or through others, recurses until the thread's stack is gone and
//! the process aborts. So the calls between the functions of all rule files
//! are gathered from their syntax trees, and a cycle is an error naming the
//! file, line and column of a call that closes it. A chain of calls longer
//! than [`MAX_CALL_DEPTH`] is refused the same way: each level costs the
//! engine's recursion stack.

use anyhow::{bail, Result};
use regorus::unstable::{Expr, Literal, Module, Parser, Query, Ref, Rule, RuleHead, Source, Span};
use regorus::utils::get_path_string;
use std::collections::{BTreeMap, BTreeSet};

/// A function (by its full path, `data.pkg.f`).
struct Function {
    /// Where it is first defined.
    at: Location,
    /// Full paths of the functions it calls, with where each call is.
    calls: Vec<(String, Location)>,
}

/// The longest chain of calls between user functions: each call takes the
/// engine's recursion (and the thread's stack) one level deeper.
pub const MAX_CALL_DEPTH: usize = 1_000;

/// `file:line:col`.
type Location = String;

fn location(span: &Span) -> Location {
    format!("{}:{}:{}", span.source.file(), span.line, span.col)
}

/// Checks the rule files (path, source) for recursive functions.
pub fn check(files: &[(&str, &str)]) -> Result<()> {
    let mut functions: BTreeMap<String, Function> = BTreeMap::new();
    let mut modules = Vec::new();
    for (path, source) in files {
        let source = Source::from_contents(path.to_string(), source.to_string())?;
        let module = Parser::new(&source)?.parse()?;
        modules.push(module);
    }
    // The defined functions first: a call resolves only to one of them.
    let mut defined = BTreeSet::new();
    for module in &modules {
        let package = package_path(module)?;
        for rule in &module.policy {
            if let Rule::Spec {
                head: RuleHead::Func { refr, .. },
                ..
            } = rule.as_ref()
            {
                defined.insert(format!("{package}.{}", get_path_string(refr, None)?));
            }
        }
    }
    for module in &modules {
        let package = package_path(module)?;
        let aliases = aliases(module)?;
        for rule in &module.policy {
            let Rule::Spec {
                head: RuleHead::Func {
                    refr, args, assign, ..
                },
                bodies,
                ..
            } = rule.as_ref()
            else {
                continue;
            };
            let name = format!("{package}.{}", get_path_string(refr, None)?);
            let mut found = Vec::new();
            for arg in args {
                expr_calls(arg, &mut found);
            }
            if let Some(assign) = assign {
                expr_calls(&assign.value, &mut found);
            }
            for body in bodies {
                if let Some(assign) = &body.assign {
                    expr_calls(&assign.value, &mut found);
                }
                query_calls(&body.query, &mut found);
            }
            let calls: Vec<(String, Location)> = found
                .into_iter()
                .filter_map(|(path, span)| {
                    resolve(&path, &package, &aliases, &defined).map(|p| (p, location(&span)))
                })
                .collect();
            functions
                .entry(name)
                .or_insert_with(|| Function {
                    at: location(refr.span()),
                    calls: Vec::new(),
                })
                .calls
                .extend(calls);
        }
    }
    if let Some(cycle) = find_cycle(&functions) {
        let (names, at) = cycle;
        let short: Vec<&str> = names
            .iter()
            .map(|n| n.rsplit('.').next().unwrap_or(n))
            .collect();
        if short.len() == 2 {
            bail!(
                "{at}: function `{}` calls itself: Rego does not allow recursion",
                short[0]
            );
        }
        bail!(
            "{at}: functions call each other in a cycle ({}): Rego does not allow recursion",
            short.join(" -> ")
        );
    }
    let mut depths = BTreeMap::new();
    for (name, function) in &functions {
        let depth = call_depth(name, &functions, &mut depths);
        if depth > MAX_CALL_DEPTH {
            let short = name.rsplit('.').next().unwrap_or(name);
            bail!(
                "{}: function `{short}` starts a chain of {depth} nested calls, \
                 more than {MAX_CALL_DEPTH}",
                function.at
            );
        }
    }
    Ok(())
}

/// The number of functions in the longest chain of calls from `name` (the
/// graph has no cycle).
fn call_depth(
    name: &str,
    functions: &BTreeMap<String, Function>,
    depths: &mut BTreeMap<String, usize>,
) -> usize {
    if let Some(depth) = depths.get(name) {
        return *depth;
    }
    let mut deepest = 0;
    for (callee, _) in functions.get(name).map_or(&[][..], |f| &f.calls[..]) {
        deepest = deepest.max(call_depth(callee, functions, depths));
    }
    depths.insert(name.to_string(), deepest + 1);
    deepest + 1
}

/// `data.` and the module's package path.
fn package_path(module: &Module) -> Result<String> {
    Ok(format!(
        "data.{}",
        get_path_string(&module.package.refr, None)?
    ))
}

/// Import aliases: `import data.lib` -> `lib`, `import data.x as y` -> `y`.
fn aliases(module: &Module) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for import in &module.imports {
        let path = get_path_string(&import.refr, None)?;
        if !path.starts_with("data.") {
            continue;
        }
        let alias = match &import.r#as {
            Some(span) => span.text().to_string(),
            None => path.rsplit('.').next().unwrap_or(&path).to_string(),
        };
        out.insert(alias, path);
    }
    Ok(out)
}

/// The full path a call names, if it is one of the defined functions.
fn resolve(
    path: &str,
    package: &str,
    aliases: &BTreeMap<String, String>,
    defined: &BTreeSet<String>,
) -> Option<String> {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let full = if head == "data" {
        path.to_string()
    } else if let Some(target) = aliases.get(head).filter(|_| !rest.is_empty()) {
        format!("{target}.{rest}")
    } else {
        format!("{package}.{path}")
    };
    defined.contains(&full).then_some(full)
}

/// A cycle of calls: the functions along it (the first repeated at the end)
/// and the location of the call that closes it.
fn find_cycle(functions: &BTreeMap<String, Function>) -> Option<(Vec<String>, Location)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        name: &str,
        functions: &BTreeMap<String, Function>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<(Vec<String>, Location)> {
        marks.insert(name.to_string(), Mark::Open);
        stack.push(name.to_string());
        for (callee, at) in functions.get(name).map_or(&[][..], |f| &f.calls[..]) {
            match marks.get(callee) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| n == callee).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(callee.clone());
                    return Some((cycle, at.clone()));
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(found) = visit(callee, functions, marks, stack) {
                        return Some(found);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(name.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for name in functions.keys() {
        if !marks.contains_key(name) {
            let mut stack = Vec::new();
            if let Some(found) = visit(name, functions, &mut marks, &mut stack) {
                return Some(found);
            }
        }
    }
    None
}

/// The calls in a query: (function path, span of the call).
fn query_calls(query: &Query, out: &mut Vec<(String, Span)>) {
    for stmt in &query.stmts {
        match &stmt.literal {
            Literal::SomeVars { .. } => {}
            Literal::SomeIn {
                key,
                value,
                collection,
                ..
            } => membership_calls(key.as_ref(), value, collection, out),
            Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => expr_calls(expr, out),
            Literal::Every { domain, query, .. } => {
                expr_calls(domain, out);
                query_calls(query, out);
            }
        }
        for modifier in &stmt.with_mods {
            expr_calls(&modifier.refr, out);
            expr_calls(&modifier.r#as, out);
        }
    }
}

/// The calls in an expression, comprehensions included.
fn expr_calls(expr: &Expr, out: &mut Vec<(String, Span)>) {
    match expr {
        Expr::String { .. }
        | Expr::RawString { .. }
        | Expr::Number { .. }
        | Expr::Bool { .. }
        | Expr::Null { .. }
        | Expr::Var { .. } => {}
        Expr::Array { items, .. } | Expr::Set { items, .. } => {
            for item in items {
                expr_calls(item, out);
            }
        }
        Expr::Object { fields, .. } => {
            for (_, key, value) in fields {
                expr_calls(key, out);
                expr_calls(value, out);
            }
        }
        Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
            expr_calls(term, out);
            query_calls(query, out);
        }
        Expr::ObjectCompr {
            key, value, query, ..
        } => {
            expr_calls(key, out);
            expr_calls(value, out);
            query_calls(query, out);
        }
        Expr::Call { fcn, params, .. } => {
            if let Ok(path) = get_path_string(fcn, None) {
                out.push((path, fcn.span().clone()));
            }
            for param in params {
                expr_calls(param, out);
            }
        }
        Expr::UnaryExpr { expr, .. } => expr_calls(expr, out),
        Expr::RefDot { refr, .. } => expr_calls(refr, out),
        Expr::RefBrack { refr, index, .. } => {
            expr_calls(refr, out);
            expr_calls(index, out);
        }
        Expr::BinExpr { lhs, rhs, .. }
        | Expr::BoolExpr { lhs, rhs, .. }
        | Expr::ArithExpr { lhs, rhs, .. }
        | Expr::AssignExpr { lhs, rhs, .. } => {
            expr_calls(lhs, out);
            expr_calls(rhs, out);
        }
        Expr::Membership {
            key,
            value,
            collection,
            ..
        } => membership_calls(key.as_ref(), value, collection, out),
    }
}

/// The calls in `key, value in collection` (an expression or `some ... in`).
fn membership_calls(
    key: Option<&Ref<Expr>>,
    value: &Expr,
    collection: &Expr,
    out: &mut Vec<(String, Span)>,
) {
    if let Some(key) = key {
        expr_calls(key, out);
    }
    expr_calls(value, out);
    expr_calls(collection, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "package archaudit.rules.t\n\nimport rego.v1\n\n";

    fn check_one(body: &str) -> Result<()> {
        let source = format!("{HEAD}{body}");
        check(&[("t.rego", &source)])
    }

    #[test]
    fn a_function_calling_itself_is_refused_at_the_call() {
        let err = check_one("depth(n) := 0 if n <= 0\n\ndepth(n) := depth(n - 1) + 1 if n > 0\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "t.rego:7:13: function `depth` calls itself: Rego does not allow recursion"
        );
    }

    #[test]
    fn a_cycle_through_other_functions_and_comprehensions_is_refused() {
        let err =
            check_one("f(x) := {y | some y in g(x)}\n\ng(x) := [h(x)]\n\nh(x) := count(f(x))\n")
                .unwrap_err()
                .to_string();
        assert_eq!(
            err,
            "t.rego:9:15: functions call each other in a cycle (f -> g -> h -> f): Rego does not allow recursion"
        );
    }

    #[test]
    fn a_cycle_across_files_through_an_import_is_refused() {
        let a =
            "package lib.a\n\nimport rego.v1\nimport data.lib.b as other\n\nf(x) := other.g(x)\n";
        let b = "package lib.b\n\nimport rego.v1\n\ng(x) := data.lib.a.f(x)\n";
        let err = check(&[("a.rego", a), ("b.rego", b)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("(f -> g -> f)"), "{err}");
    }

    #[test]
    fn a_chain_of_calls_too_deep_for_the_stack_is_refused() {
        let mut chain: String = (0..=MAX_CALL_DEPTH)
            .map(|i| format!("f{i}(x) := f{}(x)\n", i + 1))
            .collect();
        chain.push_str(&format!("f{}(x) := x\n", MAX_CALL_DEPTH + 1));
        let err = check_one(&chain).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.rego:5:1: function `f0` starts a chain of 1002 nested calls, more than 1000"
        );
        let fine: String = (0..MAX_CALL_DEPTH - 1)
            .map(|i| format!("f{i}(x) := f{}(x)\n", i + 1))
            .collect();
        check_one(&format!("{fine}f{}(x) := x\n", MAX_CALL_DEPTH - 1)).unwrap();
    }

    #[test]
    fn helpers_builtins_and_the_catalogue_pass() {
        check_one(
            "f(x) := g(x) + count(x)\n\ng(x) := sum(x)\n\ndeny contains x if { x := f([1]) }\n",
        )
        .unwrap();
        let catalogue = crate::engine::Catalogue::builtin().unwrap();
        let files: Vec<(&str, &str)> = catalogue
            .rules
            .iter()
            .map(|r| (r.path.as_str(), r.source.as_str()))
            .collect();
        check(&files).unwrap();
    }
}
