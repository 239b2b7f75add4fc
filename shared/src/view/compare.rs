//! Rows of the diff view, on top of [`crate::diff::diff`] (the function `dockaudit diff` uses too).
//!
//! The classification itself is never redone here; this module only orders the diff's buckets
//! for display, hides unchanged rows under "changed only", and applies the free-text filter.

use crate::diff::{CheckChange, OnlyIn, RunDiff, TargetDelta};
use crate::report::{Status, Target};

/// The buckets of a diff, in the order the viewer shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Regressed,
    Fixed,
    StillFailing,
    Changed,
    Added,
    Removed,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Regressed,
        ChangeKind::Fixed,
        ChangeKind::StillFailing,
        ChangeKind::Changed,
        ChangeKind::Added,
        ChangeKind::Removed,
    ];

    /// Stable identifier (CSS class, test id).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Regressed => "regressed",
            ChangeKind::Fixed => "fixed",
            ChangeKind::StillFailing => "still-failing",
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
        }
    }

    /// Heading for people.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Regressed => "Regressions (newly failing)",
            ChangeKind::Fixed => "Fixed (fail → pass)",
            ChangeKind::StillFailing => "Still failing",
            ChangeKind::Changed => "Other status changes",
            ChangeKind::Added => "Checks only in the newer run",
            ChangeKind::Removed => "Checks only in the older run",
        }
    }
}

/// One check in the diff view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub id: String,
    pub title: String,
    /// `None` when the check is missing from the older run.
    pub old: Option<Status>,
    /// `None` when the check is missing from the newer run.
    pub new: Option<Status>,
    /// Targets that started to offend.
    pub new_targets: Vec<Target>,
    /// Targets that stopped offending.
    pub resolved_targets: Vec<Target>,
    /// Targets offending in both runs.
    pub kept_targets: Vec<Target>,
    /// The check's verdict in each run (empty for a run that lacks the check).
    pub old_summary: String,
    pub new_summary: String,
    /// Per target, what each run observed (the detail a row opens to).
    pub targets: Vec<TargetDelta>,
}

impl DiffRow {
    fn from_change(c: &CheckChange) -> Self {
        DiffRow {
            id: c.id.clone(),
            title: c.title.clone(),
            old: Some(c.old_status),
            new: Some(c.new_status),
            new_targets: c.new_targets.clone(),
            resolved_targets: c.resolved_targets.clone(),
            kept_targets: c.kept_targets.clone(),
            old_summary: c.old_summary.clone(),
            new_summary: c.new_summary.clone(),
            targets: c.targets.clone(),
        }
    }

    fn from_only(o: &OnlyIn, in_new: bool) -> Self {
        DiffRow {
            id: o.id.clone(),
            title: o.title.clone(),
            old: (!in_new).then_some(o.status),
            new: in_new.then_some(o.status),
            new_targets: Vec::new(),
            resolved_targets: Vec::new(),
            kept_targets: Vec::new(),
            old_summary: String::new(),
            new_summary: String::new(),
            targets: Vec::new(),
        }
    }

    /// Whether anything about this check differs between the runs.
    pub fn is_change(&self) -> bool {
        self.old != self.new || !self.new_targets.is_empty() || !self.resolved_targets.is_empty()
    }

    fn matches_text(&self, words: &[String]) -> bool {
        if words.is_empty() {
            return true;
        }
        let mut hay = format!("{}\n{}\n", self.id, self.title);
        for t in self
            .new_targets
            .iter()
            .chain(&self.resolved_targets)
            .chain(&self.kept_targets)
        {
            hay.push_str(&t.name);
            hay.push('\n');
            hay.push_str(&t.id);
            hay.push('\n');
        }
        let hay = hay.to_lowercase();
        words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// One bucket with its rows, after filtering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffGroup {
    pub kind: ChangeKind,
    pub rows: Vec<DiffRow>,
}

/// What the diff view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffPage {
    /// Non-empty buckets, in [`ChangeKind::ALL`] order.
    pub groups: Vec<DiffGroup>,
    /// Rows hidden by "changed only" (still failing with the same targets).
    pub hidden_unchanged: usize,
    /// Checks identical in both runs (never listed, only counted).
    pub unchanged: u32,
    pub score_delta: Option<f64>,
}

impl DiffPage {
    /// Rows of one bucket (empty if the bucket has none).
    pub fn rows(&self, kind: ChangeKind) -> &[DiffRow] {
        self.groups
            .iter()
            .find(|g| g.kind == kind)
            .map_or(&[], |g| g.rows.as_slice())
    }
}

/// Arranges a diff for display. With `changed_only`, still-failing checks whose status and
/// offenders are the same in both runs are hidden (and counted).
pub fn page(d: &RunDiff, changed_only: bool, text: &str) -> DiffPage {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut hidden_unchanged = 0;
    let mut groups = Vec::new();
    for kind in ChangeKind::ALL {
        let rows: Vec<DiffRow> = match kind {
            ChangeKind::Regressed => d.regressed.iter().map(DiffRow::from_change).collect(),
            ChangeKind::Fixed => d.fixed.iter().map(DiffRow::from_change).collect(),
            ChangeKind::StillFailing => d.still_failing.iter().map(DiffRow::from_change).collect(),
            ChangeKind::Changed => d.changed.iter().map(DiffRow::from_change).collect(),
            ChangeKind::Added => d.added.iter().map(|o| DiffRow::from_only(o, true)).collect(),
            ChangeKind::Removed => d.removed.iter().map(|o| DiffRow::from_only(o, false)).collect(),
        };
        let rows: Vec<DiffRow> = rows
            .into_iter()
            .filter(|r| r.matches_text(&words))
            .filter(|r| {
                let keep = !changed_only || r.is_change();
                if !keep {
                    hidden_unchanged += 1;
                }
                keep
            })
            .collect();
        if !rows.is_empty() {
            groups.push(DiffGroup { kind, rows });
        }
    }
    DiffPage {
        groups,
        hidden_unchanged,
        unchanged: d.unchanged,
        score_delta: d.score_delta,
    }
}

