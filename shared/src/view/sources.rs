//! The list of opened reports as the viewer shows it: one [`SourceRow`] per source.
//!
//! Rows hold only what the list displays, so comparing the rows of two renders is cheap, unlike
//! comparing the reports themselves.

use crate::digest::DigestState;

use super::state::{SourceState, ViewerState};
use super::url::SourceRef;

/// What the list shows of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowStatus {
    Loading,
    /// Named by a link as a local file that the reader has to open again.
    Missing,
    Ready {
        /// "host · 2026-01-01 00:00".
        label: String,
        /// "dockaudit report (schema 1)".
        format: String,
        digest: DigestState,
    },
    /// Why it could not be fetched or read.
    Failed(String),
}

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Position in [`ViewerState::sources`].
    pub index: usize,
    /// File name or URL.
    pub name: String,
    pub from_url: bool,
    pub status: RowStatus,
}

/// The rows for the current state, in source order.
pub fn rows(state: &ViewerState) -> Vec<SourceRow> {
    state
        .sources
        .iter()
        .enumerate()
        .map(|(index, s)| SourceRow {
            index,
            name: s.origin.name().to_string(),
            from_url: matches!(s.origin, SourceRef::Url(_)),
            status: match &s.state {
                SourceState::Loading => RowStatus::Loading,
                SourceState::Missing => RowStatus::Missing,
                SourceState::Failed(m) => RowStatus::Failed(m.clone()),
                SourceState::Ready(r) => RowStatus::Ready {
                    label: r.label(),
                    format: r.format.label(),
                    digest: r.digest.state(),
                },
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest;
    use crate::report::Status;
    use crate::test_support::report_with;
    use crate::view::state::Action;

    #[test]
    fn rows_say_what_each_source_is() {
        let mut report = report_with(vec![("5.4", Status::Pass, vec![])]);
        report.host.hostname = Some("node-1".into());
        report.run.started_at = "2026-01-05T10:00:00Z".into();
        let sealed = digest::seal(&report).unwrap().0;
        let s = ViewerState::from_query("report=https://example.org/r.json")
            .reduce(Action::FileRead {
                name: "a.json".into(),
                text: sealed.replace("\"node-1\"", "\"node-2\""),
            })
            .reduce(Action::FileRead {
                name: "b.json".into(),
                text: sealed,
            });
        let rows = rows(&s);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(
            (rows[0].index, rows[0].name.as_str(), rows[0].from_url),
            (0, "https://example.org/r.json", true)
        );
        assert_eq!(rows[0].status, RowStatus::Loading);
        let digests: Vec<_> = rows[1..]
            .iter()
            .map(|r| match &r.status {
                RowStatus::Ready { digest, .. } => Some(*digest),
                _ => None,
            })
            .collect();
        assert_eq!(digests, [Some(DigestState::Mismatch), Some(DigestState::Valid)]);
        assert!(!rows[2].from_url);
        assert!(matches!(&rows[2].status, RowStatus::Ready { label, .. } if label.starts_with("node-1")));
    }
}
