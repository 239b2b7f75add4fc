//! One WebDriver session on one served viewer, with the page helpers the browser tests assert
//! with: waiting for elements, text and attributes, typing, keys, date pickers, file inputs,
//! scripts, and screenshots in both themes.
//!
//! The test binaries wrap a [`Page`] in their own `Session` (`tests/tests/support`), so each test
//! file can still add helpers of its own in an `impl Session` block.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use futures_util::FutureExt;
use serde_json::Value;

use super::rig::BrowserRig;

/// How long a test waits for the page before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A test body borrowing its session.
pub type Body<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

pub fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

/// A browser session on the viewer and the files a [`BrowserRig`] serves (Chromium saves
/// downloads to `rig.downloads`).
pub struct Page {
    pub client: Client,
    pub rig: BrowserRig,
}

impl Page {
    /// Serves `files` under `/reports/` (scratch directories named after `tag`) and opens a
    /// browser session on them.
    pub async fn start(tag: &str, files: &[(&str, String)]) -> Page {
        let rig = BrowserRig::start(tag, files);
        let client = rig.connect().await;
        Page { client, rig }
    }

    /// Runs `body` on `session` (which holds a page), then closes the browser session even when
    /// `body` panicked, and re-raises the panic.
    pub async fn run<S: AsRef<Page>>(session: S, body: impl for<'a> FnOnce(&'a S) -> Body<'a>) {
        let client = session.as_ref().client.clone();
        let outcome = std::panic::AssertUnwindSafe(body(&session)).catch_unwind().await;
        let _ = client.close().await;
        drop(session);
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }

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

    /// The element's text without surrounding whitespace.
    pub async fn trimmed_text(&self, selector: &str) -> String {
        self.text(selector).await.trim().to_string()
    }

    /// The trimmed text of every matching element (none matching gives an empty list).
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(css(selector)).await.unwrap_or_default() {
            out.push(e.text().await.unwrap_or_default().trim().to_string());
        }
        out
    }

    /// The `data-check-id` of every element matching `selector`, in page order.
    pub async fn ids(&self, selector: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for e in self.client.find_all(css(selector)).await.unwrap_or_default() {
            ids.push(e.attr("data-check-id").await.ok().flatten().unwrap_or_default());
        }
        ids
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

    /// Waits until the element's text contains `part`, and returns the text.
    pub async fn wait_contains(&self, selector: &str, part: &str) -> String {
        self.eventually(&format!("{selector} to contain {part:?}"), || async {
            let t = self.client.find(css(selector)).await.ok()?.text().await.ok()?;
            t.contains(part).then_some(t)
        })
        .await
    }

    /// An attribute of the (first) matching element, once it exists.
    pub async fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).await.attr(name).await.expect("attribute")
    }

    /// Waits until the element's attribute `name` reads `value`.
    pub async fn wait_attr(&self, selector: &str, name: &str, value: &str) {
        self.eventually(&format!("{selector} [{name}={value}]"), || async {
            let e = self.client.find(css(selector)).await.ok()?;
            (e.attr(name).await.ok()?.as_deref() == Some(value)).then_some(())
        })
        .await;
    }

    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// Types into the element, as a person does.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.find(selector).await.send_keys(text).await.expect("type");
    }

    /// Sends keys to whatever has the focus.
    pub async fn keys(&self, keys: &str) {
        let el = self.client.active_element().await.expect("focused element");
        el.send_keys(keys).await.expect("keys");
    }

    /// `data-node` and id of the focused element.
    pub async fn focused(&self) -> (String, String) {
        let v = self
            .eval("const a = document.activeElement; return [a.getAttribute('data-node') || '', a.id || ''];")
            .await;
        (
            v[0].as_str().unwrap_or_default().to_string(),
            v[1].as_str().unwrap_or_default().to_string(),
        )
    }

    /// Sets a date picker (`<input type=date>`) as picking a day does: its value, then `input`.
    pub async fn set_date(&self, selector: &str, day: &str) {
        let el = self.find(selector).await;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true })); return 1;",
                vec![serde_json::to_value(&el).expect("element"), Value::String(day.into())],
            )
            .await
            .expect("set the date");
    }

    /// Picks a file in a file input.
    pub async fn pick(&self, selector: &str, path: &Path) {
        self.find(selector)
            .await
            .send_keys(&path.display().to_string())
            .await
            .expect("choose file");
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }

    /// The page's full height in CSS pixels.
    pub async fn page_height(&self) -> u64 {
        self.eval("return document.documentElement.scrollHeight;")
            .await
            .as_u64()
            .unwrap_or(0)
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
        self.eval("return window.__pwned === undefined ? null : window.__pwned;")
            .await
    }

    /// Switches the theme as the toggle does (and remembers it for the next page).
    pub async fn set_theme(&self, theme: &str) {
        self.eval(&format!(
            "localStorage.setItem('dockaudit-viewer-theme', '{theme}'); document.documentElement.setAttribute('data-theme', '{theme}'); return 1;"
        ))
        .await;
    }

    /// Saves a screenshot of the page as it is, in both themes, as `<dir>/<name>-<theme>.png`
    /// (light is left on).
    pub async fn shots_in(&self, dir: &Path, name: &str) {
        std::fs::create_dir_all(dir).expect("screenshot dir");
        for theme in ["light", "dark"] {
            self.set_theme(theme).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            let png = self.client.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(format!("{name}-{theme}.png")), png).expect("write screenshot");
        }
        self.set_theme("light").await;
    }

    /// [`Self::shots_in`] the directory `SIGNFLOW_SHOTS` names; nothing when it is unset.
    pub async fn shots(&self, name: &str) {
        if let Some(dir) = std::env::var_os("SIGNFLOW_SHOTS").map(PathBuf::from) {
            self.shots_in(&dir, name).await;
        }
    }
}

impl AsRef<Page> for Page {
    fn as_ref(&self) -> &Page {
        self
    }
}
