//! The least-privilege proposal in the viewer's "By target" view, in a real headless Chromium:
//! every row of the proposal sits inside its table (a removed setting too: the app's `.remove`
//! class is a close button positioned at a corner and hidden in print, which a row must not
//! inherit), and the `docker run` line is the one `dockaudit harden` prints.

use dockaudit_shared::hardening::{docker_run, Removal};
use dockaudit_shared::report::Report;
use dockaudit_shared::test_support as fixtures;
use support::with_session;

mod support;

#[tokio::test]
async fn a_proposal_with_removed_settings_renders_every_row_in_its_table() {
    let text = std::fs::read_to_string(dockaudit_tests::fixture("reports/v2.json")).expect("v2 fixture");
    let mut report: Report = serde_json::from_str(&text).expect("a schema 2 report");
    let hardening = report.hardening.as_mut().expect("the fixture carries proposals");
    let p = &mut hardening.proposals[0];
    p.removals.push(Removal {
        setting: "--privileged".into(),
        reason: "every capability and every device: what it uses is proposed instead".into(),
    });
    let name = p.container.name.clone();
    let run = docker_run(p);
    with_session("harden-viewer", &[("r.json", fixtures::sealed(&report))], |v| {
        Box::pin(async move {
            v.open(&format!("report=reports/r.json&view=targets&target={name}")).await;
            v.find("[data-testid=hardening-panel]").await;
            let removed = v.find("[data-testid=hardening-flags] tr.flag-remove").await;
            assert!(
                removed.text().await.unwrap().contains("--privileged"),
                "the removal row names the setting"
            );
            // The row is laid out in the table, below its header, not lifted out of it.
            let inside: bool = v
                .client
                .execute(
                    "const t = document.querySelector('[data-testid=hardening-flags]').getBoundingClientRect();
                     const h = document.querySelector('[data-testid=hardening-flags] thead').getBoundingClientRect();
                     const r = document.querySelector('[data-testid=hardening-flags] tr.flag-remove');
                     const b = r.getBoundingClientRect();
                     return getComputedStyle(r).position === 'static' && b.top >= h.bottom - 1 && b.bottom <= t.bottom + 1;",
                    vec![],
                )
                .await
                .expect("script")
                .as_bool()
                .unwrap_or(false);
            assert!(inside, "the removal row is laid out inside the table");
            let shown = v.text("[data-testid=hardening-run] pre").await;
            assert_eq!(shown.trim(), run.trim());
            assert!(v.count("[data-testid=hardening-run] button.copy").await == 1);
        })
    })
    .await;
}
