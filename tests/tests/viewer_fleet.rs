//! The fleet view in a real headless Chromium: a published fleet of 24 hosts (index, host
//! histories and reports, in the layout `dockaudit publish` writes) served next to the viewer by
//! the collector's own static server, the way a bucket's website serves both.
//!
//! The store sits under `fleet/` of the served directory, as under a bucket prefix. Chromium and
//! chromedriver must be installed: a missing browser fails the test, it never skips it.

use std::rc::Rc;

use dockaudit_shared::fleet::FleetIndex;
use dockaudit_shared::report::Status;
use dockaudit_shared::test_support::fleet::{failures_by_check, fleet, fleet_with_reports, FleetShape};
use dockaudit_shared::view::fleet::{day_number, heatmap, FleetModel, FleetSpec};
use dockaudit_tests::browser::{browser_lock, chrome_capabilities, connect, ChromeDriver};
use dockaudit_tests::TempDir;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use fleet_site::FleetSite;

mod fleet_site;

/// How long the test waits for the page before it fails.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

struct Page {
    client: Client,
    site: FleetSite,
}

impl Page {
    async fn open(&self, query: &str) {
        self.client
            .goto(&self.site.server.url(&format!("?{query}")))
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

    /// Script that finds the column of check `check` (`col`) among the heatmap's check headers.
    fn column_of(check: &str) -> String {
        format!(
            "const col = [...document.querySelectorAll('[data-testid=fleet-check]')]
                 .map(b => b.dataset.check).indexOf({});",
            serde_json::Value::from(check)
        )
    }

    /// How many rendered rows show `fail` in the column of `check` (rows carry their cells as
    /// one letter each in `data-cells`).
    async fn failing_cells(&self, check: &str) -> usize {
        let script = format!(
            "{} return [...document.querySelectorAll('[data-testid=fleet-cells]')]
                 .filter(s => s.dataset.cells[col] === 'f').length;",
            Self::column_of(check)
        );
        let n = self.client.execute(&script, vec![]).await.expect("script");
        usize::try_from(n.as_u64().expect("a count")).expect("count")
    }

    /// Clicks host `key`'s cell of check `check`, where it is drawn in the row.
    async fn click_cell(&self, key: &str, check: &str) {
        let script = format!(
            "{} const strip = document.querySelector(`[data-testid=fleet-row][data-host='{key}'] [data-testid=fleet-cells]`);
             if (col < 0 || !strip) return false;
             const r = strip.getBoundingClientRect();
             strip.dispatchEvent(new MouseEvent('click', {{bubbles: true, clientX: r.left + col * 13 + 6, clientY: r.top + 7}}));
             return true;",
            Self::column_of(check)
        );
        self.find(&format!("[data-testid=fleet-row][data-host='{key}']")).await;
        let clicked = self.client.execute(&script, vec![]).await.expect("script");
        assert_eq!(clicked, serde_json::Value::Bool(true), "no cell {key} × {check}");
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
async fn with_fleet(shape: FleetShape, reports: bool, body: impl AsyncFnOnce(&Page, &FleetIndex)) {
    let _turn = browser_lock();
    let generated = if reports {
        fleet_with_reports(&shape)
    } else {
        fleet(&shape)
    };
    let site = FleetSite::start("viewer-fleet-site", &generated);
    let driver = ChromeDriver::start();
    let profile = TempDir::new("viewer-fleet-profile");
    let client = connect(&driver, chrome_capabilities(profile.path(), &[]))
        .await
        .expect("WebDriver session");
    let page = Page { client, site };
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
    with_fleet(shape, true, async |page, index| run(page, index).await).await;
}

/// A fleet of 400 hosts: only the rows in view are in the page, the grid still counts every host
/// for assistive technology, scrolling renders the rows it reaches and keeps its place in the link,
/// the arrow keys walk the cells (rendering rows they reach), Enter opens a cell's report, and each
/// filter shows the hosts `dockaudit_shared` computes for it.
#[tokio::test(flavor = "current_thread")]
async fn a_large_fleet_renders_the_rows_in_view_and_the_keyboard_reaches_every_host() {
    let shape = FleetShape {
        hosts: 400,
        runs: 2,
        seed: 9,
        ..FleetShape::default()
    };
    with_fleet(shape, false, async |page, index| large(page, index).await).await;
}

/// The name of the host with key `key`.
fn index_name(index: &FleetIndex, key: &str) -> String {
    let host = index
        .hosts
        .iter()
        .find(|h| h.key.as_str() == key)
        .expect("a host of the index");
    host.host.clone().unwrap_or_else(|| key.to_string())
}

/// The number of hosts the viewer shows for a link, as `dockaudit_shared` computes it.
fn expected_rows(index: &FleetIndex, query: &str) -> usize {
    let spec = FleetSpec::decode(query).expect("a fleet link");
    let today = day_number(&now_rfc3339()).expect("today");
    heatmap(&Rc::new(FleetModel::new(index)), &spec, today).rows.len()
}

/// Today as the browser sees it (UTC), `YYYY-MM-DD`.
fn now_rfc3339() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        / 86_400;
    // Civil from days (H. Hinnant), the inverse of fleet::day_number.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

async fn large(page: &Page, index: &FleetIndex) {
    page.open("fleet=fleet/index.json").await;
    page.find("[data-testid=fleet-heatmap] [role=grid]").await;
    let rendered = page.count("[data-testid=fleet-row]").await;
    assert!(rendered > 20 && rendered < 150, "{rendered} rows rendered of 400");
    assert_eq!(page.text("[data-testid=fleet-shown]").await, "400 of 400 hosts");
    // Four header rows (sections, subsections, checks, counts), then one per host.
    let grid = page.find("[role=grid]").await;
    assert_eq!(grid.attr("aria-rowcount").await.expect("attr").as_deref(), Some("404"));
    let first = page.find("[data-testid=fleet-row][data-row='0']").await;
    assert_eq!(first.attr("aria-rowindex").await.expect("attr").as_deref(), Some("5"));

    // Scrolling to the end renders the last hosts, and the link keeps the place.
    page.client
        .execute("document.querySelector('.heatmap-scroll').scrollTop = 1e7;", vec![])
        .await
        .expect("scroll");
    let last = page.find("[data-testid=fleet-row][data-row='399']").await;
    assert_eq!(last.attr("aria-rowindex").await.expect("attr").as_deref(), Some("404"));
    assert!(
        page.count("[data-testid=fleet-row][data-row='0']").await == 0,
        "row 0 left the page"
    );
    page.until("the scroll position in the link", async || {
        page.query().await.contains("row=3")
    })
    .await;
    page.client.refresh().await.expect("reload");
    page.find("[data-testid=fleet-row][data-row='399']").await;

    // The keyboard: from the first host's name into its cells, then to the last cell of the last
    // host (not in the page until the keyboard gets there), and Enter opens that cell's report.
    page.open("fleet=fleet/index.json").await;
    page.find("[data-testid=fleet-row][data-row='0']").await;
    page.client
        .execute(
            "document.querySelector(\"[data-row='0'] [data-testid=fleet-host]\").focus();",
            vec![],
        )
        .await
        .expect("focus");
    let right: String = char::from(Key::Right).to_string();
    page.client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&right)
        .await
        .expect("keys");
    let focused = |js: &'static str| async move {
        page.client
            .execute(js, vec![])
            .await
            .expect("script")
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let first_check = page
        .find("[data-testid=fleet-check]")
        .await
        .attr("data-check")
        .await
        .expect("attr")
        .expect("a check");
    page.until("focus on the first cell", async || {
        focused("return document.activeElement.getAttribute('data-cursor') || '';").await == first_check
    })
    .await;
    // The cell under the cursor is read out.
    let first_host = index_name(
        index,
        &focused("return document.activeElement.closest('[data-host]').dataset.host;").await,
    );
    let read = page.text("[data-testid=fleet-cell-reader]").await;
    assert!(read.starts_with(&format!("{first_host}, {first_check} ")), "{read}");
    let ctrl_end: String = [char::from(Key::Control), char::from(Key::End)].iter().collect();
    page.client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&ctrl_end)
        .await
        .expect("keys");
    page.until("focus on the last host's last cell", async || {
        focused("const r = document.activeElement.closest('[data-row]'); return r ? r.dataset.row : '';").await == "399"
    })
    .await;
    let last_check = focused("return document.activeElement.getAttribute('data-cursor') || '';").await;
    assert!(!last_check.is_empty());
    let last_host = focused("return document.activeElement.closest('[data-host]').dataset.host;").await;
    let enter: String = char::from(Key::Enter).to_string();
    page.client
        .active_element()
        .await
        .expect("focus")
        .send_keys(&enter)
        .await
        .expect("keys");
    page.until("the cell's report opened", async || {
        let q = page.query().await;
        q.contains(&format!("report=fleet/reports/{last_host}/")) && q.contains(&format!("check={last_check}"))
    })
    .await;

    // Every filter and the sort show what the shared code computes.
    page.open("fleet=fleet/index.json").await;
    page.find("[data-testid=fleet-row]").await;
    for (select, value) in [
        ("fleet-label", "env=prod"),
        ("fleet-section", "5"),
        ("fleet-level", "1"),
        ("fleet-sort", "age"),
    ] {
        page.find(&format!("[data-testid={select}]"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{select}={value}: {e}"));
    }
    page.click("[data-testid=fleet-status-fail]").await;
    let query = page.query().await;
    let want = expected_rows(index, &query);
    assert!(want > 0 && want < 400, "{want} hosts for {query}");
    page.until("the filtered count", async || {
        page.text("[data-testid=fleet-shown]").await == format!("{want} of 400 hosts")
    })
    .await;
    // Every column under the section filter is a check of section 5.
    for c in page
        .client
        .find_all(Locator::Css("[data-testid=fleet-check]"))
        .await
        .expect("checks")
    {
        let id = c.attr("data-check").await.expect("attr").unwrap_or_default();
        assert!(id.starts_with("5."), "{id} under section 5");
    }
    let name = index.hosts[17].host.clone().expect("a name");
    page.find("[data-testid=fleet-clear]")
        .await
        .click()
        .await
        .expect("clear");
    let search = page.find("[data-testid=fleet-search]").await;
    search.send_keys(&name).await.expect("type");
    page.until("the text filter", async || {
        page.text("[data-testid=fleet-shown]").await == "1 of 400 hosts"
    })
    .await;
    assert_eq!(
        page.text("[data-testid=fleet-row] [data-testid=fleet-host]").await,
        name
    );
}

/// Screenshots of a fleet of 1,000 hosts in both themes, for looking at by eye:
/// `DOCKAUDIT_SCREENSHOTS=<dir> cargo test -p dockaudit-tests --test viewer_fleet -- --ignored`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn fleet_screenshots() {
    let dir = std::path::PathBuf::from(
        std::env::var_os("DOCKAUDIT_SCREENSHOTS").unwrap_or_else(|| "target/screenshots".into()),
    );
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let shape = FleetShape {
        hosts: 1000,
        runs: 5,
        seed: 14,
        ..FleetShape::default()
    };
    with_fleet(shape, false, async |page, index| {
        let (key, _) = failing_host(index, "5.5");
        let shots = [
            ("fleet", "fleet=fleet/index.json".to_string(), "[data-testid=fleet-row]"),
            (
                "fleet-check",
                "fleet=fleet/index.json&fold=1.1,2&check=5.5&stale=300".to_string(),
                "[data-testid=fleet-check-panel]",
            ),
            (
                "fleet-host",
                format!("fleet=fleet/index.json&sort=failures&status=fail&host={key}&row=200"),
                "[data-testid=fleet-trend]",
            ),
        ];
        for theme in ["light", "dark"] {
            for (name, query, ready) in &shots {
                page.open(query).await;
                page.find(ready).await;
                page.client
                    .execute(
                        &format!("document.documentElement.setAttribute('data-theme', '{theme}');"),
                        vec![],
                    )
                    .await
                    .expect("theme");
                let png = page.client.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("{name}-{theme}.png")), png).expect("write png");
            }
        }
    })
    .await;
}

