//! Which checks the viewer shows, and how many each filter value would show.
//!
//! Filters combine with AND across kinds; several statuses combine with OR. Counts beside a filter
//! value are *faceted*: they apply every other active filter, so the numbers always say what
//! clicking that value would show.

use std::collections::BTreeSet;

use crate::catalog::{self, Evaluation};
use crate::report::{CheckResult, Status, TargetKind};

/// The filters of the report view. The default shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Statuses to show; empty shows all.
    pub statuses: BTreeSet<Status>,
    /// A section or subsection id ("5", "1.1"); `None` shows all.
    pub section: Option<String>,
    /// CIS profile level (1 or 2).
    pub level: Option<u8>,
    pub evaluation: Option<Evaluation>,
    /// A target's key or name (container name, image id or tag): only checks with a finding on it.
    pub target: Option<String>,
    /// Free text, matched case-insensitively word by word against ids, titles, summaries,
    /// remediation and every field of the findings.
    pub text: String,
}

/// One kind of filter, for faceted counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Status,
    Section,
    Level,
    Evaluation,
    Target,
    Text,
}

impl Filters {
    /// Whether no filter is active.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Whether a check passes every filter.
    pub fn matches(&self, r: &CheckResult) -> bool {
        self.matches_except(r, None)
    }

    /// Whether a check passes every filter other than `skip`.
    pub fn matches_except(&self, r: &CheckResult, skip: Option<Facet>) -> bool {
        let on = |f: Facet| skip != Some(f);
        (!on(Facet::Status) || self.statuses.is_empty() || self.statuses.contains(&r.status))
            && (!on(Facet::Section) || self.section.as_deref().is_none_or(|s| in_section(r, s)))
            && (!on(Facet::Level) || self.level.is_none_or(|l| r.level == l))
            && (!on(Facet::Evaluation) || self.evaluation.is_none_or(|e| r.evaluation == e))
            && (!on(Facet::Target) || self.target.as_deref().is_none_or(|t| has_target(r, t)))
            && (!on(Facet::Text) || matches_text(r, &self.text))
    }
}

/// Whether a check lies in a section or subsection. Uses the id's dotted prefix, so checks the
/// catalogue does not know still group correctly.
pub fn in_section(r: &CheckResult, section: &str) -> bool {
    r.section == section || catalog::id_matches_prefix(&r.id, section)
}

/// Whether a check has a finding about the target `key` (matched against key, name and id).
pub fn has_target(r: &CheckResult, key: &str) -> bool {
    r.findings
        .iter()
        .any(|f| f.target.key() == key || f.target.name == key || f.target.id == key)
}

/// Case-insensitive match of every whitespace-separated word of `text` somewhere in the check.
///
/// Fields are searched one by one and the search stops at the first field that holds the last
/// missing word. A word has no whitespace, so it can never span two fields, and searching field by
/// field finds exactly what searching their concatenation would. ASCII fields (nearly all of them)
/// are compared without building a lowercase copy: on a host of 10,000 containers a check holds
/// megabytes of findings, and copying them on each keystroke was what made the filter slow.
pub fn matches_text(r: &CheckResult, text: &str) -> bool {
    let mut missing: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    if missing.is_empty() {
        return true;
    }
    let mut take = |field: &str| {
        missing.retain(|w| !contains_folded(field, w));
        missing.is_empty()
    };
    for part in [
        r.id.as_str(),
        r.title.as_str(),
        r.summary.as_str(),
        r.remediation.as_str(),
        r.status.as_str(),
    ] {
        if take(part) {
            return true;
        }
    }
    for f in &r.findings {
        for part in [
            f.target.name.as_str(),
            f.target.id.as_str(),
            f.message.as_str(),
            f.observed.as_str(),
            f.expected.as_str(),
            f.remediation.as_str(),
        ] {
            if take(part) {
                return true;
            }
        }
    }
    false
}

