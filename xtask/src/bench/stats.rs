//! Statistics and number formatting for the tables (pure).

/// Median of the values; the mean of the middle two for an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Smallest and largest value.
pub fn range(values: &[f64]) -> Option<(f64, f64)> {
    let v = values.iter().copied().filter(|x| x.is_finite());
    let min = v.clone().reduce(f64::min)?;
    let max = v.reduce(f64::max)?;
    Some((min, max))
}

/// Milliseconds for a table: whole below 10 s rounded to 1 ms, `—` when unknown.
pub fn fmt_ms(ms: Option<f64>) -> String {
    match ms {
        Some(v) if v < 10.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.0} ms"),
        None => "—".into(),
    }
}

/// "median (min–max)".
pub fn fmt_spread(values: &[f64]) -> String {
    match (median(values), range(values)) {
        (Some(m), Some((lo, hi))) => format!("{} ({:.0}–{:.0})", fmt_ms(Some(m)), lo, hi),
        _ => "—".into(),
    }
}

/// KiB as MiB with one decimal.
pub fn fmt_mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Bytes as KB (decimal) with one decimal.
pub fn fmt_kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Bytes as MB (decimal) with one decimal.
pub fn fmt_mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
        assert_eq!(range(&[3.0, 1.0, 2.0]), Some((1.0, 3.0)));
        assert_eq!(range(&[]), None);
    }

    #[test]
    fn formats_figures() {
        assert_eq!(fmt_ms(Some(4.25)), "4.2 ms");
        assert_eq!(fmt_ms(Some(1234.4)), "1234 ms");
        assert_eq!(fmt_ms(None), "—");
        assert_eq!(fmt_spread(&[10.0, 30.0, 20.0]), "20 ms (10–30)");
        assert_eq!(fmt_mib(2048), "2.0 MiB");
        assert_eq!(fmt_kb(296_236), "296.2 KB");
        assert_eq!(fmt_mb(5_250_000), "5.2 MB");
    }
}
