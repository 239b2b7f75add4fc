//! The dockaudit viewer: a static Yew/WebAssembly site that reads and compares dockaudit reports.
//!
//! All decisions about what is shown (filters, tree, diff rows, trend, URL state) are made by
//! `dockaudit_shared::view`, which is tested natively; this crate only renders and wires browser
//! events to [`dockaudit_shared::view::state::Action`]s. Two rules hold everywhere:
//!
//! * every string that comes from a report is rendered as a text node or a plain attribute value,
//!   never as HTML, and never in `href`/`src`;
//! * nothing is fetched from anywhere but the page's own origin (and the CSP in `index.html` says
//!   so to the browser as well).
//!
//! The crate compiles on the host too, so `cargo clippy --workspace` lints the components; only
//! the wasm32 build renders anything.

pub mod app;
pub mod browser;
pub mod components;
pub mod hooks;
pub mod loading;
pub mod perf;
pub mod signoff_store;

/// Mounts the viewer on the page's `<body>`.
pub fn run() {
    #[cfg(target_arch = "wasm32")]
    {
        yew::Renderer::<app::App>::new().render();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        eprintln!("dockaudit-viewer runs in a browser: build it with `cargo xtask build-viewer` and open viewer/dist/");
    }
}