/// Whether `hay`, lowercased, contains `needle` (already lowercase).
fn contains_folded(hay: &str, needle: &str) -> bool {
    if needle.len() > hay.len() && hay.is_ascii() {
        return false;
    }
    if hay.is_ascii() {
        // Lowercasing ASCII gives ASCII, which a non-ASCII word cannot be found in.
        needle.is_ascii() && ascii_contains(hay.as_bytes(), needle.as_bytes())
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// ASCII case-insensitive substring search for an already lowercase needle.
fn ascii_contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if needle.len() > hay.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    hay[..=last_start].iter().enumerate().any(|(i, b)| {
        b.to_ascii_lowercase() == first
            && hay[i + 1..i + needle.len()]
                .iter()
                .zip(rest)
                .all(|(h, n)| h.to_ascii_lowercase() == *n)
    })
}

/// The checks that pass the filters, in benchmark order.
pub fn visible<'a>(results: &'a [CheckResult], filters: &Filters) -> Vec<&'a CheckResult> {
    let mut out: Vec<&CheckResult> = results.iter().filter(|r| filters.matches(r)).collect();
    out.sort_by(|a, b| catalog::compare_ids(&a.id, &b.id));
    out
}

/// A filter value and how many checks selecting it would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count<T> {
    pub value: T,
    pub count: usize,
}

/// Live counts for every filter value, plus how many checks are shown in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    /// Every status, in display order (zero counts included, so the layout stays put).
    pub statuses: Vec<Count<Status>>,
    /// Top-level sections present in the report, with their titles.
    pub sections: Vec<(Count<String>, String)>,
    pub levels: Vec<Count<u8>>,
    pub evaluations: Vec<Count<Evaluation>>,
    /// Checks passing every filter.
    pub shown: usize,
    /// Checks in the report.
    pub total: usize,
}

/// Counts for each filter value under the other active filters.
///
/// Each filter is evaluated once per check (the text filter is the costly one on reports with
/// thousands of findings), then the counts are plain boolean arithmetic.
pub fn facet_counts(results: &[CheckResult], filters: &Filters) -> FacetCounts {
    const FACETS: [Facet; 6] = [
        Facet::Status,
        Facet::Section,
        Facet::Level,
        Facet::Evaluation,
        Facet::Target,
        Facet::Text,
    ];
    let singles: [Filters; 6] = FACETS.map(|f| Filters::default().with(filters, f));
    let passes: Vec<[bool; 6]> = results
        .iter()
        .map(|r| singles.each_ref().map(|single| single.matches(r)))
        .collect();
    // Checks passing every filter except `skip` that also satisfy `pred`.
    let count_where = |skip: Facet, pred: &dyn Fn(&CheckResult) -> bool| {
        results
            .iter()
            .zip(&passes)
            .filter(|(r, row)| FACETS.iter().zip(row.iter()).all(|(f, ok)| *f == skip || *ok) && pred(r))
            .count()
    };
    let statuses = Status::ALL
        .into_iter()
        .map(|s| Count {
            value: s,
            count: count_where(Facet::Status, &|r| r.status == s),
        })
        .collect();
    let mut section_ids: Vec<String> = Vec::new();
    for r in results {
        for id in [Some(r.section.clone()), super::tree::subsection_of(r)]
            .into_iter()
            .flatten()
        {
            if !id.is_empty() && !section_ids.contains(&id) {
                section_ids.push(id);
            }
        }
    }
    section_ids.sort_by(|a, b| catalog::compare_ids(a, b));
    let sections = section_ids
        .into_iter()
        .map(|id| {
            let count = count_where(Facet::Section, &|r| in_section(r, &id));
            let title = catalog::section_title(&id).unwrap_or("Other").to_string();
            (Count { value: id, count }, title)
        })
        .collect();
    let levels = [1u8, 2]
        .into_iter()
        .map(|l| Count {
            value: l,
            count: count_where(Facet::Level, &|r| r.level == l),
        })
        .collect();
    let evaluations = [Evaluation::Automatic, Evaluation::Review]
        .into_iter()
        .map(|e| Count {
            value: e,
            count: count_where(Facet::Evaluation, &|r| r.evaluation == e),
        })
        .collect();
    FacetCounts {
        statuses,
        sections,
        levels,
        evaluations,
        shown: passes.iter().filter(|row| row.iter().all(|ok| *ok)).count(),
        total: results.len(),
    }
}

