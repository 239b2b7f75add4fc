//! How large an outside input dockaudit accepts, per kind of input, in one place.
//!
//! Every file dockaudit reads was written by someone else: a colleague's report or sign-off, a
//! docker-bench-security log, a facts snapshot from another host, a list of allowed signers. Parsing
//! JSON into memory costs several times the text's size (a 257 MB report took 1.8 GB), so each kind
//! has a ceiling well above anything real and well below what exhausts a workstation or a browser
//! tab. Readers call [`check`] (or [`Limits::check`]) with the input's length **before** reading or
//! parsing it; the error names the kind, the size found, the limit and how to raise it.
//!
//! One setting raises (or lowers) every limit at once: [`MAX_INPUT_ENV`]
//! (`DOCKAUDIT_MAX_INPUT_MB=<mebibytes>`), read by the CLI and parsed here with
//! [`Limits::from_setting`]. The viewer applies the defaults; a setting of its own can pass the
//! same number to [`Limits::with_max_mb`]. This module does no I/O: callers read the environment.
//!
//! Parsers that can multiply their input also bound their output; the docker-bench-security
//! importer's bounds are here too ([`DBS_MAX_RESULTS`], [`dbs_findings_budget`]).
//!
//! ```
//! use dockaudit_shared::limits::{self, InputKind};
//! assert!(limits::check(InputKind::Report, 5 << 20).is_ok());
//! let err = limits::check(InputKind::Report, 300 << 20).unwrap_err();
//! assert!(err.to_string().contains("DOCKAUDIT_MAX_INPUT_MB"));
//! ```

use std::fmt;

/// The environment variable the CLI reads to replace every limit: a whole number of mebibytes.
pub const MAX_INPUT_ENV: &str = "DOCKAUDIT_MAX_INPUT_MB";

const MIB: u64 = 1 << 20;

/// A kind of outside input, each with its own default limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// A dockaudit report (any schema version). About 10 KB per container: a 2,000-container
    /// host writes 21 MB and a 10,000-container host 104 MB, which must still open.
    Report,
    /// A sign-off: a decision and justification per check. Kilobytes in practice.
    Signoff,
    /// A docker-bench-security JSON log. Its items repeat in the details text, so a large host's
    /// log is a few MB.
    DockerBenchLog,
    /// A facts snapshot (`--facts-in`): image histories, container command lines, host files.
    FactsSnapshot,
    /// An `allowed_signers` file: one SSH public key (under 1 KB, or a few KB with certificates)
    /// per line.
    AllowedSigners,
}

impl InputKind {
    /// Every kind, for documentation and tests.
    pub const ALL: [InputKind; 5] = [
        InputKind::Report,
        InputKind::Signoff,
        InputKind::DockerBenchLog,
        InputKind::FactsSnapshot,
        InputKind::AllowedSigners,
    ];

    /// The default limit in bytes.
    pub const fn default_max_bytes(self) -> u64 {
        match self {
            InputKind::Report => 160 * MIB,
            InputKind::Signoff => 8 * MIB,
            InputKind::DockerBenchLog => 16 * MIB,
            InputKind::FactsSnapshot => 160 * MIB,
            InputKind::AllowedSigners => MIB,
        }
    }

    /// What the input is, for messages ("a report").
    pub const fn describe(self) -> &'static str {
        match self {
            InputKind::Report => "a report",
            InputKind::Signoff => "a sign-off",
            InputKind::DockerBenchLog => "a docker-bench-security log",
            InputKind::FactsSnapshot => "a facts snapshot",
            InputKind::AllowedSigners => "an allowed_signers file",
        }
    }
}

/// The limits in force: the defaults, or one ceiling for every kind set by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// Set by [`MAX_INPUT_ENV`] or a viewer setting; replaces every default.
    max_mb: Option<u64>,
}

impl Limits {
    /// The documented defaults of [`InputKind::default_max_bytes`].
    pub const DEFAULT: Limits = Limits { max_mb: None };

    /// One ceiling of `mb` mebibytes for every kind.
    pub const fn with_max_mb(mb: u64) -> Limits {
        Limits { max_mb: Some(mb) }
    }

    /// Limits from the value of [`MAX_INPUT_ENV`]: unset or empty keeps the defaults, otherwise a
    /// whole, positive number of mebibytes.
    pub fn from_setting(value: Option<&str>) -> Result<Limits, BadSetting> {
        match value.map(str::trim) {
            None | Some("") => Ok(Limits::DEFAULT),
            Some(text) => match text.parse::<u64>() {
                Ok(mb) if mb > 0 => Ok(Limits::with_max_mb(mb)),
                _ => Err(BadSetting {
                    value: text.to_string(),
                }),
            },
        }
    }

    /// The limit in bytes for `kind`.
    pub fn max_bytes(&self, kind: InputKind) -> u64 {
        match self.max_mb {
            Some(mb) => mb.saturating_mul(MIB),
            None => kind.default_max_bytes(),
        }
    }

    /// `Ok` when an input of `len` bytes is within the limit for `kind`.
    pub fn check(&self, kind: InputKind, len: u64) -> Result<(), TooLarge> {
        let limit = self.max_bytes(kind);
        if len <= limit {
            Ok(())
        } else {
            Err(TooLarge {
                kind,
                size: len,
                limit,
                set_by_user: self.max_mb.is_some(),
            })
        }
    }
}

/// [`Limits::check`] with the default limits.
pub fn check(kind: InputKind, len: u64) -> Result<(), TooLarge> {
    Limits::DEFAULT.check(kind, len)
}

