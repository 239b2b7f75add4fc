//! Everything one browser test needs before it drives the page: its turn at the browser, the
//! viewer and its reports served by the collector's server, a chromedriver, a fresh profile,
//! a download directory, and the WebDriver session itself.

use std::sync::{Mutex, MutexGuard};

use dockaudit::serve::Server;
use fantoccini::Client;
use serde_json::{json, Value};

use super::chromium::{chrome_capabilities, ChromeDriver};
use super::site::{serve, viewer_dist};
use crate::TempDir;

/// Serialises browser tests within one test binary: two cores cannot run several Chromiums well.
pub fn browser_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Opens a WebDriver session on `driver` with `capabilities` (plain HTTP to 127.0.0.1).
pub async fn connect(
    driver: &ChromeDriver,
    capabilities: serde_json::Map<String, Value>,
) -> Result<Client, fantoccini::error::NewSessionError> {
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
}

/// One browser test's setup: `viewer/dist` and the test's files under `reports/`, served by
/// [`dockaudit::serve::Server`], plus chromedriver, a fresh Chromium profile and a download
/// directory.
///
/// The turn is held across the test's awaits on purpose: each test has its own thread and
/// runtime, so nothing else on that runtime waits for the lock. Fields drop in order: the server,
/// chromedriver with its Chromium, the scratch directories, and the turn last.
pub struct BrowserRig {
    pub server: Server,
    pub driver: ChromeDriver,
    /// The directory served under `reports/` (tests also upload files from it).
    pub reports: TempDir,
    /// Where Chromium saves downloads.
    pub downloads: TempDir,
    profile: TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl BrowserRig {
    /// Waits for the browser, writes `files` (name, text) to the reports directory and starts
    /// the server and chromedriver; `tag` names the scratch directories.
    pub fn start(tag: &str, files: &[(&str, String)]) -> Self {
        let turn = browser_lock();
        let dist = viewer_dist();
        let reports = TempDir::new(&format!("{tag}-reports"));
        for (name, text) in files {
            std::fs::write(reports.join(name), text).expect("write fixture");
        }
        let downloads = TempDir::new(&format!("{tag}-downloads"));
        let server = serve(&dist, reports.path()).unwrap_or_else(|e| panic!("the viewer's server: {e:#}"));
        let driver = ChromeDriver::start();
        let profile = TempDir::new(&format!("{tag}-chromium-profile"));
        BrowserRig {
            server,
            driver,
            reports,
            downloads,
            profile,
            _turn: turn,
        }
    }

    /// The viewer's address with `query` (none when empty), token included.
    pub fn page_url(&self, query: &str) -> String {
        if query.is_empty() {
            self.server.url("")
        } else {
            self.server.url(&format!("?{query}"))
        }
    }

    /// [`chrome_capabilities`] with this rig's profile, saving downloads to [`Self::downloads`]
    /// without asking.
    pub fn capabilities(&self) -> serde_json::Map<String, Value> {
        let mut caps = chrome_capabilities(self.profile.path(), &[]);
        if let Some(options) = caps.get_mut("goog:chromeOptions").and_then(Value::as_object_mut) {
            options.insert(
                "prefs".into(),
                json!({
                    "download.default_directory": self.downloads.path().to_string_lossy(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                }),
            );
        }
        caps
    }

    /// A WebDriver session with [`Self::capabilities`].
    pub async fn connect(&self) -> Client {
        connect(&self.driver, self.capabilities())
            .await
            .expect("WebDriver session with headless Chromium")
    }
}
