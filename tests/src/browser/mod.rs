//! The browser rig shared by the viewer's browser tests and `cargo xtask bench`: the built site
//! served by the collector's own server ([`site`]), chromedriver and headless Chromium
//! ([`chromium`]), a test's whole setup up to its WebDriver session ([`rig`]), the session with
//! the page helpers tests assert with ([`page`]), printing to PDF and reading it back ([`pdf`]),
//! and the reports the reviewer's tests share ([`reports`]).
//!
//! Reports to serve are built with `dockaudit_shared::test_support` (feature `fixtures`).

pub mod chromium;
pub mod page;
pub mod pdf;
pub mod reports;
pub mod rig;
pub mod site;

pub use chromium::{
    chrome_capabilities, chromedriver_path, chromium_path, free_port, missing_browser, require_browser, ChromeDriver,
};
pub use page::{css, Body, Page, TIMEOUT};
pub use rig::{browser_lock, connect, BrowserRig};
pub use site::{serve, viewer_dist};
