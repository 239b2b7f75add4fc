//! Several runs of one host over time: the score trend and a per-check timeline.
//!
//! Runs are grouped by host name and ordered by their start time (RFC 3339 in UTC sorts as text).
//! Chart geometry is computed here so the SVG component only draws.

use std::collections::BTreeMap;

use crate::catalog::compare_ids;
use crate::report::{Report, Status};

/// One run in a host's series.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Index of the report in the viewer's source list.
    pub source: usize,
    pub run_id: String,
    pub started_at: String,
    pub score: Option<f64>,
    pub fail: u32,
}

/// Every loaded run of one host, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSeries {
    pub host: String,
    pub points: Vec<TrendPoint>,
}

/// Name used for reports without a host name.
pub const UNKNOWN_HOST: &str = "(unknown host)";

/// Groups reports (with their source index) by host, each series oldest first; hosts by name.
pub fn series<'a>(reports: impl IntoIterator<Item = (usize, &'a Report)>) -> Vec<HostSeries> {
    let mut by_host: BTreeMap<String, Vec<TrendPoint>> = BTreeMap::new();
    for (source, r) in reports {
        let host = r
            .host
            .hostname
            .clone()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| UNKNOWN_HOST.to_string());
        by_host.entry(host).or_default().push(TrendPoint {
            source,
            run_id: r.run.id.clone(),
            started_at: r.run.started_at.clone(),
            score: r.summary.score.value,
            fail: r.summary.counts.fail,
        });
    }
    by_host
        .into_iter()
        .map(|(host, mut points)| {
            points.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.source.cmp(&b.source)));
            HostSeries { host, points }
        })
        .collect()
}

/// One check across the runs of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub id: String,
    pub title: String,
    /// Status per run, in series order; `None` where the run lacks the check.
    pub statuses: Vec<Option<Status>>,
}

impl TimelineRow {
    /// Whether the status differs between any two runs.
    pub fn changes(&self) -> bool {
        self.statuses.windows(2).any(|w| w[0] != w[1])
    }
}

/// The per-check timeline over `runs` (oldest first), in benchmark order. With `changed_only`,
/// checks whose status never changed are left out.
pub fn timeline(runs: &[&Report], changed_only: bool) -> Vec<TimelineRow> {
    let mut titles: BTreeMap<&str, &str> = BTreeMap::new();
    for r in runs {
        for c in &r.results {
            let t = titles.entry(c.id.as_str()).or_insert("");
            if t.is_empty() {
                *t = c.title.as_str();
            }
        }
    }
    let mut rows: Vec<TimelineRow> = titles
        .into_iter()
        .map(|(id, title)| TimelineRow {
            id: id.to_string(),
            title: title.to_string(),
            statuses: runs.iter().map(|r| r.result(id).map(|c| c.status)).collect(),
        })
        .filter(|row| !changed_only || row.changes())
        .collect();
    rows.sort_by(|a, b| compare_ids(&a.id, &b.id));
    rows
}

/// "2026-01-05T10:00:00Z" → "2026-01-05 10:00": enough to tell runs apart, short enough for a label.
/// Anything that does not look like RFC 3339 is returned unchanged.
pub fn short_time(rfc3339: &str) -> String {
    let b = rfc3339.as_bytes();
    let looks_right =
        b.len() >= 16 && b[4] == b'-' && b[7] == b'-' && (b[10] == b'T' || b[10] == b' ') && b[13] == b':';
    if looks_right && rfc3339.is_char_boundary(16) {
        format!("{} {}", &rfc3339[..10], &rfc3339[11..16])
    } else {
        rfc3339.to_string()
    }
}

/// A point of the score chart in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub score: f64,
}

