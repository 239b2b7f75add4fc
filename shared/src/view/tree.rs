//! The benchmark as a tree: sections 1 … 7, subsections where the benchmark has them, checks.
//!
//! The tree is built over the checks that pass the filters, so a section's badge counts what the
//! reader can see. Checks the catalogue does not know are placed by their dotted id.

use crate::catalog::{self, compare_ids};
use crate::report::CheckResult;
use crate::summary::StatusCounts;

/// A section or subsection and the visible checks under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// "5" or "1.1".
    pub id: String,
    pub title: String,
    /// Subsections, in benchmark order (only section 1 has any in CIS Docker 1.6.0).
    pub groups: Vec<Group<'a>>,
    /// Checks directly in this group, in benchmark order.
    pub checks: Vec<&'a CheckResult>,
    /// Statuses of every check in the group, subsections included.
    pub counts: StatusCounts,
}

impl Group<'_> {
    /// Number of failing checks (status `fail`), subsections included.
    pub fn failing(&self) -> u32 {
        self.counts.fail
    }

    /// Every check in display order, subsections included.
    pub fn all_checks(&self) -> Vec<&CheckResult> {
        let mut out: Vec<&CheckResult> = self.checks.clone();
        for g in &self.groups {
            out.extend(g.all_checks());
        }
        out.sort_by(|a, b| compare_ids(&a.id, &b.id));
        out
    }
}

/// The subsection a check belongs to, if any: the catalogue's, else the first two parts of a
/// three-part id ("1.3.7" → "1.3").
pub fn subsection_of(r: &CheckResult) -> Option<String> {
    if let Some(meta) = catalog::get(&r.id) {
        return meta.subsection.map(str::to_string);
    }
    let parts: Vec<&str> = r.id.split('.').collect();
    (parts.len() >= 3).then(|| format!("{}.{}", parts[0], parts[1]))
}

fn title_of(id: &str) -> String {
    catalog::section_title(id).unwrap_or("Other").to_string()
}

/// Groups checks (already filtered) into sections and subsections. Sections without a visible
/// check are left out.
pub fn build<'a>(checks: &[&'a CheckResult]) -> Vec<Group<'a>> {
    let mut sorted: Vec<&CheckResult> = checks.to_vec();
    sorted.sort_by(|a, b| compare_ids(&a.id, &b.id));
    let mut sections: Vec<Group<'a>> = Vec::new();
    for r in sorted {
        let section_id = if r.section.is_empty() {
            r.id.split('.').next().unwrap_or_default()
        } else {
            &r.section
        };
        let idx = match sections.iter().position(|g| g.id == section_id) {
            Some(i) => i,
            None => {
                sections.push(Group {
                    id: section_id.to_string(),
                    title: title_of(section_id),
                    groups: Vec::new(),
                    checks: Vec::new(),
                    counts: StatusCounts::default(),
                });
                sections.len() - 1
            }
        };
        let section = &mut sections[idx];
        section.counts.add(r.status);
        match subsection_of(r) {
            Some(sub) => {
                let sub_idx = match section.groups.iter().position(|g| g.id == sub) {
                    Some(i) => i,
                    None => {
                        section.groups.push(Group {
                            title: title_of(&sub),
                            id: sub,
                            groups: Vec::new(),
                            checks: Vec::new(),
                            counts: StatusCounts::default(),
                        });
                        section.groups.len() - 1
                    }
                };
                let g = &mut section.groups[sub_idx];
                g.counts.add(r.status);
                g.checks.push(r);
            }
            None => section.checks.push(r),
        }
    }
    sections.sort_by(|a, b| compare_ids(&a.id, &b.id));
    for s in &mut sections {
        s.groups.sort_by(|a, b| compare_ids(&a.id, &b.id));
    }
    sections
}

