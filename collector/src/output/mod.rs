//! Human-readable renderings of reports and diffs.

pub mod diff_text;
pub mod fleet;
pub mod harden;
pub mod style;
pub mod text;

#[cfg(test)]
mod tests;