/// Places scores (0–100) on a `width` × `height` plot with `pad` units of margin; runs without a
/// score are skipped but keep their slot on the x axis.
pub fn chart_points(points: &[TrendPoint], width: f64, height: f64, pad: f64) -> Vec<ChartPoint> {
    let n = points.len();
    let inner_w = (width - 2.0 * pad).max(1.0);
    let inner_h = (height - 2.0 * pad).max(1.0);
    points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let score = p.score?.clamp(0.0, 100.0);
            #[allow(clippy::cast_precision_loss)] // a handful of runs
            let x = if n <= 1 {
                pad + inner_w / 2.0
            } else {
                pad + inner_w * i as f64 / (n - 1) as f64
            };
            let y = pad + inner_h * (1.0 - score / 100.0);
            Some(ChartPoint { x, y, score })
        })
        .collect()
}

/// The `points` attribute of an SVG polyline through the chart points.
pub fn polyline(points: &[ChartPoint]) -> String {
    points
        .iter()
        .map(|p| format!("{:.1},{:.1}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::report_with;

    fn run(host: &str, at: &str, statuses: Vec<(&str, Status)>) -> Report {
        let mut r = report_with(statuses.into_iter().map(|(id, s)| (id, s, vec![])).collect());
        r.host.hostname = Some(host.into());
        r.run.started_at = at.into();
        r.run.id = format!("{host}-{at}");
        r
    }

    #[test]
    fn series_group_by_host_and_sort_by_time() {
        let a2 = run("a", "2026-02-01T00:00:00Z", vec![("5.4", Status::Pass)]);
        let b1 = run("b", "2026-01-15T00:00:00Z", vec![("5.4", Status::Fail)]);
        let a1 = run("a", "2026-01-01T00:00:00Z", vec![("5.4", Status::Fail)]);
        let s = series([(0, &a2), (1, &b1), (2, &a1)]);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].host, "a");
        assert_eq!(s[0].points.iter().map(|p| p.source).collect::<Vec<_>>(), [2, 0]);
        assert_eq!(s[0].points[0].score, Some(0.0));
        assert_eq!(s[0].points[1].score, Some(100.0));
    }

    #[test]
    fn timeline_lists_statuses_per_run() {
        let r1 = run(
            "a",
            "1",
            vec![("5.4", Status::Fail), ("5.10", Status::Pass), ("2.1", Status::Pass)],
        );
        let r2 = run("a", "2", vec![("5.4", Status::Pass), ("5.10", Status::Pass)]);
        let rows = timeline(&[&r1, &r2], false);
        assert_eq!(
            rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["2.1", "5.4", "5.10"]
        );
        assert_eq!(rows[0].statuses, [Some(Status::Pass), None]);
        assert_eq!(rows[1].statuses, [Some(Status::Fail), Some(Status::Pass)]);
        let changed = timeline(&[&r1, &r2], true);
        assert_eq!(
            changed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["2.1", "5.4"]
        );
    }

    #[test]
    fn short_times() {
        assert_eq!(short_time("2026-01-05T10:00:00Z"), "2026-01-05 10:00");
        assert_eq!(short_time("2026-01-05 10:00:00+02:00"), "2026-01-05 10:00");
        assert_eq!(short_time("yesterday"), "yesterday");
        assert_eq!(short_time("2026-01-05T1é:00:00Z"), "2026-01-05T1é:00:00Z");
    }

    #[test]
    fn chart_geometry() {
        let p = |score: Option<f64>| TrendPoint {
            source: 0,
            run_id: String::new(),
            started_at: String::new(),
            score,
            fail: 0,
        };
        let pts = chart_points(&[p(Some(0.0)), p(None), p(Some(100.0))], 220.0, 120.0, 10.0);
        assert_eq!(pts.len(), 2);
        assert_eq!((pts[0].x, pts[0].y), (10.0, 110.0));
        assert_eq!((pts[1].x, pts[1].y), (210.0, 10.0));
        assert_eq!(polyline(&pts), "10.0,110.0 210.0,10.0");
        let single = chart_points(&[p(Some(50.0))], 220.0, 120.0, 10.0);
        assert_eq!((single[0].x, single[0].y), (110.0, 60.0));
    }
}
