//! Unit tests of the least-privilege rules.
