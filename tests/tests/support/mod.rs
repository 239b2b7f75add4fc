//! The browser tests' session (`viewer_browser.rs`, `viewer_signoff.rs`, `viewer_export.rs`, …).
//!
//! Everything is the library's [`dockaudit_tests::browser`]: the rig (server, chromedriver,
//! capabilities, session, shared with `cargo xtask bench`) and the page helpers of
//! [`Page`]. `Session` wraps a page so that each test file can add helpers of its own in a
//! further `impl Session` block; it derefs to the page (`session.client`, `session.find(…)`).

// Each test binary includes this module and uses only some of it.
#![allow(dead_code)]

use std::ops::Deref;

#[allow(unused_imports)]
pub use dockaudit_tests::browser::{css, Body, Page, TIMEOUT};

/// One browser session on one served viewer (Chromium saves downloads to `rig.downloads`).
pub struct Session(Page);

impl Deref for Session {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.0
    }
}

impl AsRef<Page> for Session {
    fn as_ref(&self) -> &Page {
        &self.0
    }
}

/// Serves `files` under `/reports/` (scratch directories named after `tag`), starts a browser,
/// runs `body`, and closes the session even when `body` panics, then re-raises the panic.
pub async fn with_session(tag: &str, files: &[(&str, String)], body: impl for<'a> FnOnce(&'a Session) -> Body<'a>) {
    let session = Session(Page::start(tag, files).await);
    Page::run(session, body).await;
}
