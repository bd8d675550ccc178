//! Adopting what was made by hand: Terraform 1.5+ `import` blocks for the
//! resources TFD001 reports as unmanaged, one file per account, so a team
//! can copy an account's file into the root module that should manage them
//! and run `terraform plan -generate-config-out=generated.tf`.
//!
//! Each block names the resource type and the import id its provider
//! documents (a name, an ARN or an id: each service's mapping says which,
//! `TerraformType::import`). Only reported findings become blocks: a
//! suppressed finding, or a resource left out by the drift ignore list, is
//! not adopted. Names, ids and account names are AWS data: they are escaped
//! for HCL strings (quotes, backslashes, `${` and `%{` templates) and kept
//! out of comments' line structure.

use super::Drift;
use crate::engine::Finding;
use std::collections::{BTreeMap, BTreeSet};

/// The rule whose findings become import blocks.
pub const UNMANAGED_RULE: &str = "TFD001";

/// The import blocks of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    pub account_id: String,
    /// `import-<account id>.tf`
    pub file_name: String,
    pub blocks: usize,
    pub text: String,
}

/// One file per account that some state manages, holding a block for each
/// of its reported TFD001 findings (a file with none says so). Nothing when
/// a state could not be read: then nothing is known to be unmanaged.
pub fn import_files(drift: &Drift, findings: &[Finding]) -> Vec<ImportFile> {
    if !drift.errors.is_empty() {
        return Vec::new();
    }
    let reported: BTreeSet<(&str, &str)> = findings
        .iter()
        .filter(|f| f.rule_id == UNMANAGED_RULE)
        .map(|f| (f.account_id.as_str(), f.resource.as_str()))
        .collect();
    let names: BTreeMap<&str, &str> = findings
        .iter()
        .map(|f| (f.account_id.as_str(), f.account_name.as_str()))
        .collect();
    drift
        .accounts
        .iter()
        .map(|(account, d)| {
            // By type, name and ARN: the same order on every run.
            let mut blocks: Vec<(&str, String, &str, &str)> = d
                .unmanaged
                .iter()
                .filter(|u| !u.import_id.is_empty())
                .filter(|u| reported.contains(&(account.as_str(), u.resource.as_str())))
                .map(|u| {
                    (
                        u.kind.as_str(),
                        label(&u.name),
                        u.resource.as_str(),
                        u.import_id.as_str(),
                    )
                })
                .collect();
            blocks.sort();
            let mut used: BTreeSet<(&str, String)> = BTreeSet::new();
            let mut text = header(account, names.get(account.as_str()).copied(), blocks.len());
            for (kind, base, arn, id) in &blocks {
                let mut name = base.clone();
                let mut n = 1;
                while !used.insert((kind, name.clone())) {
                    n += 1;
                    name = format!("{base}_{n}");
                }
                text.push_str(&format!(
                    "\n# {}\nimport {{\n  to = {kind}.{name}\n  id = {}\n}}\n",
                    comment(arn),
                    hcl_string(id)
                ));
            }
            ImportFile {
                account_id: account.clone(),
                file_name: format!("import-{}.tf", file_safe(account)),
                blocks: blocks.len(),
                text,
            }
        })
        .collect()
}

fn header(account: &str, name: Option<&str>, blocks: usize) -> String {
    let who = match name {
        Some(name) if !name.is_empty() => format!("{} ({})", comment(account), comment(name)),
        _ => comment(account),
    };
    if blocks == 0 {
        return format!("# archaudit: no resource of account {who} is unmanaged (TFD001).\n");
    }
    format!(
        "# archaudit: resources of account {who} that no given Terraform state\n\
         # manages (TFD001). In the root module that should manage them, with a\n\
         # provider for this account:\n\
         #   terraform plan -generate-config-out=generated.tf\n\
         # then review generated.tf until `terraform plan` shows only imports.\n"
    )
}

/// A resource name Terraform accepts, from an AWS name: lower-case letters,
/// digits and `_`, starting with a letter.
fn label(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    match out.chars().next() {
        None => "resource".to_string(),
        Some(c) if c.is_ascii_digit() => format!("r_{out}"),
        Some(_) => out.to_string(),
    }
}

