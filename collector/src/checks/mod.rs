//! Checks: one pure function per catalogue id over the gathered facts.
//!
//! Each section module exports `EVALUATORS`, pairs of a CIS id and an [`Eval`] function. The
//! registry joins them with the catalogue; tests keep the two in step (every id exactly once).
//! A check never does I/O: it reads [`Ctx`] and returns an [`Outcome`].

pub mod context;
mod file_checks;

mod outcome;
mod s1_host;
mod s2_daemon;
mod s3_files;
mod s4_images;
mod s5_runtime;
mod s6_operations;
mod s7_swarm;
#[cfg(test)]
pub(crate) mod testing;

use std::time::Instant;

use dockaudit_shared::catalog::{self, CheckMeta};
use dockaudit_shared::report::{CheckResult, Selection, Status};

pub use context::{Ctx, EvalOptions};
pub use outcome::Outcome;

/// A check's evaluation function.
pub type Eval = fn(&Ctx) -> Outcome;

/// A catalogue entry joined with its evaluator.
#[derive(Clone, Copy)]
pub struct Check {
    pub meta: &'static CheckMeta,
    pub eval: Eval,
}

fn evaluators() -> impl Iterator<Item = &'static (&'static str, Eval)> {
    [
        s1_host::EVALUATORS,
        s2_daemon::EVALUATORS,
        s3_files::EVALUATORS,
        s4_images::EVALUATORS,
        s5_runtime::EVALUATORS,
        s6_operations::EVALUATORS,
        s7_swarm::EVALUATORS,
    ]
    .into_iter()
    .flatten()
}

/// Every check in benchmark order. An id without an evaluator yields an `error` result.
pub fn registry() -> Vec<Check> {
    catalog::all()
        .map(|meta| {
            let eval = evaluators()
                .find(|(id, _)| *id == meta.id)
                .map_or(missing_evaluator as Eval, |(_, f)| *f);
            Check { meta, eval }
        })
        .collect()
}

fn missing_evaluator(_: &Ctx) -> Outcome {
    Outcome::error("dockaudit has no evaluator for this check (internal error)")
}

/// Evaluates every catalogue check, in benchmark order; unselected checks are `skipped`.
pub fn evaluate(ctx: &Ctx, selection: &Selection) -> Vec<CheckResult> {
    registry()
        .into_iter()
        .map(|check| {
            if !selection.selects(check.meta.id, check.meta.level) {
                return CheckResult::for_id(check.meta.id, Status::Skipped, "Not selected for this run.");
            }
            let start = Instant::now();
            let outcome = (check.eval)(ctx);
            let mut result = outcome.into_result(check.meta);
            result.duration_us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
            result
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::ContainerFilter;
    use dockaudit_shared::catalog::Evaluation;

    #[test]
    fn every_catalogue_id_has_exactly_one_evaluator() {
        for meta in catalog::all() {
            let n = evaluators().filter(|(id, _)| *id == meta.id).count();
            assert_eq!(n, 1, "{} has {} evaluators", meta.id, n);
        }
        assert_eq!(evaluators().count(), catalog::CHECK_COUNT);
    }

    #[test]
    fn review_checks_never_decide_and_missing_facts_never_pass() {
        let facts = testing::unavailable_facts();
        let ctx = Ctx::new(&facts, EvalOptions::default(), &ContainerFilter::default());
        for result in evaluate(&ctx, &Selection::default()) {
            let meta = catalog::get(&result.id).unwrap();
            assert_ne!(
                result.status,
                Status::Pass,
                "{} passed without facts: {}",
                result.id,
                result.summary
            );
            if meta.evaluation == Evaluation::Review {
                assert!(
                    matches!(
                        result.status,
                        Status::Manual | Status::NotApplicable | Status::Error | Status::Info
                    ),
                    "review check {} decided {}",
                    result.id,
                    result.status
                );
            }
        }
    }

    #[test]
    fn empty_host_yields_every_id_once() {
        let facts = testing::empty_host();
        let ctx = Ctx::new(&facts, EvalOptions::default(), &ContainerFilter::default());
        let results = evaluate(&ctx, &Selection::default());
        assert_eq!(results.len(), catalog::CHECK_COUNT);
        for r in &results {
            assert!(!r.summary.is_empty(), "{} has no summary", r.id);
        }
    }
}
