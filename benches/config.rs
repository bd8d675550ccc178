//! Config load time: `archaudit.toml` with many `[[suppress]]` entries,
//! parsed and validated (`Config::parse`) and checked against the catalogue
//! (`Catalogue::configure`). Both must grow linearly with the entries: a large
//! organization's suppression list is loaded on every run.
//!
//! `cargo bench --bench config` runs 2,000 and 20,000 suppressions.

use archaudit::config::Config;
use archaudit::engine::Catalogue;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::fmt::Write;

/// A config with `n` suppressions spread over the built-in rules, accounts
/// and resources, as a team that suppresses per resource would write it.
fn config_text(n: usize, rule_ids: &[String]) -> String {
    let mut text = String::from("[rules]\ndisable = [\"observability\"]\n");
    for i in 0..n {
        let account = format!("{:012}", 100_000_000_000u64 + (i as u64 % 97) * 7_919);
        writeln!(
            text,
            "\n[[suppress]]\nrule = \"{}\"\naccount = \"{account}\"\nregion = \"eu-central-1\"\n\
             resource = \"arn:aws:elasticloadbalancing:eu-central-1:{account}:loadbalancer/app/team-{i}-*\"\n\
             reason = \"accepted by the platform team, ticket SEC-{i}\"\nexpires = \"2099-12-31\"",
            rule_ids[i % rule_ids.len()],
        )
        .unwrap();
    }
    text
}

fn bench_load(c: &mut Criterion) {
    let builtin = Catalogue::builtin().unwrap();
    let rule_ids: Vec<String> = builtin
        .rules
        .iter()
        .filter(|r| r.area != "observability")
        .map(|r| r.id.clone())
        .collect();
    let mut group = c.benchmark_group("config");
    group.sample_size(10);
    for n in [2_000, 20_000] {
        let text = config_text(n, &rule_ids);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("parse", n), &text, |b, text| {
            b.iter(|| Config::parse(text, "archaudit.toml").unwrap())
        });
        let config = Config::parse(&text, "archaudit.toml").unwrap();
        assert_eq!(config.suppressions.len(), n);
        group.bench_with_input(BenchmarkId::new("configure", n), &config, |b, config| {
            b.iter(|| builtin.clone().configure(config).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
