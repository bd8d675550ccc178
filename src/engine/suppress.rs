//! Suppressions: findings a team has accepted, each with a reason and an
//! optional expiry. An expired suppression stops suppressing and is reported;
//! one that matched nothing is reported as stale, so the list cannot rot.

use super::{Finding, Suppressed};
use crate::config::Suppression;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// Past its expiry date: its findings are reported again.
    Expired,
    /// Matched no finding: the problem is gone, or the suppression is wrong.
    Stale,
}

/// A suppression the report must mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressionNote {
    pub kind: NoteKind,
    pub rule: String,
    /// Line of the `[[suppress]]` entry in the config.
    pub line: usize,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Findings it matches (for an expired one: those it no longer hides).
    pub matched: usize,
}

impl Suppression {
    pub fn matches(&self, f: &Finding) -> bool {
        self.rule.eq_ignore_ascii_case(&f.rule_id)
            && self.account.as_ref().is_none_or(|a| *a == f.account_id)
            && self.region.as_ref().is_none_or(|r| *r == f.region)
            && self
                .resource
                .as_ref()
                .is_none_or(|g| g.is_match(&f.resource))
    }

    pub fn is_expired(&self, today: jiff::civil::Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }
}

/// What applying the suppressions did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Findings still open.
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub notes: Vec<SuppressionNote>,
}

/// Splits findings into open and suppressed. The first live suppression that
/// matches a finding suppresses it. When none does, the findings stay where
/// they are: a large organization's list is not copied for nothing.
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    today: jiff::civil::Date,
) -> Outcome {
    let mut matched = vec![0usize; suppressions.len()];
    let by: Vec<Option<&Suppression>> = findings
        .iter()
        .map(|finding| {
            let mut by = None;
            for (i, s) in suppressions.iter().enumerate() {
                if s.matches(finding) {
                    matched[i] += 1;
                    if by.is_none() && !s.is_expired(today) {
                        by = Some(s);
                    }
                }
            }
            by
        })
        .collect();
    let mut outcome = Outcome::default();
    if by.iter().all(Option::is_none) {
        outcome.findings = findings;
    } else {
        outcome.findings.reserve(findings.len());
        for (finding, by) in findings.into_iter().zip(by) {
            match by {
                Some(s) => outcome.suppressed.push(Suppressed {
                    finding,
                    reason: s.reason.clone(),
                    expires: s.expires.map(|d| d.to_string()),
                }),
                None => outcome.findings.push(finding),
            }
        }
    }
    for (s, matched) in suppressions.iter().zip(matched) {
        let kind = if s.is_expired(today) {
            NoteKind::Expired
        } else if matched == 0 {
            NoteKind::Stale
        } else {
            continue;
        };
        outcome.notes.push(SuppressionNote {
            kind,
            rule: s.rule.clone(),
            line: s.line,
            reason: s.reason.clone(),
            expires: s.expires.map(|d| d.to_string()),
            matched,
        });
    }
    outcome
}
