//! The one wall-clock format dockaudit writes: RFC 3339 in UTC, whole milliseconds.

/// Now, e.g. `2026-12-02T04:09:05.123Z`.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_millisecond(now.millisecond()).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
