//! The stages of `archaudit check` over realistic organizations: copies of the
//! drifted example's member accounts (real ARN shapes, policy documents,
//! planted drift), each resource list repeated until an account holds about
//! 1,000 resources, written by `benches/gen_org.py` (needs `python3`).
//!
//! - `check/load/N`, `check/evaluate/N`, `check/report/N`: N accounts read
//!   (parse, validate, normalise), evaluated by every rule, and reported as
//!   JSON and SARIF; `cargo bench --bench realistic` runs 10 and 100 accounts.
//! - `ARCHAUDIT_BENCH_RULES=1` adds `rule/ID`: each rule alone over 10
//!   accounts, and `rule/none`, no rule at all (the per-account input and
//!   bookkeeping every rule's figure includes), to find a rule whose cost
//!   grows faster than the resources it reads.

use archaudit::config::Config;
use archaudit::engine::{Catalogue, Evaluation};
use archaudit::report::{JsonReporter, Report, Reporter, SarifReporter};
use archaudit::snapshot::{load_snapshot, Snapshot};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The binary's allocator (src/main.rs), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Writes (once per run) and returns an organization of `accounts` realistic
/// accounts of about 1,000 resources.
fn organization(dir: &Path, accounts: usize) -> PathBuf {
    let path = dir.join(format!("org-{accounts}x1000.json"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_org.py");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--accounts", &accounts.to_string()])
        .args(["--resources", "1000", "--gaps", "0", "--output"])
        .arg(&path)
        .status()
        .expect("python3 runs benches/gen_org.py");
    assert!(status.success(), "benches/gen_org.py failed");
    path
}

fn report(evaluation: &Evaluation, catalogue: &Catalogue, snapshot: &Snapshot) -> usize {
    let report = Report {
        evaluation,
        rules: &catalogue.rules,
        generated_at: &snapshot.generated_at,
        fail_on: None,
        suppressed: &[],
        notes: &[],
        locations: None,
        baseline: None,
    };
    let mut out = Vec::new();
    JsonReporter.emit(&mut out, &report).unwrap();
    SarifReporter::new("archaudit/bench/")
        .emit(&mut out, &report)
        .unwrap();
    out.len()
}

fn bench_check(c: &mut Criterion) {
    // As the binary does; this group runs first, before any thread.
    archaudit::engine::no_library_backtraces();
    let dir = tempfile::tempdir().unwrap();
    let catalogue = Catalogue::builtin().unwrap();
    let compiled = catalogue.compile().unwrap();
    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for accounts in [10, 100] {
        let path = organization(dir.path(), accounts);
        let snapshot = load_snapshot(&path).unwrap();
        let roles = Config::default().assign_roles(&snapshot);
        group.throughput(Throughput::Elements(snapshot.resource_count() as u64));
        group.bench_with_input(BenchmarkId::new("load", accounts), &path, |b, p| {
            b.iter(|| load_snapshot(p).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("evaluate", accounts), &snapshot, |b, s| {
            b.iter(|| compiled.evaluate(s, &roles).unwrap())
        });
        let evaluation = compiled.evaluate(&snapshot, &roles).unwrap();
        group.bench_with_input(BenchmarkId::new("report", accounts), &evaluation, |b, e| {
            b.iter(|| report(e, &catalogue, &snapshot))
        });
    }
    group.finish();
}

fn bench_rules(c: &mut Criterion) {
    if std::env::var_os("ARCHAUDIT_BENCH_RULES").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let snapshot = load_snapshot(&organization(dir.path(), 10)).unwrap();
    let roles = Config::default().assign_roles(&snapshot);
    let catalogue = Catalogue::builtin().unwrap();
    let mut group = c.benchmark_group("rule");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(snapshot.resource_count() as u64));
    let ids =
        std::iter::once("none".to_string()).chain(catalogue.rules.iter().map(|r| r.id.clone()));
    for id in ids {
        let mut one = catalogue.clone();
        one.retain(|r| r.id == id);
        let compiled = one.compile().unwrap();
        group.bench_function(id, |b| {
            b.iter(|| compiled.evaluate(&snapshot, &roles).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_check, bench_rules);
criterion_main!(benches);
