//! Automated accessibility check: axe-core (npm, installed by `scripts/setup.sh test` into
//! `target/tools/axe`) injected into the real viewer in headless Chromium, over every view — the
//! report with a check open, By target with a target picked, each step of the sign-off, compare,
//! trend and the printable evidence — and the fleet view (heatmap, a host's panel, a check's
//! panel), in the light and the dark theme. No serious or critical violation is allowed.

use std::path::PathBuf;

use dockaudit_shared::test_support as fixtures;
use dockaudit_shared::test_support::fleet::{fleet, FleetShape};
use dockaudit_tests::browser::{browser_lock, chrome_capabilities, connect, ChromeDriver};
use dockaudit_tests::{workspace_root, TempDir};
use fantoccini::{Client, Locator};
use fleet_site::FleetSite;
use futures_util::FutureExt;
use serde_json::Value;
use support::{with_session, Session};

mod fleet_site;
mod support;

/// axe-core's browser bundle, installed by setup.sh.
fn axe_source() -> String {
    let path: PathBuf = workspace_root().join("target/tools/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/setup.sh test", path.display()))
}

/// The serious and critical violations axe finds on the page as it is, in both themes.
async fn axe_violations(client: &Client, axe: &str, view: &str) -> Vec<String> {
    let mut found = Vec::new();
    // WebDriver scripts run outside the page's CSP, so the bundle can be injected as text.
    client
        .execute(&format!("{axe}\n;return typeof window.axe;"), vec![])
        .await
        .expect("inject axe-core");
    for theme in ["light", "dark"] {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             document.documentElement.setAttribute('data-theme', '{theme}');
             window.axe.run(document, {{ resultTypes: ['violations'] }})
               .then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                        v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));"
        );
        let v = client.execute_async(&script, vec![]).await.expect("axe.run");
        for line in v.as_array().cloned().unwrap_or_default() {
            found.push(format!("{view} ({theme}): {}", line.as_str().unwrap_or_default()));
        }
    }
    found
}

impl Session {
    /// The serious and critical violations axe finds on the page as it is, in both themes.
    async fn axe(&self, axe: &str, view: &str) -> Vec<String> {
        axe_violations(&self.client, axe, view).await
    }
}

#[tokio::test]
async fn no_view_has_a_serious_or_critical_accessibility_violation_in_either_theme() {
    let axe = axe_source();
    let monday = fixtures::sealed(&fixtures::monday());
    let tuesday = fixtures::sealed(&fixtures::tuesday());
    with_session("a11y", &[("monday.json", monday), ("tuesday.json", tuesday)], |v| {
        let axe = axe.clone();
        Box::pin(async move {
            let mut violations = Vec::new();
            let one = "report=reports/monday.json";
            let two = "report=reports/monday.json&report=reports/tuesday.json";
            let views: [(&str, String, &str); 7] = [
                ("report", format!("{one}&check=5.11"), "[data-testid=check-detail]"),
                (
                    "report by severity",
                    format!("{one}&order=severity&check=5.11"),
                    "[data-testid=severity-list]",
                ),
                (
                    "targets",
                    format!("{one}&view=targets&target=web"),
                    "[data-testid=target-checks]",
                ),
                ("signoff", format!("{one}&view=signoff"), "[data-testid=open-items]"),
                ("compare", format!("{two}&view=diff"), "[data-testid=app]"),
                ("trend", format!("{two}&view=trend"), "[data-testid=trend-view]"),
                (
                    "evidence",
                    format!("{one}&view=evidence"),
                    "[data-testid=evidence-view]",
                ),
            ];
            for (name, query, ready) in views {
                v.open(&query).await;
                v.find(ready).await;
                violations.extend(v.axe(&axe, name).await);
            }
            // The sign-off's steps.
            v.open(&format!("{one}&view=signoff")).await;
            for step in ["decide", "review", "sign", "export"] {
                v.click(&format!("[data-testid=step-{step}]")).await;
                v.find(&format!("[data-testid=signoff-view][data-step={step}]")).await;
                violations.extend(v.axe(&axe, &format!("signoff/{step}")).await);
            }
            // The target picker open.
            v.open(one).await;
            v.click("[data-testid=filter-target]").await;
            v.find("[data-testid=target-options]").await;
            violations.extend(v.axe(&axe, "target picker").await);
            assert_eq!(v.client.execute("return 1;", vec![]).await.ok(), Some(Value::from(1)));
            assert!(violations.is_empty(), "{}", violations.join("\n"));
        })
    })
    .await;
}

/// The fleet view of 300 hosts (more than one screen, so rows are virtualised): the heatmap, a
/// host's panel with its trend, a check's panel, and a collapsed section, in both themes.
// The browser turn is held across the awaits on purpose, as `BrowserRig` does.
#[allow(clippy::await_holding_lock)]
#[tokio::test]
async fn the_fleet_view_has_no_serious_or_critical_accessibility_violation_in_either_theme() {
    let axe = axe_source();
    let _turn = browser_lock();
    let generated = fleet(&FleetShape {
        hosts: 300,
        runs: 3,
        seed: 4,
        ..FleetShape::default()
    });
    let host = generated.index.hosts[5].key.to_string();
    let site = FleetSite::start("a11y-fleet-site", &generated);
    let driver = ChromeDriver::start();
    let profile = TempDir::new("a11y-fleet-profile");
    let client = connect(&driver, chrome_capabilities(profile.path(), &[]))
        .await
        .expect("WebDriver session");
    let views = [
        (
            "fleet heatmap",
            "fleet=fleet/index.json".to_string(),
            "[data-testid=fleet-row]",
        ),
        (
            "fleet host panel",
            format!("fleet=fleet/index.json&host={host}"),
            "[data-testid=fleet-trend]",
        ),
        (
            "fleet check panel",
            "fleet=fleet/index.json&check=5.11&fold=1.1".to_string(),
            "[data-testid=fleet-check-panel]",
        ),
    ];
    let outcome = std::panic::AssertUnwindSafe(async {
        let mut violations = Vec::new();
        for (name, query, ready) in &views {
            client
                .goto(&site.server.url(&format!("?{query}")))
                .await
                .expect("navigate");
            client
                .wait()
                .at_most(std::time::Duration::from_secs(20))
                .for_element(Locator::Css(ready))
                .await
                .unwrap_or_else(|e| panic!("{name}: no {ready}: {e}"));
            violations.extend(axe_violations(&client, &axe, name).await);
        }
        assert!(violations.is_empty(), "{}", violations.join("\n"));
    })
    .catch_unwind()
    .await;
    let _ = client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