/// An HCL quoted string: escapes, and templates made literal.
fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a `#` comment: on one line.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// An account id as a file name part (ids are digits; anything else is replaced).
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::drift::{AccountDrift, Unmanaged};
    use crate::engine::{Severity, StateError};
    use crate::snapshot::ErrorClass;

    fn unmanaged(kind: &str, resource: &str, name: &str, import_id: &str) -> Unmanaged {
        Unmanaged {
            resource: resource.into(),
            region: "eu-central-1".into(),
            kind: kind.into(),
            name: name.into(),
            import_id: import_id.into(),
        }
    }

    fn finding(account: &str, resource: &str) -> Finding {
        Finding {
            rule_id: UNMANAGED_RULE.into(),
            rule_name: "unmanaged-resource".into(),
            severity: Severity::Low,
            account_id: account.into(),
            account_name: "krci-dev\nimport {".into(),
            account_role: "development".into(),
            region: "eu-central-1".into(),
            resource: resource.into(),
            message: "m".into(),
            fingerprint: "f".into(),
            terraform_address: None,
        }
    }

    #[test]
    fn one_file_per_account_with_a_block_per_reported_finding() {
        let dev = "729384615022";
        let repo = "arn:aws:ecr:eu-central-1:729384615022:repository/krci/hand-made";
        let bucket = "arn:aws:s3:::krci-dev-scratch";
        let other = "arn:aws:s3:::krci-dev-scratch-2";
        let suppressed = "arn:aws:s3:::suppressed";
        let mut drift = Drift::default();
        drift.accounts.insert(
            dev.into(),
            AccountDrift {
                unmanaged: vec![
                    unmanaged(
                        "aws_ecr_repository",
                        repo,
                        "krci/hand-made",
                        "krci/hand-made",
                    ),
                    unmanaged(
                        "aws_s3_bucket",
                        bucket,
                        "krci-dev-scratch",
                        "krci-dev-scratch",
                    ),
                    unmanaged("aws_s3_bucket", other, "krci.dev.scratch", "krci\"dev${x}"),
                    unmanaged("aws_s3_bucket", suppressed, "suppressed", "suppressed"),
                ],
                ..AccountDrift::default()
            },
        );
        drift
            .accounts
            .insert("318465720941".into(), AccountDrift::default());
        let findings = [
            finding(dev, repo),
            finding(dev, bucket),
            finding(dev, other),
        ];
        let files = import_files(&drift, &findings);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].file_name, "import-318465720941.tf");
        assert_eq!(files[0].blocks, 0);
        assert!(files[0]
            .text
            .contains("no resource of account 318465720941 is unmanaged"));
        let file = &files[1];
        assert_eq!(
            (file.file_name.as_str(), file.blocks),
            ("import-729384615022.tf", 3)
        );
        let blocks = file.text.split_once("\n\n").unwrap().1;
        assert_eq!(
            blocks,
            format!(
                "# {repo}\nimport {{\n  to = aws_ecr_repository.krci_hand_made\n  id = \"krci/hand-made\"\n}}\n\n\
                 # {bucket}\nimport {{\n  to = aws_s3_bucket.krci_dev_scratch\n  id = \"krci-dev-scratch\"\n}}\n\n\
                 # {other}\nimport {{\n  to = aws_s3_bucket.krci_dev_scratch_2\n  id = \"krci\\\"dev$${{x}}\"\n}}\n"
            )
        );
        assert!(file
            .text
            .starts_with("# archaudit: resources of account 729384615022 (krci-dev import {)"));
        assert!(
            !file.text.contains("suppressed"),
            "a finding not reported is not adopted"
        );

        drift.errors.push(StateError {
            class: ErrorClass::AccessDenied,
            message: "s3://b/k: access denied".into(),
        });
        assert_eq!(import_files(&drift, &findings), vec![]);
    }

    #[test]
    fn labels_are_terraform_names() {
        assert_eq!(
            label("krci-dev-scratch-522702241443"),
            "krci_dev_scratch_522702241443"
        );
        assert_eq!(label("/krci/development/debug"), "krci_development_debug");
        assert_eq!(label("krci/hand-made"), "krci_hand_made");
        assert_eq!(label("123-bucket"), "r_123_bucket");
        assert_eq!(label("Admin Role"), "admin_role");
        assert_eq!(label("---"), "resource");
        assert_eq!(label("ünïcode"), "n_code");
    }

    #[test]
    fn strings_are_escaped_for_hcl() {
        assert_eq!(hcl_string("plain/name"), r#""plain/name""#);
        assert_eq!(
            hcl_string("a\"b\\c${x}%{y}$z\n"),
            r#""a\"b\\c$${x}%%{y}$z\n""#
        );
        assert_eq!(hcl_string("bell\u{7}"), r#""bell\u0007""#);
        assert_eq!(comment("evil\nimport {"), "evil import {");
    }
}
