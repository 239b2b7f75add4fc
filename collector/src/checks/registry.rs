//! The registry: every catalogue entry joined to the one function that evaluates it.
//!
//! Each section module lists its checks as `Check::new(&catalog::…::ENTRY, theme::evaluator)`,
//! a typed reference to both sides, so "go to definition" leads from an evaluator to its
//! catalogue text and back; [`crate::checks::all`] chains the sections in benchmark order. The
//! test below keeps the registry and the catalogue in step.

use dockaudit_shared::catalog::CheckMeta;

use super::{Ctx, Outcome};

/// A check's evaluation function: pure, over the evaluation context.
pub type Eval = fn(&Ctx) -> Outcome;

/// A catalogue entry joined with its evaluator.
#[derive(Clone, Copy)]
pub struct Check {
    pub meta: &'static CheckMeta,
    pub eval: Eval,
}

impl Check {
    pub const fn new(meta: &'static CheckMeta, eval: Eval) -> Self {
        Check { meta, eval }
    }
}

#[cfg(test)]
mod tests {
    use dockaudit_shared::catalog;

    #[test]
    fn registry_pairs_every_catalogue_entry_once_in_order() {
        let registered: Vec<_> = crate::checks::all().collect();
        let entries: Vec<_> = catalog::all().collect();
        assert_eq!(registered.len(), catalog::CHECK_COUNT);
        assert_eq!(entries.len(), catalog::CHECK_COUNT);
        for (check, entry) in registered.iter().zip(&entries) {
            assert!(
                std::ptr::eq(check.meta, *entry),
                "{} is registered where the catalogue has {}",
                check.meta.id,
                entry.id
            );
        }
        let mut evaluators: Vec<usize> = registered.iter().map(|c| c.eval as usize).collect();
        evaluators.sort_unstable();
        evaluators.dedup();
        assert_eq!(
            evaluators.len(),
            catalog::CHECK_COUNT,
            "an evaluator is registered twice"
        );
    }
}
