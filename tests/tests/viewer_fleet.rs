//! The fleet view in a real headless Chromium: a published fleet of 24 hosts (index, host
//! histories and reports, in the layout `dockaudit publish` writes) served next to the viewer by
//! the collector's own static server, the way a bucket's website serves both.
//!
//! The store sits under `fleet/` of the served directory, as under a bucket prefix. Chromium and
//! chromedriver must be installed: a missing browser fails the test, it never skips it.

use std::path::Path;

use dockaudit::serve::{Config, Server, Site};
use dockaudit_shared::fleet::FleetIndex;
use dockaudit_shared::report::Status;
use dockaudit_shared::test_support::fleet::{failures_by_check, fleet_with_reports, objects, FleetShape};
use dockaudit_tests::browser::{browser_lock, chrome_capabilities, connect, viewer_dist, ChromeDriver};
use dockaudit_tests::TempDir;
use fantoccini::{Client, Locator};

/// How long the test waits for the page before it fails.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("list dir").flatten() {
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

struct Page {
    client: Client,
    server: Server,
}

impl Page {
    async fn open(&self, query: &str) {
        self.client
            .goto(&self.server.url(&format!("?{query}")))
            .await
            .expect("navigate");
    }

    async fn find(&self, selector: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(selector))
            .await
        {
            Ok(e) => e,
            Err(e) => panic!(
                "no element matches {selector}: {e}\npage text:\n{}",
                self.page_text().await
            ),
        }
    }

    async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn text(&self, selector: &str) -> String {
        self.find(selector).await.text().await.expect("text").trim().to_string()
    }

    async fn count(&self, selector: &str) -> usize {
        self.client
            .find_all(Locator::Css(selector))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    async fn query(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        url.query().unwrap_or_default().to_string()
    }

    /// Polls until `probe` holds, or fails with the page text.
    async fn until(&self, what: &str, mut probe: impl AsyncFnMut() -> bool) {
        let deadline = std::time::Instant::now() + TIMEOUT;
        while !probe().await {
            if std::time::Instant::now() > deadline {
                panic!("timed out waiting for {what}\npage text:\n{}", self.page_text().await);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// The host (key, name) whose latest run fails `check`, first by name.
fn failing_host(index: &FleetIndex, check: &str) -> (String, String) {
    let mut hosts: Vec<_> = index
        .hosts
        .iter()
        .filter(|h| h.latest.statuses.get(check) == Some(&Status::Fail))
        .collect();
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    let h = hosts.first().unwrap_or_else(|| panic!("no host fails {check}"));
    (h.key.to_string(), h.host.clone().unwrap_or_default())
}

/// A generated fleet under `fleet/` of a copy of the viewer, served, and a browser on it; `body`
/// runs with the page, and the session is closed even when it panics.
// The browser turn is held across the awaits on purpose, as `BrowserRig` does: each test has its
// own thread and runtime, so nothing on this runtime waits for the lock.
#[allow(clippy::await_holding_lock)]
async fn with_fleet(shape: FleetShape, body: impl AsyncFnOnce(&Page, &FleetIndex)) {
    let _turn = browser_lock();
    let generated = fleet_with_reports(&shape);
    let site_dir = TempDir::new("viewer-fleet-site");
    copy_dir(&viewer_dist(), site_dir.path());
    for (key, text) in objects(&generated) {
        let path = site_dir.path().join("fleet").join(&key);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create store dir");
        std::fs::write(&path, text).expect("write store object");
    }
    let server = Server::start(Site::new(site_dir.path()).expect("site"), Config::default()).expect("server");
    let driver = ChromeDriver::start();
    let profile = TempDir::new("viewer-fleet-profile");
    let client = connect(&driver, chrome_capabilities(profile.path(), &[]))
        .await
        .expect("WebDriver session");
    let page = Page { client, server };
    let outcome = std::panic::AssertUnwindSafe(body(&page, &generated.index))
        .catch_unwind()
        .await;
    let _ = page.client.clone().close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn fleet_heatmap_counts_cells_and_links_keep_their_state() {
    let shape = FleetShape {
        hosts: 24,
        runs: 2,
        seed: 3,
        ..FleetShape::default()
    };
    with_fleet(shape, async |page, index| run(page, index).await).await;
}

/// Screenshots of a fleet of 400 hosts in both themes, for looking at by eye:
/// `DOCKAUDIT_SCREENSHOTS=<dir> cargo test -p dockaudit-tests --test viewer_fleet -- --ignored`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn fleet_screenshots() {
    let dir = std::path::PathBuf::from(
        std::env::var_os("DOCKAUDIT_SCREENSHOTS").unwrap_or_else(|| "target/screenshots".into()),
    );
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let shape = FleetShape {
        hosts: 400,
        runs: 4,
        seed: 5,
        ..FleetShape::default()
    };
    with_fleet(shape, async |page, index| {
        let (key, _) = failing_host(index, "5.5");
        for theme in ["light", "dark"] {
            page.open("fleet=fleet/index.json&fold=1.1,2&check=5.5").await;
            page.find("[data-testid=fleet-check-panel]").await;
            page.client
                .execute(
                    &format!("document.documentElement.setAttribute('data-theme', '{theme}');"),
                    vec![],
                )
                .await
                .expect("theme");
            let png = page.client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(format!("fleet-{theme}.png")), png).expect("write png");
            page.open(&format!("fleet=fleet/index.json&sort=failures&status=fail&host={key}"))
                .await;
            page.find("[data-testid=fleet-trend]").await;
            page.client
                .execute(
                    &format!("document.documentElement.setAttribute('data-theme', '{theme}');"),
                    vec![],
                )
                .await
                .expect("theme");
            let png = page.client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(format!("fleet-host-{theme}.png")), png).expect("write png");
        }
    })
    .await;
}

use futures_util::FutureExt;

async fn run(page: &Page, index: &FleetIndex) {
    page.open("fleet=fleet/index.json").await;
    page.find("[data-testid=fleet-heatmap] table").await;
    assert_eq!(page.count("tr[data-testid=fleet-row]").await, 24);
    assert_eq!(page.text("[data-testid=fleet-shown]").await, "24 of 24 hosts");

    // Every column's count is the number of hosts failing that check.
    let fails = failures_by_check(index);
    for (check, n) in &fails {
        let shown = page
            .text(&format!("th[data-testid=fleet-count][data-check='{check}']"))
            .await;
        assert_eq!(shown, n.to_string(), "failing hosts of {check}");
    }
    // The failing cells are exactly the index's.
    let (check, hosts_failing) = fails.iter().max_by_key(|(_, n)| **n).expect("a failing check");
    assert_eq!(
        page.count(&format!("td.st-fail[data-check='{check}']")).await,
        *hosts_failing
    );

    // A check: its count sentence and every host failing it.
    page.click(&format!("button[data-testid=fleet-check][data-check='{check}']"))
        .await;
    assert_eq!(
        page.text("[data-testid=fleet-check-count]").await,
        format!("{check} fails on {hosts_failing} of 24 hosts")
    );
    assert_eq!(page.count("[data-testid=fleet-failing-hosts] li").await, *hosts_failing);

    // Filters and sort live in the URL, and a reload restores them.
    page.click("[data-testid=fleet-status-fail]").await;
    let filtered = page.count("tr[data-testid=fleet-row]").await;
    assert!(filtered > 0 && filtered <= 24);
    page.find("[data-testid=fleet-sort]")
        .await
        .select_by_value("name")
        .await
        .expect("sort by name");
    let (key, name) = failing_host(index, "5.11");
    page.click(&format!("tr[data-host='{key}'] [data-testid=fleet-host]"))
        .await;
    page.find("[data-testid=fleet-host-panel]").await;
    page.find("[data-testid=fleet-trend]").await;
    let query = page.query().await;
    for part in [
        "status=fail",
        "sort=name",
        &format!("host={key}"),
        &format!("check={check}"),
    ] {
        assert!(query.contains(part), "{part} in {query}");
    }
    page.client.refresh().await.expect("reload");
    page.find("[data-testid=fleet-host-panel]").await;
    assert_eq!(page.count("tr[data-testid=fleet-row]").await, filtered);
    assert_eq!(
        page.find("[data-testid=fleet-status-fail]")
            .await
            .attr("aria-pressed")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );
    assert_eq!(page.query().await, query);
    let names: Vec<String> = {
        let mut out = Vec::new();
        for e in page
            .client
            .find_all(Locator::Css("[data-testid=fleet-host]"))
            .await
            .expect("hosts")
        {
            out.push(e.text().await.unwrap_or_default());
        }
        out
    };
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "hosts sorted by name");

    // A cell opens that host's report, fetched from the store, at that check.
    page.click(&format!("tr[data-host='{key}'] td[data-check='5.11']"))
        .await;
    page.find("[data-testid=check-detail][data-check-id='5.11']").await;
    page.until("the report's host in the header", async || {
        page.page_text().await.contains(&name)
    })
    .await;
    let report_query = page.query().await;
    assert!(
        report_query.contains(&format!("report=fleet/reports/{key}/")),
        "{report_query}"
    );
    assert!(report_query.contains("check=5.11"), "{report_query}");

    // And the way back leads to the fleet as it was.
    page.click("[data-testid=back-to-fleet]").await;
    page.find("[data-testid=fleet-host-panel]").await;
    assert_eq!(page.query().await, query);
}
