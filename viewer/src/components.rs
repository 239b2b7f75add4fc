//! One component per file; each takes plain props and a [`crate::hooks::Dispatch`] callback.

pub mod check_detail;
pub mod check_tree;
pub mod decision_form;
pub mod decisions_table;
pub mod diff_view;
pub mod evidence_view;
pub mod export;
pub mod filters;
pub mod loader;
pub mod mode_tabs;
pub mod notices;
pub mod report_header;
pub mod report_view;
pub mod signature_badge;
pub mod signoff_panel;
pub mod sources;
pub mod status_badge;
pub mod summary;
pub mod targets_view;
pub mod trend_view;
