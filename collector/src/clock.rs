//! The current time as RFC 3339 text, the one way timestamps are written.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Now, UTC, to the second (`2026-01-05T10:00:00Z`): report run times.
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    format(now.replace_nanosecond(0).unwrap_or(now))
}

/// Now, UTC, to the millisecond: facts snapshots, where gathering takes well under a second.
pub fn now_rfc3339_millis() -> String {
    let now = OffsetDateTime::now_utc();
    format(now.replace_millisecond(now.millisecond()).unwrap_or(now))
}

fn format(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_seconds_and_milliseconds() {
        let s = now_rfc3339();
        assert_eq!(s.len(), "2026-01-05T10:00:00Z".len(), "{s}");
        assert!(s.ends_with('Z'));
        let ms = now_rfc3339_millis();
        assert!(
            ms.ends_with('Z') && ms.len() <= "2026-01-05T10:00:00.123Z".len(),
            "{ms}"
        );
    }
}
