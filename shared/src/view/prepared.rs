//! What the viewer asks of a report's findings on every render, worked out once while the report
//! is read: each result's distinct targets (its offender count, the targets a sign-off leaves
//! open) and the by-target summary (the target picker, "By target"). On a host of ten thousand
//! containers each of these walks 180,000 findings; done per render they froze the page for a
//! quarter of a second, done here they are a few milliseconds per result of the sliced load
//! ([`super::chunked`]).

use std::sync::Arc;

use crate::report::{CheckResult, Report, Target};

use super::targets::{TargetSummary, TargetTally};

/// The worked-out lists of one report, aligned with its `results`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prepared {
    targets: Vec<Arc<[Target]>>,
    offenders: Vec<usize>,
    summary: Arc<[TargetSummary]>,
}

impl Prepared {
    /// Works everything out in one go (reports read without slicing, tests).
    pub fn of(report: &Report) -> Self {
        let mut preparing = Preparing::default();
        for r in &report.results {
            preparing.add(r);
        }
        preparing.finish()
    }

    /// Each result's distinct targets, in finding order ([`CheckResult::distinct_targets`]).
    pub fn target_lists(&self) -> &[Arc<[Target]>] {
        &self.targets
    }

    /// [`CheckResult::offender_count`] of result `i` (0 past the end).
    pub fn offenders(&self, i: usize) -> usize {
        self.offenders.get(i).copied().unwrap_or(0)
    }

    /// [`super::targets::summarize`] of the report.
    pub fn summary(&self) -> &Arc<[TargetSummary]> {
        &self.summary
    }

    /// Whether these lists belong to `report` (as many as it has results).
    pub fn fits(&self, report: &Report) -> bool {
        self.targets.len() == report.results.len()
    }
}

/// [`Prepared`] built one result at a time, in result order.
#[derive(Debug, Default)]
pub struct Preparing {
    targets: Vec<Arc<[Target]>>,
    offenders: Vec<usize>,
    tally: TargetTally,
}

impl Preparing {
    /// Adds the next result.
    pub fn add(&mut self, r: &CheckResult) {
        let distinct = r.distinct_targets();
        self.tally.add(r, &distinct);
        self.offenders
            .push(if r.status.counts_offenders() { distinct.len() } else { 0 });
        self.targets.push(distinct.into_iter().cloned().collect());
    }

    pub fn finish(self) -> Prepared {
        Prepared {
            targets: self.targets,
            offenders: self.offenders,
            summary: self.tally.finish().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Status, TargetKind};
    use crate::test_support::{container_finding as c, report_with};
    use crate::view::targets::summarize;

    /// The worked-out lists equal what the report's own functions say, result by result.
    #[test]
    fn prepared_lists_equal_the_reports_own_answers() {
        let report = report_with(vec![
            ("5.4", Status::Fail, vec![c("web"), c("db"), c("web")]),
            ("5.10", Status::Pass, vec![c("web")]),
            ("5.12", Status::Warn, vec![c("cache")]),
            ("5.25", Status::Error, vec![c("db"), c("db")]),
        ]);
        let p = Prepared::of(&report);
        assert!(p.fits(&report));
        for (i, r) in report.results.iter().enumerate() {
            assert_eq!(p.offenders(i), r.offender_count(), "{}", r.id);
            let keys: Vec<&str> = p.target_lists()[i].iter().map(Target::key).collect();
            let expected: Vec<&str> = r.distinct_targets().into_iter().map(Target::key).collect();
            assert_eq!(keys, expected, "{}", r.id);
        }
        assert_eq!(&p.summary()[..], &summarize(&report)[..]);
        let web = p.summary().iter().find(|t| t.key == "web").unwrap();
        assert_eq!(web.kind, TargetKind::Container);
        assert_eq!(web.offending.len(), 1);
        assert_eq!(web.mentioned, 1);
        let db = p.summary().iter().find(|t| t.key == "db").unwrap();
        assert_eq!(
            db.offending,
            vec![("5.4".to_string(), Status::Fail), ("5.25".to_string(), Status::Error)]
        );
    }
}