/// An input over its limit. The message is for the CLI (it names [`MAX_INPUT_ENV`]); the viewer
/// shows [`TooLarge::what`] with its own way to raise the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}; if the file is trusted, raise it with {MAX_INPUT_ENV}=<MB> (e.g. {MAX_INPUT_ENV}={})",
    self.what(),
    size.div_ceil(MIB).max(1)
)]
pub struct TooLarge {
    pub kind: InputKind,
    /// The input's size in bytes.
    pub size: u64,
    /// The limit in bytes.
    pub limit: u64,
    /// Whether the limit came from [`MAX_INPUT_ENV`] rather than the defaults.
    pub set_by_user: bool,
}

impl TooLarge {
    /// What is too large, without how to raise the limit: "a report of 300.5 MB is over the 160 MB
    /// limit".
    pub fn what(&self) -> String {
        let by = if self.set_by_user {
            format!(" set by {MAX_INPUT_ENV}")
        } else {
            String::new()
        };
        format!(
            "{} of {} is over the {} limit{by}",
            self.kind.describe(),
            Size(self.size),
            Size(self.limit)
        )
    }
}

/// A [`MAX_INPUT_ENV`] value that is not a positive whole number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{MAX_INPUT_ENV}={value:?} is not a positive whole number of megabytes (MiB)")]
pub struct BadSetting {
    pub value: String,
}

/// Bytes for people: "1 536 B", "12.5 MB" (MiB, one decimal).
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < MIB {
            write!(f, "{} bytes", self.0)
        } else {
            let tenths = self.0.saturating_mul(10) / MIB;
            match tenths % 10 {
                0 => write!(f, "{} MB", tenths / 10),
                d => write!(f, "{}.{d} MB", tenths / 10),
            }
        }
    }
}

/// Most results a docker-bench-security log may hold. The benchmark has 117 checks and
/// docker-bench-security adds a few dozen community ones; a log with more is not one it wrote, and
/// each result costs about a kilobyte of report however short its entry in the log.
pub const DBS_MAX_RESULTS: usize = 10_000;

/// Bytes of findings a docker-bench-security import may produce from a log of `input_len` bytes.
///
/// Each of a result's items becomes a finding that repeats the result's details message and
/// remediation, so n items and L bytes of text would ask for n × L bytes (about 100 GB from a
/// 1 MB log). Past this budget the importer stops copying those texts (findings point at the
/// result's summary and remediation, which hold them once), and past it again it stops adding
/// findings, saying so in the result and the import notes. The floor keeps real logs of hosts with
/// thousands of containers whole; the per-byte share keeps memory O(input).
pub const fn dbs_findings_budget(input_len: usize) -> usize {
    DBS_FINDINGS_BUDGET_FLOOR.saturating_add(input_len.saturating_mul(DBS_FINDINGS_BUDGET_PER_BYTE))
}

/// See [`dbs_findings_budget`].
pub const DBS_FINDINGS_BUDGET_FLOOR: usize = 16 << 20;
/// See [`dbs_findings_budget`].
pub const DBS_FINDINGS_BUDGET_PER_BYTE: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_accept_their_limit_and_refuse_one_byte_more() {
        for kind in InputKind::ALL {
            let max = kind.default_max_bytes();
            assert_eq!(check(kind, max), Ok(()));
            let err = check(kind, max + 1).unwrap_err();
            assert_eq!(
                (err.kind, err.size, err.limit, err.set_by_user),
                (kind, max + 1, max, false)
            );
        }
    }

    #[test]
    fn the_message_names_the_kind_the_size_the_limit_and_the_setting() {
        let err = check(InputKind::Report, 300 * MIB + MIB / 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a report of 300.5 MB is over the 160 MB limit; if the file is trusted, raise it with \
             DOCKAUDIT_MAX_INPUT_MB=<MB> (e.g. DOCKAUDIT_MAX_INPUT_MB=301)"
        );
        assert_eq!(err.what(), "a report of 300.5 MB is over the 160 MB limit");
        let err = Limits::with_max_mb(1).check(InputKind::Signoff, 2 * MIB).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a sign-off of 2 MB is over the 1 MB limit set by DOCKAUDIT_MAX_INPUT_MB; if the file is \
             trusted, raise it with DOCKAUDIT_MAX_INPUT_MB=<MB> (e.g. DOCKAUDIT_MAX_INPUT_MB=2)"
        );
        let err = Limits::with_max_mb(0).check(InputKind::AllowedSigners, 1000);
        assert!(err
            .unwrap_err()
            .to_string()
            .contains("an allowed_signers file of 1000 bytes"));
    }

    #[test]
    fn the_setting_replaces_every_limit() {
        assert_eq!(Limits::from_setting(None), Ok(Limits::DEFAULT));
        assert_eq!(Limits::from_setting(Some(" ")), Ok(Limits::DEFAULT));
        let raised = Limits::from_setting(Some(" 512 ")).unwrap();
        for kind in InputKind::ALL {
            assert_eq!(raised.max_bytes(kind), 512 * MIB);
        }
        assert!(raised.check(InputKind::Report, 300 * MIB).is_ok());
        for bad in ["0", "-1", "1.5", "lots", "99999999999999999999999"] {
            let err = Limits::from_setting(Some(bad)).unwrap_err();
            assert!(err.to_string().starts_with("DOCKAUDIT_MAX_INPUT_MB="), "{err}");
        }
        assert_eq!(Limits::with_max_mb(u64::MAX).max_bytes(InputKind::Report), u64::MAX);
    }

    #[test]
    fn the_findings_budget_grows_with_the_input() {
        assert_eq!(dbs_findings_budget(0), DBS_FINDINGS_BUDGET_FLOOR);
        assert_eq!(dbs_findings_budget(1 << 20), (16 << 20) + (4 << 20));
        assert_eq!(dbs_findings_budget(usize::MAX), usize::MAX);
    }
}