use futures_util::FutureExt;

async fn run(page: &Page, index: &FleetIndex) {
    // Stale hosts are flagged: the generated fleet's newest runs are from its "today", so the limit
    // is counted from there (the browser's today is later).
    let since = day_number(&now_rfc3339()).expect("today") - day_number("2026-03-01").expect("day");
    let stale_query = format!("fleet=fleet/index.json&stale={}", since + 7);
    page.open(&stale_query).await;
    page.find("[data-testid=fleet-row]").await;
    let spec = FleetSpec::decode(&stale_query).expect("spec");
    let stale = heatmap(
        &Rc::new(FleetModel::new(index)),
        &spec,
        day_number(&now_rfc3339()).expect("today"),
    )
    .stale_hosts;
    assert!(stale > 0 && stale < 24, "{stale} stale hosts");
    assert_eq!(page.count("[data-testid=stale-badge]").await, stale);

    page.open("fleet=fleet/index.json").await;
    page.find("[data-testid=fleet-heatmap] [role=grid]").await;
    assert_eq!(page.count("[data-testid=fleet-row]").await, 24);
    assert_eq!(page.text("[data-testid=fleet-shown]").await, "24 of 24 hosts");

    // Every column's count is the number of hosts failing that check.
    let fails = failures_by_check(index);
    for (check, n) in &fails {
        let shown = page
            .text(&format!("[data-testid=fleet-count][data-check='{check}']"))
            .await;
        assert_eq!(shown, n.to_string(), "failing hosts of {check}");
    }
    // The failing cells are exactly the index's.
    let (check, hosts_failing) = fails.iter().max_by_key(|(_, n)| **n).expect("a failing check");
    assert_eq!(page.failing_cells(check).await, *hosts_failing);

    // A check: its count sentence and every host failing it.
    page.click(&format!("button[data-testid=fleet-check][data-check='{check}']"))
        .await;
    assert_eq!(
        page.text("[data-testid=fleet-check-count]").await,
        format!("{check} fails on {hosts_failing} of 24 hosts")
    );
    assert_eq!(page.count("[data-testid=fleet-failing-hosts] li").await, *hosts_failing);
    // On request, the containers failing it, read from those hosts' reports.
    page.click("[data-testid=fleet-load-offenders]").await;
    page.until("every failing host's offenders", async || {
        page.count("[data-testid=fleet-offenders] li").await == (*hosts_failing).min(50)
            && !page.page_text().await.contains("reading…")
    })
    .await;
    let offenders = page.text("[data-testid=fleet-offenders]").await;
    assert!(!offenders.contains("cannot"), "{offenders}");
    if check.starts_with("5.") {
        assert!(!offenders.contains("no target named"), "{offenders}");
    }

    // Filters and sort live in the URL, and a reload restores them.
    page.click("[data-testid=fleet-status-fail]").await;
    let filtered = page.count("[data-testid=fleet-row]").await;
    assert!(filtered > 0 && filtered <= 24);
    page.find("[data-testid=fleet-sort]")
        .await
        .select_by_value("name")
        .await
        .expect("sort by name");
    let (key, name) = failing_host(index, "5.11");
    page.click(&format!(
        "[data-testid=fleet-row][data-host='{key}'] [data-testid=fleet-host]"
    ))
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
    assert_eq!(page.count("[data-testid=fleet-row]").await, filtered);
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
    page.click_cell(&key, "5.11").await;
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
