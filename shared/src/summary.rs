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

use std::collections::BTreeMap;

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
    ///
    /// Sections are the benchmark's top sections in order, then any other section in order of
    /// first appearance, each listed only when it has a result. One pass with an index by section
    /// id keeps this linear in the number of results, however many distinct sections they name.
    pub fn compute_with(results: &[CheckResult], status_of: impl Fn(&CheckResult) -> Status) -> Self {
        let mut counts = StatusCounts::default();
        let mut order: Vec<(&str, Option<StatusCounts>)> = catalog::TOP_SECTIONS.iter().map(|id| (*id, None)).collect();
        let mut index: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
        for r in results {
            let status = status_of(r);
            counts.add(status);
            let slot = match index.get(r.section.as_str()) {
                Some(&i) => i,
                None => {
                    index.insert(&r.section, order.len());
                    order.push((&r.section, None));
                    order.len() - 1
                }
            };
            order[slot].1.get_or_insert_with(StatusCounts::default).add(status);
        }
        let sections = order
            .into_iter()
            .filter_map(|(id, c)| {
                let c = c?;
                Some(SectionSummary {
                    id: id.to_string(),
                    title: catalog::section_title(id).unwrap_or("Other").to_string(),
                    score: Score::from_counts(&c),
                    counts: c,
                })
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

    /// The quadratic implementation this module used to have, kept as the reference for ordering.
    fn reference_sections(results: &[CheckResult]) -> Vec<(String, StatusCounts)> {
        let mut ids: Vec<&str> = catalog::TOP_SECTIONS.to_vec();
        for r in results {
            if !ids.contains(&r.section.as_str()) {
                ids.push(&r.section);
            }
        }
        ids.into_iter()
            .filter(|id| results.iter().any(|r| r.section == *id))
            .map(|id| {
                let c = StatusCounts::from_statuses(results.iter().filter(|r| r.section == id).map(|r| r.status));
                (id.to_string(), c)
            })
            .collect()
    }

    #[test]
    fn sections_keep_benchmark_order_then_first_appearance() {
        let mut results = Vec::new();
        for (i, section) in ["other", "5", "zz", "1", "other", "7", "aa", "5", "zz"]
            .iter()
            .enumerate()
        {
            let mut r = result(&format!("{section}.{i}"), Status::ALL[i % Status::ALL.len()]);
            r.section = section.to_string();
            results.push(r);
        }
        let s = Summary::compute(&results);
        let got: Vec<(String, StatusCounts)> = s.sections.iter().map(|s| (s.id.clone(), s.counts.clone())).collect();
        assert_eq!(got, reference_sections(&results));
        let ids: Vec<&str> = s.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "5", "7", "other", "zz", "aa"]);
        assert_eq!(s.sections[3].title, "Other");
        assert_eq!(s.sections[0].title, catalog::section_title("1").unwrap());
    }

    /// 100 000 results in as many sections: the former pairwise scan needed about 10¹⁰ string
    /// comparisons here (20 000 took 3.8 s in a release build, so this size would take minutes
    /// unoptimised), which would stall the test; the indexed pass is one lookup per result.
    #[test]
    fn many_distinct_sections_take_linear_time() {
        const N: usize = 100_000;
        let template = result("x", Status::Fail);
        let results: Vec<CheckResult> = (0..N)
            .map(|i| CheckResult {
                section: format!("s{i}"),
                ..template.clone()
            })
            .collect();
        let s = Summary::compute(&results);
        assert_eq!(s.sections.len(), N);
        assert_eq!(s.counts.fail as usize, N);
        assert_eq!(s.sections[N - 1].id, format!("s{}", N - 1));
        assert!(s.sections.iter().all(|x| x.counts.total == 1));
    }
}
