//! Findings compared with a baseline run: new, unchanged, updated (same finding,
//! other message or severity), resolved, and not re-evaluated (the new run could
//! not read what the finding was about: never reported as resolved).

use crate::engine::{CoverageGap, Evaluation, Finding, Suppressed};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A finding's state against the baseline; the names are SARIF's `baselineState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineState {
    New,
    Unchanged,
    Updated,
    /// In the baseline only: resolved.
    Absent,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Updated => "updated",
            BaselineState::Absent => "absent",
        }
    }
}

/// One run's findings and what it could not evaluate: a side of a comparison.
#[derive(Debug, Clone, Default)]
pub struct RunFindings {
    pub findings: Vec<Finding>,
    /// Findings the run found but a suppression silenced.
    pub suppressed: Vec<Finding>,
    pub gaps: Vec<CoverageGap>,
    /// Accounts the run covered.
    pub accounts: BTreeSet<String>,
}

impl RunFindings {
    pub fn new(evaluation: &Evaluation, suppressed: &[Suppressed]) -> Self {
        RunFindings {
            findings: evaluation.findings.clone(),
            suppressed: suppressed.iter().map(|s| s.finding.clone()).collect(),
            gaps: evaluation.gaps.clone(),
            accounts: evaluation.accounts.iter().map(|a| a.id.clone()).collect(),
        }
    }

    /// Whether this run evaluated `finding`'s rule where the finding is: its
    /// account was read, and no coverage gap kept the rule from running there.
    pub fn evaluated(&self, finding: &Finding) -> bool {
        self.accounts.contains(&finding.account_id)
            && !self.gaps.iter().any(|g| {
                g.account_id == finding.account_id
                    && (g.region == finding.region
                        || g.region == crate::snapshot::GLOBAL_REGION
                        || finding.region == crate::snapshot::GLOBAL_REGION)
                    && g.rules_not_evaluated.contains(&finding.rule_id)
            })
    }
}

/// A finding present in both runs whose message or severity changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdatedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub old_severity: crate::engine::Severity,
    pub old_message: String,
}

/// A run's findings against a baseline's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    pub new: Vec<Finding>,
    pub updated: Vec<UpdatedFinding>,
    pub unchanged: Vec<Finding>,
    /// In the baseline, and evaluated again without being found: fixed.
    pub resolved: Vec<Finding>,
    /// In the baseline, but the new run could not evaluate them (unread account,
    /// region or service): neither open nor resolved.
    pub not_reevaluated: Vec<Finding>,
}

impl FindingsDiff {
    /// Compares `current` with `baseline` by fingerprint. A finding the baseline
    /// had suppressed is not new; one `current` suppresses is not resolved.
    pub fn compare(baseline: &RunFindings, current: &RunFindings) -> FindingsDiff {
        let before: BTreeMap<&str, &Finding> = baseline
            .findings
            .iter()
            .chain(&baseline.suppressed)
            .map(|f| (f.fingerprint.as_str(), f))
            .collect();
        let now: BTreeSet<&str> = current
            .findings
            .iter()
            .chain(&current.suppressed)
            .map(|f| f.fingerprint.as_str())
            .collect();
        let mut diff = FindingsDiff::default();
        for f in &current.findings {
            match before.get(f.fingerprint.as_str()) {
                None => diff.new.push(f.clone()),
                Some(old) if old.message == f.message && old.severity == f.severity => {
                    diff.unchanged.push(f.clone())
                }
                Some(old) => diff.updated.push(UpdatedFinding {
                    finding: f.clone(),
                    old_severity: old.severity,
                    old_message: old.message.clone(),
                }),
            }
        }
        for f in &baseline.findings {
            if now.contains(f.fingerprint.as_str()) {
                continue;
            }
            if current.evaluated(f) {
                diff.resolved.push(f.clone());
            } else {
                diff.not_reevaluated.push(f.clone());
            }
        }
        diff
    }

    /// The state of each current finding (new, unchanged, updated), by fingerprint.
    pub fn states(&self) -> BTreeMap<String, BaselineState> {
        self.new
            .iter()
            .map(|f| (f.fingerprint.clone(), BaselineState::New))
            .chain(
                self.unchanged
                    .iter()
                    .map(|f| (f.fingerprint.clone(), BaselineState::Unchanged)),
            )
            .chain(
                self.updated
                    .iter()
                    .map(|u| (u.finding.fingerprint.clone(), BaselineState::Updated)),
            )
            .collect()
    }
}