/// The checks (already filtered) under their severity instead of their section: one group per
/// severity with a visible check, critical first, `unrated` last for ids the catalogue does not
/// know; within a group the order of [`super::state::by_severity`] (those that need a fix first,
/// most offenders first). Group ids are the severities' names (`critical`, …), which no section
/// id can be, so one set of collapsed groups serves both orders.
pub fn by_severity<'a>(checks: &[&'a CheckResult]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    for r in super::state::by_severity(checks) {
        let severity = crate::catalog::severity::of(&r.id);
        let id = severity.map_or("unrated", |s| s.as_str());
        if groups.last().is_none_or(|g| g.id != id) {
            groups.push(Group {
                id: id.to_string(),
                title: severity.map_or("Unrated", |s| s.label()).to_string(),
                groups: Vec::new(),
                checks: Vec::new(),
                counts: StatusCounts::default(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.counts.add(r.status);
            g.checks.push(r);
        }
    }
    groups
}

/// Ids of the checks a reader can step through with the keyboard: every check of the tree in
/// display order, except those inside collapsed groups.
pub fn navigation_order(tree: &[Group<'_>], collapsed: &std::collections::BTreeSet<String>) -> Vec<String> {
    fn walk(g: &Group<'_>, collapsed: &std::collections::BTreeSet<String>, out: &mut Vec<String>) {
        if collapsed.contains(&g.id) {
            return;
        }
        for r in &g.checks {
            out.push(r.id.clone());
        }
        for sub in &g.groups {
            walk(sub, collapsed, out);
        }
    }
    let mut out = Vec::new();
    for g in tree {
        walk(g, collapsed, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use crate::test_support::report_with;

    #[test]
    fn groups_sections_and_subsections_with_counts() {
        let report = report_with(vec![
            ("1.1.1", Status::Pass, vec![]),
            ("1.1.2", Status::Fail, vec![]),
            ("1.2.1", Status::Manual, vec![]),
            ("5.10", Status::Fail, vec![]),
            ("5.2", Status::Pass, vec![]),
        ]);
        let checks: Vec<&CheckResult> = report.results.iter().collect();
        let tree = build(&checks);
        assert_eq!(tree.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["1", "5"]);
        assert_eq!(
            tree[0].groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
            ["1.1", "1.2"]
        );
        assert_eq!(tree[0].groups[0].title, "Linux Hosts Specific Configuration");
        assert_eq!(tree[0].failing(), 1);
        assert_eq!(tree[0].counts.total, 3);
        assert!(tree[0].checks.is_empty());
        assert_eq!(
            tree[1].checks.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["5.2", "5.10"]
        );
        assert_eq!(tree[0].all_checks().len(), 3);

        let order = navigation_order(&tree, &Default::default());
        assert_eq!(order, ["1.1.1", "1.1.2", "1.2.1", "5.2", "5.10"]);
        let collapsed = ["1.1".to_string(), "5".to_string()].into();
        assert_eq!(navigation_order(&tree, &collapsed), ["1.2.1"]);
    }

    #[test]
    fn by_severity_groups_critical_first_and_folds_like_sections() {
        let report = report_with(vec![
            ("1.1.3", Status::Fail, vec![]),
            ("5.5", Status::Pass, vec![]),
            ("5.6", Status::Fail, vec![]),
            ("5.11", Status::Fail, vec![]),
            ("9.9", Status::Fail, vec![]),
        ]);
        let checks: Vec<&CheckResult> = report.results.iter().collect();
        let groups = by_severity(&checks);
        let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["critical", "medium", "low", "unrated"]);
        assert_eq!(groups[0].title, "Critical");
        assert_eq!(
            groups[0].checks.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["5.6", "5.5"],
            "failing first"
        );
        assert_eq!(groups[0].failing(), 1);
        assert_eq!(groups[0].counts.total, 2);
        assert_eq!(
            navigation_order(&groups, &Default::default()),
            ["5.6", "5.5", "5.11", "1.1.3", "9.9"]
        );
        let collapsed = ["critical".to_string(), "low".to_string()].into();
        assert_eq!(navigation_order(&groups, &collapsed), ["5.11", "9.9"]);
    }

    #[test]
    fn unknown_ids_are_placed_by_their_dots() {
        let mut report = report_with(vec![("9.1.4", Status::Fail, vec![]), ("9.2", Status::Pass, vec![])]);
        report.results[0].section = String::new();
        let checks: Vec<&CheckResult> = report.results.iter().collect();
        let tree = build(&checks);
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].id, "9");
        assert_eq!(tree[0].title, "Other");
        assert_eq!(tree[0].groups[0].id, "9.1");
        assert_eq!(tree[0].checks[0].id, "9.2");
    }
}