/// The line above the groups: "3 regressed · 1 fixed · …", counted on the whole diff (not the
/// filtered page), so it always agrees with `dockaudit diff`.
pub fn counts_line(d: &RunDiff) -> String {
    format!(
        "{} regressed · {} fixed · {} still failing · {} other changes · {} unchanged",
        d.regressed.len(),
        d.fixed.len(),
        d.still_failing.len(),
        d.changed.len(),
        d.unchanged
    )
}

/// Targets of a row whose observations differ between the runs, first; then the others.
pub fn targets_for_detail(row: &DiffRow) -> Vec<&TargetDelta> {
    let (mut changed, same): (Vec<&TargetDelta>, Vec<&TargetDelta>) = row.targets.iter().partition(|t| t.changed());
    changed.extend(same);
    changed
}

/// "+4.2", "−3.0", "±0.0" or "n/a".
pub fn format_delta(delta: Option<f64>) -> String {
    match delta {
        Some(v) if v > 0.0 => format!("+{v:.1}"),
        Some(v) if v < 0.0 => format!("−{:.1}", -v),
        Some(_) => "±0.0".to_string(),
        None => "n/a".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff;
    use crate::test_support::{container_finding as c, report_with};

    fn sample() -> RunDiff {
        let old = report_with(vec![
            ("5.4", Status::Pass, vec![]),
            ("5.5", Status::Fail, vec![c("a")]),
            ("5.10", Status::Fail, vec![c("a"), c("b")]),
            ("5.11", Status::Fail, vec![c("x")]),
            ("6.1", Status::Info, vec![]),
        ]);
        let new = report_with(vec![
            ("5.4", Status::Fail, vec![c("web")]),
            ("5.5", Status::Pass, vec![]),
            ("5.10", Status::Fail, vec![c("b"), c("d")]),
            ("5.11", Status::Fail, vec![c("x")]),
            ("6.2", Status::Info, vec![]),
        ]);
        diff(&old, &new)
    }

    #[test]
    fn groups_follow_the_diff_buckets() {
        let p = page(&sample(), false, "");
        let kinds: Vec<ChangeKind> = p.groups.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds,
            [
                ChangeKind::Regressed,
                ChangeKind::Fixed,
                ChangeKind::StillFailing,
                ChangeKind::Added,
                ChangeKind::Removed
            ]
        );
        assert_eq!(p.rows(ChangeKind::Regressed)[0].new_targets[0].name, "web");
        assert_eq!(p.rows(ChangeKind::Fixed)[0].resolved_targets[0].name, "a");
        assert_eq!(p.rows(ChangeKind::StillFailing).len(), 2);
        assert_eq!(p.rows(ChangeKind::Added)[0].old, None);
        assert_eq!(p.rows(ChangeKind::Removed)[0].new, None);
        assert_eq!(p.hidden_unchanged, 0);
    }

    #[test]
    fn changed_only_hides_identical_still_failing_rows() {
        let p = page(&sample(), true, "");
        let still: Vec<&str> = p.rows(ChangeKind::StillFailing).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(still, ["5.10"]);
        assert_eq!(p.hidden_unchanged, 1);
    }

    #[test]
    fn text_filters_rows_by_id_title_or_target() {
        let p = page(&sample(), false, "WEB");
        assert_eq!(p.groups.len(), 1);
        assert_eq!(p.groups[0].rows[0].id, "5.4");
        assert!(page(&sample(), false, "no-such-thing").groups.is_empty());
    }

    /// The comparison: two checks go pass → fail and 1.1.11 not_applicable → fail. The
    /// page lists all three as regressions and the counts line says 3.
    #[test]
    fn newly_failing_not_applicable_checks_are_regressions_on_the_page() {
        let old = report_with(vec![
            ("1.1.11", Status::NotApplicable, vec![]),
            ("5.4", Status::Pass, vec![]),
            ("5.5", Status::Pass, vec![]),
        ]);
        let new = report_with(vec![
            ("1.1.11", Status::Fail, vec![]),
            ("5.4", Status::Fail, vec![c("web")]),
            ("5.5", Status::Fail, vec![c("api")]),
        ]);
        let d = diff(&old, &new);
        let p = page(&d, false, "");
        let ids: Vec<&str> = p.rows(ChangeKind::Regressed).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1.1.11", "5.4", "5.5"]);
        assert!(p.rows(ChangeKind::Changed).is_empty());
        assert!(
            counts_line(&d).starts_with("3 regressed · 0 fixed"),
            "{}",
            counts_line(&d)
        );
    }

    #[test]
    fn the_detail_lists_changed_targets_first() {
        let p = page(&sample(), false, "");
        let row = &p.rows(ChangeKind::StillFailing)[0];
        assert_eq!(row.id, "5.10");
        let names: Vec<&str> = targets_for_detail(row).iter().map(|t| t.target.name.as_str()).collect();
        assert_eq!(names, ["d", "a", "b"]);
    }

    #[test]
    fn deltas_have_explicit_signs() {
        assert_eq!(format_delta(Some(4.25)), "+4.2");
        assert_eq!(format_delta(Some(-3.0)), "−3.0");
        assert_eq!(format_delta(Some(0.0)), "±0.0");
        assert_eq!(format_delta(None), "n/a");
    }
}
