//! Calendar dates and timestamps, validated strictly.
//!
//! Shared has no clock: "today" always comes from the caller (the CLI from the `time` crate, the
//! viewer from the browser), so expiry is judged on the day a report is viewed or verified. Dates
//! are `YYYY-MM-DD` and nothing else — "2026-2-3", "2026-02-30" or "2026-02-03T00:00" are refused,
//! because a sign-off that an auditor reads differently from the tool is worse than none.

use std::fmt;

/// A day of the Gregorian calendar, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date or timestamp was refused; the message quotes the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a valid {what}: {reason}")]
pub struct DateError {
    pub value: String,
    /// "date (YYYY-MM-DD)" or "timestamp (RFC 3339)".
    pub what: &'static str,
    pub reason: String,
}

const DATE: &str = "date (YYYY-MM-DD)";
const TIMESTAMP: &str = "timestamp (RFC 3339, e.g. 2026-01-07T12:00:00Z)";

impl Date {
    /// Parses exactly `YYYY-MM-DD` with a real month and day (leap years included), year 1 to 9999.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let fail = |reason: &str| DateError {
            value: s.to_string(),
            what: DATE,
            reason: reason.to_string(),
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(fail("write it as four-digit year, month and day separated by dashes"));
        }
        let year = digits(&b[0..4]).ok_or_else(|| fail("the year must be four digits"))?;
        let month = digits(&b[5..7]).ok_or_else(|| fail("the month must be two digits"))?;
        let day = digits(&b[8..10]).ok_or_else(|| fail("the day must be two digits"))?;
        if year == 0 {
            return Err(fail("there is no year 0000"));
        }
        if !(1..=12).contains(&month) {
            return Err(fail("the month must be 01 to 12"));
        }
        let (year, month) = (year as u16, month as u8);
        let last = days_in_month(year, month);
        if day == 0 || day > u32::from(last) {
            return Err(fail(&format!("month {month:02} of {year:04} has days 01 to {last:02}")));
        }
        Ok(Date {
            year,
            month,
            day: day as u8,
        })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), for comparing with Unix times.
    pub fn unix_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Checks an RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM`.
/// Returns its calendar date.
pub fn parse_timestamp(s: &str) -> Result<Date, DateError> {
    let fail = |reason: &str| DateError {
        value: s.to_string(),
        what: TIMESTAMP,
        reason: reason.to_string(),
    };
    let b = s.as_bytes();
    if b.len() < 20 || !s.is_ascii() {
        return Err(fail("it is too short or holds characters a timestamp cannot"));
    }
    let date = Date::parse(&s[..10]).map_err(|e| fail(&e.reason))?;
    if b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(fail("the time must follow a T as HH:MM:SS"));
    }
    let (h, m, sec) = (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19]));
    match (h, m, sec) {
        (Some(h), Some(m), Some(sec)) if h <= 23 && m <= 59 && sec <= 60 => {}
        _ => return Err(fail("hours must be 00-23, minutes 00-59 and seconds 00-60")),
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err(fail("a decimal point must be followed by digits"));
        }
        rest = &frac[n..];
    }
    match rest {
        b"Z" => Ok(date),
        [b'+' | b'-', h1, h2, b':', m1, m2] => match (digits(&[*h1, *h2]), digits(&[*m1, *m2])) {
            (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(date),
            _ => Err(fail("the offset must be ±HH:MM")),
        },
        _ => Err(fail("it must end with Z or an offset such as +02:00")),
    }
}

/// An RFC 3339 timestamp as seconds since the Unix epoch (UTC; fractions dropped).
pub fn timestamp_seconds(s: &str) -> Result<i64, DateError> {
    let date = parse_timestamp(s)?;
    let b = s.as_bytes();
    let two = |i: usize| i64::from(digits(&b[i..i + 2]).unwrap_or(0));
    let mut secs = date.unix_days() * 86_400 + two(11) * 3600 + two(14) * 60 + two(17);
    // parse_timestamp accepted it, so the text ends in Z or ±HH:MM.
    if let [sign @ (b'+' | b'-'), ..] = &b[b.len() - 6..] {
        let offset = two(b.len() - 5) * 3600 + two(b.len() - 2) * 60;
        secs += if *sign == b'+' { -offset } else { offset };
    }
    Ok(secs)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_parsed_strictly() {
        assert_eq!(Date::parse("2026-01-07").unwrap().to_string(), "2026-01-07");
        assert!(Date::parse("2024-02-29").is_ok());
        for bad in [
            "",
            "2026-1-07",
            "2026-01-7",
            "26-01-07",
            "2026/01/07",
            "2026-13-01",
            "2026-00-10",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "0000-01-01",
            "2026-01-07T00:00:00Z",
            " 2026-01-07",
            "２０２６-01-07",
            "+026-01-07",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let e = Date::parse("2026-02-30").unwrap_err().to_string();
        assert!(e.contains("01 to 28"), "{e}");
        assert!(Date::parse("2026-01-07").unwrap() < Date::parse("2026-01-08").unwrap());
        assert!(Date::parse("2025-12-31").unwrap() < Date::parse("2026-01-01").unwrap());
    }

    #[test]
    fn unix_times() {
        assert_eq!(Date::parse("1970-01-01").unwrap().unix_days(), 0);
        assert_eq!(Date::parse("2026-01-01").unwrap().unix_days(), 20_454);
        assert_eq!(Date::parse("1969-12-31").unwrap().unix_days(), -1);
        assert_eq!(timestamp_seconds("2026-01-01T00:00:00Z").unwrap(), 1_767_225_600);
        assert_eq!(timestamp_seconds("2026-01-01T02:00:00.5+02:00").unwrap(), 1_767_225_600);
        assert_eq!(timestamp_seconds("2025-12-31T19:00:00-05:00").unwrap(), 1_767_225_600);
    }

    #[test]
    fn timestamps_are_rfc3339() {
        for good in [
            "2026-01-07T12:00:00Z",
            "2026-01-07T12:00:00.123Z",
            "2026-01-07T23:59:60+02:00",
            "2026-01-07T00:00:00-05:30",
        ] {
            assert_eq!(parse_timestamp(good).unwrap().to_string(), "2026-01-07", "{good}");
        }
        for bad in [
            "2026-01-07",
            "2026-01-07 12:00:00Z",
            "2026-01-07T12:00:00",
            "2026-01-07T24:00:00Z",
            "2026-01-07T12:00:00.Z",
            "2026-01-07T12:00:00+0200",
            "2026-02-30T12:00:00Z",
            "2026-01-07T12:00:00Zjunk",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
