//! Checks: one pure function per catalogue entry, judging the snapshot and its interpretation.
//!
//! Sections live in `s1` … `s7`, each split by theme (section 5: confinement, namespaces,
//! network, mounts, resources, processes). Every evaluator is named for what it checks and is
//! joined to its catalogue entry in its section's `CHECKS` list ([`registry`]). A check never
//! does I/O and imports nothing from [`crate::facts`]: it reads [`Ctx`] and returns an
//! [`Outcome`]. Unit tests sit in each section's `tests.rs`.

pub mod context;
#[cfg(test)]
mod coverage;
mod file_checks;
mod outcome;
pub mod registry;
mod s1;
mod s2;
mod s3;
mod s4;
mod s5;
mod s6;
mod s7;
#[cfg(test)]
pub(crate) mod testing;

use std::time::Instant;

use dockaudit_shared::report::{CheckResult, Selection, Status};

pub use context::{Ctx, EvalOptions};
pub use outcome::Outcome;
pub use registry::{Check, Eval};

/// Every registered check in benchmark order.
pub fn all() -> impl Iterator<Item = &'static Check> {
    [
        s1::CHECKS,
        s2::CHECKS,
        s3::CHECKS,
        s4::CHECKS,
        s5::CHECKS,
        s6::CHECKS,
        s7::CHECKS,
    ]
    .into_iter()
    .flatten()
}

/// The registered check for a catalogue id.
pub fn get(id: &str) -> Option<&'static Check> {
    all().find(|c| c.meta.id == id)
}

/// Evaluates every catalogue check, in benchmark order; unselected checks are `skipped`.
pub fn evaluate(ctx: &Ctx, selection: &Selection) -> Vec<CheckResult> {
    all()
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
    use dockaudit_shared::catalog::{self, Evaluation};

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
