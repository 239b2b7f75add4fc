//! The viewer's export buttons in a real headless Chromium: the filtered view as CSV, the whole
//! report as SARIF and HDF, saved as real downloads whose bytes equal what `dockaudit convert`
//! writes (both use `dockaudit_shared::convert`).
//!
//! Chromium saves downloads into a fresh directory (`download.default_directory`); the test also
//! records each Blob the page creates, so a failure shows which of the two went wrong.

use std::path::Path;
use std::time::{Duration, Instant};

use dockaudit_shared::convert::{self, Format};
use dockaudit_shared::report::{Report, Status};
use dockaudit_shared::test_support as fixtures;
use dockaudit_shared::view::filter::{visible, Filters};
use serde_json::Value;
use support::{with_session, Session, TIMEOUT};

mod support;

/// Records the text and type of every Blob turned into an object URL.
const RECORD_BLOBS: &str = "window.__exports = [];\
    const original = URL.createObjectURL;\
    URL.createObjectURL = function (blob) {\
      const url = original.call(URL, blob);\
      blob.text().then(text => window.__exports.push({type: blob.type, text: text}));\
      return url;\
    };";

impl Session {
    /// Waits until the page has recorded `n` exported blobs; returns the last one's (type, text).
    async fn exported(&self, n: usize) -> (String, String) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self
                .client
                .execute("return window.__exports || [];", vec![])
                .await
                .expect("script");
            let list = v.as_array().cloned().unwrap_or_default();
            if list.len() >= n {
                let last = &list[n - 1];
                return (
                    last["type"].as_str().unwrap_or_default().to_string(),
                    last["text"].as_str().unwrap_or_default().to_string(),
                );
            }
            assert!(
                Instant::now() < deadline,
                "the page exported {} files, expected {n}",
                list.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for Chromium to finish saving `name` in the download directory and returns its text.
    async fn downloaded(&self, name: &str) -> String {
        let path = self.rig.downloads.join(name);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if path.is_file() && !partial_downloads(self.rig.downloads.path()) {
                return std::fs::read_to_string(&path).expect("downloaded file is UTF-8");
            }
            assert!(
                Instant::now() < deadline,
                "{name} was not downloaded; the directory holds {:?}",
                std::fs::read_dir(self.rig.downloads.path())
                    .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
                    .unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn partial_downloads(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
        })
        .unwrap_or(false)
}

fn v1() -> (Report, String) {
    let text = std::fs::read_to_string(dockaudit_tests::fixture("reports/v1.json")).expect("v1 fixture");
    let report = dockaudit_shared::load::load(&text).expect("v1 loads").report;
    (report, text)
}

#[tokio::test]
async fn export_saves_the_filtered_csv_and_the_whole_report_as_sarif_and_hdf() {
    let (report, text) = v1();
    let mut hostile = fixtures::hostile();
    // One result per check: the viewer refuses a report that repeats one (it could hide a failure).
    let mut seen = std::collections::BTreeSet::new();
    hostile.results.retain(|r| seen.insert(r.id.clone()));
    let files = [("v1.json", text), ("hostile.json", fixtures::sealed(&hostile))];
    with_session("export", &files, |session| {
        Box::pin(async move {
            // The failing checks only: the CSV holds exactly those, one row per finding.
            session.open("report=reports/v1.json&status=fail").await;
            session.find("[data-testid=export]").await;
            session
                .client
                .execute(RECORD_BLOBS, vec![])
                .await
                .expect("record blobs");
            let filters = Filters {
                statuses: [Status::Fail].into_iter().collect(),
                ..Filters::default()
            };
            let shown = visible(&report.results, &filters);
            assert_eq!(
                session.text("[data-testid=export-csv]").await,
                format!("CSV ({} checks)", shown.len())
            );
            session.click("[data-testid=export-csv]").await;
            let (kind, csv) = session.exported(1).await;
            assert!(kind.starts_with("text/csv"), "{kind}");
            assert_eq!(csv, convert::results_to_csv(&report, shown.iter().copied(), None));
            let rows = csv.split_terminator("\r\n").count() - 1;
            let expected_rows: usize = shown.iter().map(|r| r.findings.len().max(1)).sum();
            assert_eq!(rows, expected_rows);
            assert!(csv.lines().skip(1).all(|l| l.contains(",fail,")), "only failing checks");
            let csv_name = convert::file_name(&report, Format::Csv).replace(".csv", "-filtered.csv");
            assert_eq!(session.downloaded(&csv_name).await, csv);
            assert_eq!(
                session.text("[data-testid=export-status]").await,
                format!("Saved {csv_name}")
            );

            // SARIF and HDF: the whole report, whatever the filters, byte for byte what the CLI writes.
            for (n, format) in [(2, Format::Sarif), (3, Format::Hdf)] {
                session
                    .click(&format!("[data-testid=export-{}]", format.as_str()))
                    .await;
                let (kind, body) = session.exported(n).await;
                assert_eq!(kind, format.media_type());
                assert_eq!(body, format.render(&report), "{format:?} equals `dockaudit convert`");
                assert_eq!(session.downloaded(&convert::file_name(&report, format)).await, body);
            }

            // A report full of markup: the export is text, nothing runs, and the file is still right.
            session.open("report=reports/hostile.json").await;
            session
                .client
                .execute(RECORD_BLOBS, vec![])
                .await
                .expect("record blobs");
            session.click("[data-testid=export-sarif]").await;
            let (_, body) = session.exported(1).await;
            let loaded = dockaudit_shared::load::load(&fixtures::sealed(&hostile))
                .unwrap()
                .report;
            assert_eq!(body, Format::Sarif.render(&loaded));
            assert_eq!(session.pwned().await, Value::Null, "nothing from the report ran");
        })
    })
    .await;
}
