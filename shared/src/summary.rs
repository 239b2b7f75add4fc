//! Totals and the score, computed from results only, so every consumer agrees.
//!
//! The score is the share of *decided* checks that passed, in percent with one decimal:
//!
//! ```text
//! score = 100 × pass ÷ (pass + fail + warn + error)
//! ```
//!
//! Only checks whose verdict dockaudit decides count (`info`, `manual`, `not_applicable` and
//! `skipped` are left out), and every check weighs the same however many containers it covers.
//! That makes it a ratio in [0, 100] that compares across hosts of any size, unlike a +1/−1 sum
//! whose range grows with the number of checks run. `error` counts against the score because an
//! unverified control is not a passed control.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::report::{CheckResult, Status};

/// The formula, as written into reports and shown by the viewer.
pub const SCORE_FORMULA: &str = "score = 100 × pass ÷ (pass + fail + warn + error), one decimal; \
info, manual, not_applicable and skipped checks are not scored";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub counts: StatusCounts,
    /// One entry per top-level section, in benchmark order.
    pub sections: Vec<SectionSummary>,
    pub score: Score,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusCounts {
    pub total: u32,
    pub pass: u32,
    pub fail: u32,
    pub warn: u32,
    pub info: u32,
    pub manual: u32,
    pub not_applicable: u32,
    pub error: u32,
    pub skipped: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        *self.slot(status) += 1;
    }

    pub fn get(&self, status: Status) -> u32 {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Warn => self.warn,
            Status::Info => self.info,
            Status::Manual => self.manual,
            Status::NotApplicable => self.not_applicable,
            Status::Error => self.error,
            Status::Skipped => self.skipped,
        }
    }

    fn slot(&mut self, status: Status) -> &mut u32 {
        match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Warn => &mut self.warn,
            Status::Info => &mut self.info,
            Status::Manual => &mut self.manual,
            Status::NotApplicable => &mut self.not_applicable,
            Status::Error => &mut self.error,
            Status::Skipped => &mut self.skipped,
        }
    }

    pub fn from_statuses(statuses: impl IntoIterator<Item = Status>) -> Self {
        let mut counts = StatusCounts::default();
        for s in statuses {
            counts.add(s);
        }
        counts
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionSummary {
    pub id: String,
    pub title: String,
    pub counts: StatusCounts,
    pub score: Score,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Percent with one decimal; `null` when no check was scored.
    pub value: Option<f64>,
    pub passed: u32,
    /// pass + fail + warn + error.
    pub scored: u32,
    pub formula: String,
}

impl Score {
    pub fn from_counts(c: &StatusCounts) -> Self {
        let scored = c.pass + c.fail + c.warn + c.error;
        let value = (scored > 0).then(|| (f64::from(c.pass) * 1000.0 / f64::from(scored)).round() / 10.0);
        Score {
            value,
            passed: c.pass,
            scored,
            formula: SCORE_FORMULA.into(),
        }
    }

    /// "87.5" or "n/a".
    pub fn display(&self) -> String {
        self.value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.1}"))
    }
}

impl Summary {
    pub fn compute(results: &[CheckResult]) -> Self {
        Self::compute_with(results, |r| r.status)
    }

    /// Summary using a caller-chosen status per result (the sign-off's effective status).
    pub fn compute_with(results: &[CheckResult], status_of: impl Fn(&CheckResult) -> Status) -> Self {
        let counts = StatusCounts::from_statuses(results.iter().map(&status_of));
        let mut section_ids: Vec<&str> = catalog::TOP_SECTIONS.to_vec();
        for r in results {
            if !section_ids.contains(&r.section.as_str()) {
                section_ids.push(&r.section);
            }
        }
        let sections = section_ids
            .into_iter()
            .filter(|id| results.iter().any(|r| r.section == *id))
            .map(|id| {
                let c = StatusCounts::from_statuses(results.iter().filter(|r| r.section == id).map(&status_of));
                SectionSummary {
                    id: id.to_string(),
                    title: catalog::section_title(id).unwrap_or("Other").to_string(),
                    score: Score::from_counts(&c),
                    counts: c,
                }
            })
            .collect();
        Summary {
            score: Score::from_counts(&counts),
            counts,
            sections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, status: Status) -> CheckResult {
        CheckResult::for_id(id, status, "")
    }

    #[test]
    fn score_counts_only_decided_checks() {
        let results = vec![
            result("2.1", Status::Pass),
            result("2.2", Status::Pass),
            result("2.3", Status::Fail),
            result("2.4", Status::Manual),
            result("5.1", Status::NotApplicable),
            result("5.2", Status::Error),
            result("5.3", Status::Skipped),
        ];
        let s = Summary::compute(&results);
        assert_eq!(s.counts.total, 7);
        assert_eq!(s.score.scored, 4);
        assert_eq!(s.score.value, Some(50.0));
        assert_eq!(s.sections.len(), 2);
        assert_eq!(s.sections[0].id, "2");
        assert_eq!(s.sections[0].score.value, Some(66.7));
        assert_eq!(s.sections[1].score.value, Some(0.0));
    }

    #[test]
    fn nothing_scored_gives_no_score() {
        let s = Summary::compute(&[result("1.2.1", Status::Manual)]);
        assert_eq!(s.score.value, None);
        assert_eq!(s.score.display(), "n/a");
    }
}
