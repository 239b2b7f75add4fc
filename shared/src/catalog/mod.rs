//! The CIS Docker Benchmark v1.6.0 catalogue: every recommendation as static metadata.
//!
//! The catalogue is the single source of truth for ids, titles, levels and guidance. The collector
//! evaluates it, the viewer explains it, and every report copies the per-check fields it needs so a
//! report stays readable without this crate.

pub mod s1_host;
pub mod s2_daemon;
pub mod s3_files;
pub mod s4_images;
pub mod s5_runtime;
pub mod s6_operations;
pub mod s7_swarm;
pub mod severity;

pub use severity::Severity;

use serde::{Deserialize, Serialize};

/// Benchmark identifier written into every report.
pub const BENCHMARK_ID: &str = "cis-docker";
/// Benchmark version the catalogue follows.
pub const BENCHMARK_VERSION: &str = "1.6.0";

/// How CIS 1.6.0 itself classifies a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Automated,
    Manual,
}

/// Whether dockaudit decides the verdict from facts or hands it to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    /// dockaudit decides pass or fail from gathered facts.
    Automatic,
    /// A person must decide; dockaudit reports the facts that help.
    Review,
}

/// A section or subsection heading of the benchmark ("1", "1.1", "5").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SectionMeta {
    pub id: &'static str,
    pub title: &'static str,
}

/// One recommendation of the benchmark. All text is dockaudit's own wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckMeta {
    /// CIS id, e.g. "5.4".
    pub id: &'static str,
    /// Top-level section id, e.g. "5".
    pub section: &'static str,
    /// Subsection id when the benchmark has one (only section 1 does), e.g. "1.1".
    pub subsection: Option<&'static str>,
    pub title: &'static str,
    /// CIS profile level: 1 or 2.
    pub level: u8,
    pub assessment: Assessment,
    pub evaluation: Evaluation,
    /// How urgent a failure is (the rule is in `docs/severity.md`).
    pub severity: Severity,
    /// Why the recommendation matters.
    pub rationale: &'static str,
    /// How dockaudit (or a reviewer) establishes the verdict, including the data source.
    pub audit: &'static str,
    /// What to change when the check fails.
    pub remediation: &'static str,
    /// What the remediation costs or breaks.
    pub impact: &'static str,
    /// Where CIS's wording and the peers' behaviour differ from ours, and why.
    pub notes: &'static str,
}

/// Section and subsection headings, in benchmark order.
pub const SECTIONS: &[SectionMeta] = &[
    SectionMeta {
        id: "1",
        title: "Host Configuration",
    },
    SectionMeta {
        id: "1.1",
        title: "Linux Hosts Specific Configuration",
    },
    SectionMeta {
        id: "1.2",
        title: "General Configuration",
    },
    SectionMeta {
        id: "2",
        title: "Docker daemon configuration",
    },
    SectionMeta {
        id: "3",
        title: "Docker daemon configuration files",
    },
    SectionMeta {
        id: "4",
        title: "Container Images and Build File Configuration",
    },
    SectionMeta {
        id: "5",
        title: "Container Runtime Configuration",
    },
    SectionMeta {
        id: "6",
        title: "Docker Security Operations",
    },
    SectionMeta {
        id: "7",
        title: "Docker Swarm Configuration",
    },
];

/// Top-level section ids in order.
pub const TOP_SECTIONS: &[&str] = &["1", "2", "3", "4", "5", "6", "7"];

/// Number of recommendations in CIS Docker Benchmark v1.6.0.
pub const CHECK_COUNT: usize = 117;

/// Every recommendation in benchmark order.
pub fn all() -> impl Iterator<Item = &'static CheckMeta> {
    [
        s1_host::CHECKS.as_slice(),
        s2_daemon::CHECKS.as_slice(),
        s3_files::CHECKS.as_slice(),
        s4_images::CHECKS.as_slice(),
        s5_runtime::CHECKS.as_slice(),
        s6_operations::CHECKS.as_slice(),
        s7_swarm::CHECKS.as_slice(),
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Looks up one recommendation by its exact id.
pub fn get(id: &str) -> Option<&'static CheckMeta> {
    all().find(|c| c.id == id)
}

/// Title of a section or subsection.
pub fn section_title(id: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|s| s.id == id).map(|s| s.title)
}

/// Compares two dotted ids numerically ("2.9" < "2.10").
pub fn compare_ids(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |s: &str| -> Vec<u32> { s.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect() };
    parse(a).cmp(&parse(b)).then_with(|| a.cmp(b))
}

/// Whether `id` is `prefix` itself or lies below it: "1.1" covers "1.1.3" but "2.1" never covers "2.10".
pub fn id_matches_prefix(id: &str, prefix: &str) -> bool {
    id == prefix || (id.len() > prefix.len() && id.starts_with(prefix) && id.as_bytes()[prefix.len()] == b'.')
}

/// Ids closest to an unknown one, for "did you mean" messages.
pub fn closest_ids(unknown: &str, max: usize) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = all().map(|c| (edit_distance(unknown, c.id), c.id)).collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| compare_ids(a.1, b.1)));
    scored.into_iter().take(max).map(|(_, id)| id).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_complete_unique_and_ordered() {
        let ids: Vec<&str> = all().map(|c| c.id).collect();
        assert_eq!(ids.len(), CHECK_COUNT);
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids");
        for pair in ids.windows(2) {
            assert_eq!(
                compare_ids(pair[0], pair[1]),
                std::cmp::Ordering::Less,
                "{} before {}",
                pair[0],
                pair[1]
            );
        }
        let per_section: Vec<usize> = TOP_SECTIONS
            .iter()
            .map(|s| all().filter(|c| c.section == *s).count())
            .collect();
        assert_eq!(per_section, vec![20, 18, 24, 12, 32, 2, 9]);
    }

    #[test]
    fn every_entry_is_filled_in() {
        for c in all() {
            assert!(c.id.starts_with(c.section), "{} not in section {}", c.id, c.section);
            if let Some(sub) = c.subsection {
                assert!(id_matches_prefix(c.id, sub), "{} not in {}", c.id, sub);
                assert!(section_title(sub).is_some(), "{} has unknown subsection", c.id);
            }
            assert!(section_title(c.section).is_some());
            assert!(c.level == 1 || c.level == 2, "{} level", c.id);
            for (name, text) in [
                ("title", c.title),
                ("rationale", c.rationale),
                ("audit", c.audit),
                ("remediation", c.remediation),
                ("impact", c.impact),
            ] {
                assert!(text.trim().len() >= 10, "{} has an empty {}", c.id, name);
            }
        }
    }

    #[test]
    fn prefix_matching_respects_dots() {
        assert!(id_matches_prefix("2.1", "2.1"));
        assert!(!id_matches_prefix("2.10", "2.1"));
        assert!(id_matches_prefix("1.1.3", "1.1"));
        assert!(id_matches_prefix("5.4", "5"));
        assert!(!id_matches_prefix("5.4", "5.4.1"));
    }

    #[test]
    fn closest_ids_suggests_neighbours() {
        assert!(closest_ids("5.40", 3).contains(&"5.4"));
    }
}
