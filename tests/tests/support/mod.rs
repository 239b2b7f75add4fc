//! The WebDriver session and page helpers the browser tests share (`viewer_browser.rs`,
//! `viewer_signoff.rs`, `viewer_export.rs`).
//!
//! The setup (server, chromedriver, capabilities, session) is the library's
//! [`dockaudit_tests::browser`] rig, shared with `cargo xtask bench`; this module holds the page
//! helpers the tests assert with. Each test file adds its own helpers with a further
//! `impl Session` block.

// Each test binary includes this module and uses only some of it.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use dockaudit_tests::browser::BrowserRig;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use futures_util::FutureExt;
use serde_json::Value;

/// How long a test waits for the page before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// One browser session on one served viewer (Chromium saves downloads to `rig.downloads`).
pub struct Session {
    pub client: Client,
    pub rig: BrowserRig,
}

/// A test body borrowing the session.
pub type Body<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Serves `files` under `/reports/` (scratch directories named after `tag`), starts a browser,
/// runs `body`, and closes the session even when `body` panics, then re-raises the panic.
pub async fn with_session(tag: &str, files: &[(&str, String)], body: impl for<'a> FnOnce(&'a Session) -> Body<'a>) {
    let rig = BrowserRig::start(tag, files);
    let client = rig.connect().await;
    let session = Session {
        client: client.clone(),
        rig,
    };
    let outcome = std::panic::AssertUnwindSafe(body(&session)).catch_unwind().await;
    let _ = client.close().await;
    drop(session);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

pub fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

impl Session {
    /// Opens the viewer with a query string (none when empty) and waits for it to render.
    pub async fn open(&self, query: &str) {
        self.client.goto(&self.rig.page_url(query)).await.expect("navigate");
        self.find("[data-testid=app]").await;
    }

    /// Waits for an element; on failure the panic shows the page text.
    pub async fn find(&self, selector: &str) -> Element {
        match self.client.wait().at_most(TIMEOUT).for_element(css(selector)).await {
            Ok(e) => e,
            Err(e) => panic!(
                "no element matches {selector} within {TIMEOUT:?}: {e}\npage text:\n{}",
                self.page_text().await
            ),
        }
    }

    pub async fn page_text(&self) -> String {
        match self.client.find(css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Polls `probe` until it returns `Some`, or fails the test after [`TIMEOUT`].
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}\npage text:\n{}", self.page_text().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element's text as the browser renders it, untrimmed.
    pub async fn text(&self, selector: &str) -> String {
        self.find(selector).await.text().await.expect("element text")
    }

    /// The trimmed text of every matching element (none matching gives an empty list).
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(css(selector)).await.unwrap_or_default() {
            out.push(e.text().await.unwrap_or_default().trim().to_string());
        }
        out
    }

    pub async fn count(&self, selector: &str) -> usize {
        self.client.find_all(css(selector)).await.map(|v| v.len()).unwrap_or(0)
    }

    /// Waits until exactly `n` elements match.
    pub async fn wait_count(&self, selector: &str, n: usize) {
        let what = format!("{n} elements matching {selector}");
        self.eventually(&what, || async { (self.count(selector).await == n).then_some(()) })
            .await;
    }

    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// The current URL's query string.
    pub async fn query(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .query()
            .unwrap_or_default()
            .to_string()
    }

    /// Whatever a payload would have set on `window` (null when nothing ran).
    pub async fn pwned(&self) -> Value {
        self.client
            .execute("return window.__pwned === undefined ? null : window.__pwned;", vec![])
            .await
            .expect("script")
    }
}
