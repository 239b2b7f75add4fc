//! The layout of a published fleet (`dockaudit publish`), read by the viewer's fleet view.
//!
//! Under a destination's prefix:
//!
//! ```text
//! reports/<host>/<started_at>-<run id>.json   one report, never overwritten
//! hosts/<host>.json                           that host's run history (HostHistory)
//! index.json                                  every host's latest run (FleetIndex)
//! ```
//!
//! Reports are the truth; histories are rebuilt from them ([`HostRun::from_report`]) and the
//! index from histories ([`FleetIndex::from_histories`]), so a lost write is repaired by the next
//! publish and `--reindex` can rebuild everything. Every key segment comes from [`key`], which
//! makes hostile host names safe. Pure: no I/O, builds for wasm32.
//!
//! ```
//! use dockaudit_shared::fleet::HostKey;
//! let host = HostKey::for_name(Some("web-1"));
//! assert_eq!(host.history_key(), "hosts/web-1.json");
//! assert_eq!(
//!     host.report_key("2026-01-02T03:04:05Z", "9f0c"),
//!     "reports/web-1/20260102T030405Z-9f0c.json"
//! );
//! assert!(HostKey::for_name(Some("../index")).as_str().starts_with("index-"));
//! ```

pub mod history;
pub mod index;
pub mod key;

pub use history::{host_name, HostHistory, HostRun, Labels};
pub use index::{FleetHost, FleetIndex};
pub use key::{HostKey, HOSTS_DIR, INDEX_KEY, REPORTS_DIR};

/// Version of the history and index format written by this build.
pub const FLEET_FORMAT_VERSION: u32 = 1;

/// Why a history or index could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FleetFormatError {
    #[error("not a dockaudit fleet {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
    #[error("this fleet {what} was written by a newer dockaudit (format {found}); this program reads format {supported} — upgrade dockaudit")]
    Newer {
        what: &'static str,
        found: u64,
        supported: u32,
    },
}

/// Reads `index.json`.
pub fn parse_index(text: &str) -> Result<FleetIndex, FleetFormatError> {
    parse(text, "index")
}

/// Reads `hosts/<host>.json`.
pub fn parse_history(text: &str) -> Result<HostHistory, FleetFormatError> {
    parse(text, "host history")
}

/// `index.json` as JSON, checked for a newer format: the first half of [`parse_index`], for a
/// caller that gives the page its thread back between the halves (a 1,000-host index is 4 MB).
pub fn index_value(text: &str) -> Result<serde_json::Value, FleetFormatError> {
    parse_value(text, "index")
}

/// The second half of [`parse_index`]: the index from [`index_value`]'s JSON.
pub fn index_from_value(value: serde_json::Value) -> Result<FleetIndex, FleetFormatError> {
    typed(value, "index")
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, FleetFormatError> {
    typed(parse_value(text, what)?, what)
}

fn parse_value(text: &str, what: &'static str) -> Result<serde_json::Value, FleetFormatError> {
    let value = crate::json::parse(text).map_err(|e| FleetFormatError::Invalid {
        what,
        detail: e.to_string(),
    })?;
    match value.get("format_version").and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(FLEET_FORMAT_VERSION) => {
            return Err(FleetFormatError::Newer {
                what,
                found: v,
                supported: FLEET_FORMAT_VERSION,
            })
        }
        _ => {}
    }
    Ok(value)
}

fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value, what: &'static str) -> Result<T, FleetFormatError> {
    serde_json::from_value(value).map_err(|e| FleetFormatError::Invalid {
        what,
        detail: e.to_string(),
    })
}

/// JSON Schema of `index.json`, pretty-printed with a trailing newline.
pub fn index_schema_json() -> String {
    schema_text(schemars::schema_for!(FleetIndex))
}

/// JSON Schema of `hosts/<host>.json`, pretty-printed with a trailing newline.
pub fn history_schema_json() -> String {
    schema_text(schemars::schema_for!(HostHistory))
}

fn schema_text(schema: schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_and_foreign_files_are_refused_with_a_reason() {
        let err = parse_index(r#"{"format_version": 9, "generated_at": "", "hosts": []}"#).unwrap_err();
        assert!(matches!(err, FleetFormatError::Newer { found: 9, .. }), "{err}");
        let err = parse_history("[]").unwrap_err();
        assert!(matches!(err, FleetFormatError::Invalid { .. }), "{err}");
        let err = parse_index(r#"{"format_version": 1, "format_version": 1}"#).unwrap_err();
        assert!(
            err.to_string().contains("twice") || err.to_string().contains("duplicate"),
            "{err}"
        );
        let ok = parse_index(r#"{"format_version": 1, "generated_at": "t", "hosts": []}"#).unwrap();
        assert!(ok.hosts.is_empty());
    }
}
