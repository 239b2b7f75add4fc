//! `Fact<T>`: a gathered value, or the reason it could not be gathered.
//!
//! Checks match on it explicitly, so a missing fact can only become `error` or `not_applicable`,
//! never `pass`.

use serde::{Deserialize, Serialize};

/// Why a fact is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    /// What was being read: an API call (`GET /info`) or a host path.
    pub source: String,
    pub reason: String,
}

/// A gathered value or the reason it is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    Ok(T),
    Unavailable(Unavailable),
}

impl<T> Fact<T> {
    pub fn unavailable(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Fact::Unavailable(Unavailable {
            source: source.into(),
            reason: reason.into(),
        })
    }

    pub fn as_ref(&self) -> Fact<&T> {
        match self {
            Fact::Ok(v) => Fact::Ok(v),
            Fact::Unavailable(u) => Fact::Unavailable(u.clone()),
        }
    }

    /// The value, or the reason as an error (for `?` in checks).
    pub fn get(&self) -> Result<&T, &Unavailable> {
        match self {
            Fact::Ok(v) => Ok(v),
            Fact::Unavailable(u) => Err(u),
        }
    }

    pub fn ok(&self) -> Option<&T> {
        self.get().ok()
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Ok(v) => Fact::Ok(f(v)),
            Fact::Unavailable(u) => Fact::Unavailable(u),
        }
    }
}

impl<T: Default> Default for Fact<T> {
    fn default() -> Self {
        Fact::Ok(T::default())
    }
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}
