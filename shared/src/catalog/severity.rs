//! How urgent a failing check is: critical, high, medium or low.
//!
//! Severity belongs to the recommendation, not to a run, so it lives in the catalogue and is looked
//! up by check id ([`of`]); reports do not carry it, and reports written before it existed (or
//! imported from docker-bench-security) get it too. The rule each level follows is written down in
//! `docs/severity.md`; the numbers other tools read (SARIF `security-severity`, HDF `impact`) are
//! derived here so every export agrees.

use serde::{Deserialize, Serialize};

/// The four levels, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The setting alone hands a container or a network peer the host or the daemon.
    Critical,
    /// A short step to the host, its daemon or its workloads: one more weakness is enough.
    High,
    /// Weakens a defence in depth, exposes data or allows denial of service.
    Medium,
    /// Hygiene, detection and operations: nothing is exposed by the failure alone.
    Low,
}

impl Severity {
    /// Most urgent first.
    pub const ALL: [Severity; 4] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low];

    /// `critical`, `high`, `medium` or `low` (CSS classes, CSV, URL values).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// Capitalised, for headings and badges.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// SARIF `properties.security-severity`: GitHub reads a number as a string and buckets it as
    /// critical above 9.0, high from 7.0, medium from 4.0 and low below; each value sits inside
    /// its bucket, away from the edges.
    pub fn sarif_score(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
        }
    }

    /// SARIF rule level for a check dockaudit decides: only medium and above are errors.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "note",
        }
    }

    /// HDF `impact`: Heimdall reads 0.9 and above as critical, 0.7 high, 0.4 medium, 0.1 low.
    pub fn hdf_impact(self) -> f64 {
        match self {
            Severity::Critical => 0.9,
            Severity::High => 0.7,
            Severity::Medium => 0.5,
            Severity::Low => 0.3,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The severity of a check id, `None` for ids the catalogue does not know.
pub fn of(id: &str) -> Option<Severity> {
    super::get(id).map(|m| m.severity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn order_is_most_urgent_first() {
        assert!(Severity::Critical < Severity::High && Severity::Medium < Severity::Low);
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(Severity::parse("urgent"), None);
    }

    #[test]
    fn numbers_fall_in_the_buckets_consumers_use() {
        let bucket = |score: f64| match score {
            s if s > 9.0 => Severity::Critical,
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            _ => Severity::Low,
        };
        for s in Severity::ALL {
            assert_eq!(bucket(s.sarif_score().parse().unwrap()), s, "SARIF {s}");
            let heimdall = match s.hdf_impact() {
                i if i >= 0.9 => Severity::Critical,
                i if i >= 0.7 => Severity::High,
                i if i >= 0.4 => Severity::Medium,
                _ => Severity::Low,
            };
            assert_eq!(heimdall, s, "HDF {s}");
        }
    }

    /// The examples the rule in docs/severity.md names: escapes above exposure above hygiene.
    #[test]
    fn the_documented_rule_holds_for_its_examples() {
        for id in ["5.5", "5.6", "5.10", "5.16", "5.32", "2.7"] {
            assert_eq!(of(id), Some(Severity::Critical), "{id}");
        }
        for id in ["5.4", "5.17", "5.22", "5.31", "1.1.2", "3.15", "3.16", "2.5"] {
            assert_eq!(of(id), Some(Severity::High), "{id}");
        }
        for id in catalog::all().filter(|m| m.title.contains("Ensure auditing is configured")) {
            assert_eq!(
                id.severity,
                Severity::Low,
                "{} audit rules detect, they do not prevent",
                id.id
            );
        }
        assert_eq!(of("9.9"), None);
        let critical: Vec<&str> = catalog::all()
            .filter(|m| m.severity == Severity::Critical)
            .map(|m| m.id)
            .collect();
        assert_eq!(critical, ["2.7", "5.5", "5.6", "5.10", "5.16", "5.32"]);
    }
}
