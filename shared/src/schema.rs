//! JSON Schemas generated from the types; the checked-in copies under `schemas/` must match.

use crate::report::Report;

/// JSON Schema of the report, pretty-printed with a trailing newline.
pub fn report_schema_json() -> String {
    let schema = schemars::schema_for!(Report);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
