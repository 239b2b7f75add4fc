//! The viewer's state and logic, kept free of any UI framework so it is tested natively.
//!
//! The browser viewer (`viewer/`) only renders what these functions compute and turns events into
//! [`state::Action`]s; everything that decides *what* is shown lives here:
//!
//! * [`chunked`]: reading a large report in slices, so the page stays responsive;
//! * [`state`]: the loaded reports, the view (mode, selection, filters) and the reducer;
//! * [`sources`]: the list of opened reports as shown, with each one's digest state;
//! * [`fleet`]: a published fleet as a heatmap of hosts × checks, its filters, sorts and URL;
//! * [`filter`]: which checks match the filters, and the live counts beside each filter value;
//! * [`tree`]: the benchmark's sections and subsections over the visible checks;
//! * [`targets`]: the "by target" view (every check a container or image offends);
//! * [`compare`]: the rows of the diff view, on top of [`crate::diff::diff`];
//! * [`fix_first`]: the failing checks ranked by severity and offenders, with a one-line fix;
//! * [`remediation`]: remediation text split into text and inline code, and its first sentence;
//! * [`paper`]: the printed evidence's running header, appendix and re-verification commands;
//! * [`trend`]: score trend and per-check timeline over several runs of one host;
//! * [`signoff`]: the reviewer's sign-off drafts, import/export, carry-forward and signing;
//! * [`url`]: the view state as a query string, so a copied link reproduces the view;
//! * [`window`]: which rows of a long list to render for a scroll position.
//!
//! ```
//! use dockaudit_shared::view::state::{Action, ViewerState};
//! use dockaudit_shared::view::url;
//!
//! let state = ViewerState::from_query("report=reports/a.json&status=fail&q=web");
//! assert_eq!(state.sources.len(), 1);
//! let state = state.reduce(Action::SetText("db".into()));
//! assert_eq!(url::encode(&state.spec()), "report=reports/a.json&status=fail&q=db");
//! ```

pub mod chunked;
pub mod compare;
pub mod filter;
pub mod fix_first;
pub mod fleet;
pub mod paper;
pub mod prepared;
pub mod remediation;
pub mod signoff;
pub mod sources;
pub mod state;
pub mod targets;
pub mod tree;
pub mod trend;
pub mod url;
pub mod window;
