//! The browser rig shared by the viewer's browser tests and `cargo xtask bench`: the built site
//! served by the collector's own server ([`site`]), chromedriver and headless Chromium
//! ([`chromium`]), and a test's whole setup up to its WebDriver session ([`rig`]).
//!
//! Reports to serve are built with `dockaudit_shared::test_support` (feature `fixtures`).

pub mod chromium;
pub mod rig;
pub mod site;

pub use chromium::{
    chrome_capabilities, chromedriver_path, chromium_path, free_port, missing_browser, require_browser, ChromeDriver,
};
pub use rig::{browser_lock, connect, BrowserRig};
pub use site::{serve, viewer_dist};
