//! The service registry: every AWS service archaudit reads, in one list.
//!
//! A service is three things: its snapshot file `src/snapshot/<name>.rs` (the
//! section type and its [`Section`](crate::snapshot::Section) impl: what is
//! read, whether it is global, its coverage parts, its Terraform mapping), its
//! collector file `src/collect/<name>.rs` (`OPERATIONS` and `collect`), and
//! one line below. Everything else that differs per service is derived from
//! this list by the two macros that read it, so the compiler keeps it in step:
//!
//! - `snapshot` (`sections!`): the modules, the account's fields (in this
//!   order: the JSON key order), resource counts, normalisation, and
//!   `SERVICES` (coverage keys, global flags, Terraform mappings);
//! - `collect` (`collectors!`): the modules, the task list of an account, the
//!   merge of what each task read, and the operations `archaudit policy`
//!   grants.
//!
//! `wafv2: Wafv2 after elbv2` runs WAF's collector in the same task as the
//! load balancers', after them: WAF is asked which web ACL protects each of
//! them (`WebAclTargets`), and the answers go back on the load balancers.
//!
//! CONTRIBUTING.md walks through adding a service.

/// Calls the macro `$then` with the registry: `name: SectionType`, sorted by
/// name, optionally `after other` (see the module docs).
macro_rules! services {
    ($then:ident) => {
        $then! {
            acm: Acm,
            amp: Amp,
            cloudtrail: Cloudtrail,
            config: AwsConfig,
            dynamodb: Dynamodb,
            ec2: Ec2,
            ecr: Ecr,
            efs: Efs,
            eks: Eks,
            elbv2: Elbv2,
            grafana: Grafana,
            guardduty: Guardduty,
            iam: Iam,
            kms: Kms,
            logs: Logs,
            opensearch: OpenSearch,
            rds: Rds,
            s3: S3,
            s3control: S3Control,
            secretsmanager: SecretsManager,
            securityhub: SecurityHub,
            ssm: Ssm,
            wafv2: Wafv2 after elbv2,
        }
    };
}
pub(crate) use services;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// `cargo fmt` finds modules by their `mod` lines and does not expand
    /// macros, so it never reaches the service files the registry declares.
    /// They are checked here, with the rustfmt of the toolchain building us.
    #[test]
    fn service_files_are_formatted() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<PathBuf> = ["src/snapshot", "src/collect"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        let rustfmt = Path::new(env!("CARGO")).with_file_name("rustfmt");
        let output = Command::new(&rustfmt)
            .args(["--check", "--edition", "2021"])
            .args(&files)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e} (rustfmt is needed)", rustfmt.display()));
        assert!(
            output.status.success(),
            "service files are not formatted: run `rustfmt --edition 2021 src/snapshot/*.rs src/collect/*.rs`\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}