impl Filters {
    /// `self` with the one filter `facet` copied from `from` (used to test filters one by one).
    fn with(mut self, from: &Filters, facet: Facet) -> Filters {
        match facet {
            Facet::Status => self.statuses = from.statuses.clone(),
            Facet::Section => self.section = from.section.clone(),
            Facet::Level => self.level = from.level,
            Facet::Evaluation => self.evaluation = from.evaluation,
            Facet::Target => self.target = from.target.clone(),
            Facet::Text => self.text = from.text.clone(),
        }
        self
    }
}

/// `automatic` / `review`, as written in reports and URLs.
pub fn evaluation_str(e: Evaluation) -> &'static str {
    match e {
        Evaluation::Automatic => "automatic",
        Evaluation::Review => "review",
    }
}

/// Inverse of [`evaluation_str`].
pub fn parse_evaluation(s: &str) -> Option<Evaluation> {
    match s {
        "automatic" => Some(Evaluation::Automatic),
        "review" => Some(Evaluation::Review),
        _ => None,
    }
}

/// Whether findings about this kind of target make it a pickable "target" (the things people
/// run: containers and images; files and settings are better found through the checks).
pub fn is_pickable_target(kind: TargetKind) -> bool {
    matches!(kind, TargetKind::Container | TargetKind::Image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Target};
    use crate::test_support::report_with;

    fn finding(kind: TargetKind, name: &str, message: &str) -> Finding {
        Finding {
            target: Target::new(kind, format!("id-{name}"), name),
            message: message.into(),
            observed: "Privileged=true".into(),
            expected: "Privileged=false".into(),
            remediation: String::new(),
        }
    }

    fn sample() -> Vec<CheckResult> {
        report_with(vec![
            ("1.1.1", Status::Pass, vec![]),
            ("1.2.1", Status::Manual, vec![]),
            (
                "2.2",
                Status::Fail,
                vec![finding(TargetKind::Daemon, "daemon", "icc is on")],
            ),
            (
                "5.5",
                Status::Fail,
                vec![finding(TargetKind::Container, "web", "runs privileged")],
            ),
            (
                "5.10",
                Status::Warn,
                vec![finding(TargetKind::Container, "db", "no memory limit")],
            ),
            (
                "4.1",
                Status::Fail,
                vec![finding(TargetKind::Image, "alpine:3", "runs as root")],
            ),
        ])
        .results
    }

    #[test]
    fn empty_filters_show_everything_in_benchmark_order() {
        let results = sample();
        let shown: Vec<&str> = visible(&results, &Filters::default())
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(shown, ["1.1.1", "1.2.1", "2.2", "4.1", "5.5", "5.10"]);
        assert!(Filters::default().is_empty());
    }

    #[test]
    fn statuses_or_other_kinds_and() {
        let results = sample();
        let f = Filters {
            statuses: [Status::Fail, Status::Warn].into(),
            section: Some("5".into()),
            ..Filters::default()
        };
        let shown: Vec<&str> = visible(&results, &f).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(shown, ["5.5", "5.10"]);
    }

    #[test]
    fn subsection_and_level_and_evaluation() {
        let results = sample();
        let f = Filters {
            section: Some("1.2".into()),
            ..Filters::default()
        };
        assert_eq!(visible(&results, &f).len(), 1);
        let level2: Vec<&str> = visible(
            &results,
            &Filters {
                level: Some(2),
                ..Filters::default()
            },
        )
        .iter()
        .map(|r| r.id.as_str())
        .collect();
        assert!(level2.iter().all(|id| catalog::get(id).is_some_and(|m| m.level == 2)));
        let review = Filters {
            evaluation: Some(Evaluation::Review),
            ..Filters::default()
        };
        assert!(visible(&results, &review)
            .iter()
            .all(|r| r.evaluation == Evaluation::Review));
    }

    #[test]
    fn text_matches_findings_case_insensitively_word_by_word() {
        let results = sample();
        let by = |t: &str| -> Vec<String> {
            visible(
                &results,
                &Filters {
                    text: t.into(),
                    ..Filters::default()
                },
            )
            .iter()
            .map(|r| r.id.clone())
            .collect()
        };
        assert_eq!(by("WEB"), ["5.5"]);
        assert_eq!(by("privileged web"), ["5.5"]);
        assert_eq!(by("privileged nothing-like-this"), Vec::<String>::new());
        assert_eq!(by("  ").len(), results.len());
    }

    #[test]
    fn text_folds_case_beyond_ascii_and_never_spans_fields() {
        let mut results = sample();
        results[0].summary = "Läuft ÜBER Kelvin \u{212a}".into();
        let ids = |t: &str| -> Vec<String> {
            visible(
                &results,
                &Filters {
                    text: t.into(),
                    ..Filters::default()
                },
            )
            .iter()
            .map(|r| r.id.clone())
            .collect()
        };
        assert_eq!(ids("über LÄUFT"), ["1.1.1"]);
        assert_eq!(ids("ü"), ["1.1.1"]);
        // The Kelvin sign lowercases to an ASCII k.
        assert_eq!(ids("\u{212a}elvin"), ["1.1.1"]);
        // Words are found in different fields of one check, but a word is never split over two.
        assert_eq!(ids("privileged=true web"), ["5.5"]);
        assert!(ids("webid-web").is_empty());
        assert!(ids("5.5fail").is_empty());
    }

    #[test]
    fn target_filter_matches_name_or_id() {
        let results = sample();
        for key in ["db", "id-db"] {
            let f = Filters {
                target: Some(key.into()),
                ..Filters::default()
            };
            assert_eq!(
                visible(&results, &f).iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
                ["5.10"]
            );
        }
    }

    #[test]
    fn facet_counts_ignore_their_own_facet() {
        let results = sample();
        let f = Filters {
            statuses: [Status::Fail].into(),
            section: Some("5".into()),
            ..Filters::default()
        };
        let c = facet_counts(&results, &f);
        assert_eq!(c.shown, 1);
        assert_eq!(c.total, 6);
        let status = |s: Status| c.statuses.iter().find(|x| x.value == s).map(|x| x.count);
        // Within section 5: one fail, one warn.
        assert_eq!(status(Status::Fail), Some(1));
        assert_eq!(status(Status::Warn), Some(1));
        assert_eq!(status(Status::Pass), Some(0));
        // Among failing checks: section 2, 4 and 5 have one each.
        let section = |id: &str| c.sections.iter().find(|(x, _)| x.value == id).map(|(x, _)| x.count);
        assert_eq!(section("2"), Some(1));
        assert_eq!(section("4"), Some(1));
        assert_eq!(section("1"), Some(0));
        assert_eq!(c.sections[0].1, "Host Configuration");
        // Subsections are offered too, right after their section.
        let ids: Vec<&str> = c.sections.iter().map(|(x, _)| x.value.as_str()).collect();
        assert_eq!(ids, ["1", "1.1", "1.2", "2", "4", "5"]);
    }

    #[test]
    fn fast_counts_agree_with_the_definition() {
        let results = sample();
        let cases = [
            Filters::default(),
            Filters {
                text: "privileged".into(),
                ..Filters::default()
            },
            Filters {
                statuses: [Status::Fail].into(),
                level: Some(1),
                ..Filters::default()
            },
            Filters {
                target: Some("web".into()),
                evaluation: Some(Evaluation::Automatic),
                ..Filters::default()
            },
            Filters {
                section: Some("1".into()),
                text: "no such words".into(),
                ..Filters::default()
            },
        ];
        for f in cases {
            let c = facet_counts(&results, &f);
            let slow = |skip: Facet, pred: &dyn Fn(&CheckResult) -> bool| {
                results
                    .iter()
                    .filter(|r| f.matches_except(r, Some(skip)) && pred(r))
                    .count()
            };
            for s in &c.statuses {
                assert_eq!(
                    s.count,
                    slow(Facet::Status, &|r| r.status == s.value),
                    "{f:?} {:?}",
                    s.value
                );
            }
            for (s, _) in &c.sections {
                assert_eq!(
                    s.count,
                    slow(Facet::Section, &|r| in_section(r, &s.value)),
                    "{f:?} {}",
                    s.value
                );
            }
            for l in &c.levels {
                assert_eq!(l.count, slow(Facet::Level, &|r| r.level == l.value), "{f:?}");
            }
            assert_eq!(c.shown, visible(&results, &f).len(), "{f:?}");
        }
    }

    #[test]
    fn evaluation_names_round_trip() {
        for e in [Evaluation::Automatic, Evaluation::Review] {
            assert_eq!(parse_evaluation(evaluation_str(e)), Some(e));
        }
        assert_eq!(parse_evaluation("auto"), None);
    }
}
