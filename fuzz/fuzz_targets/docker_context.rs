//! The docker CLI's context store as dockaudit reads it (`--context`, `DOCKER_CONTEXT`,
//! `currentContext`): `parse_meta` on a context's `meta.json` and `parse_current_context` on
//! `config.json`, then the context choice with what they gave. Both files are written by whoever
//! owns `~/.docker` (or `DOCKER_CONFIG`), tools and scripts included.
//!
//! The input is split at its first NUL byte: before it, `meta.json`; after it, `config.json`.
//! Besides not panicking: a parsed endpoint is never blank, a current context is never blank,
//! and the choice picks the name given (trimmed) by the source that gave it.
#![no_main]

use dockaudit::facts::context::{choose, parse_current_context, parse_meta, store_id, ContextInputs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (meta, config) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let meta = String::from_utf8_lossy(meta);
    if let Ok(m) = parse_meta(&meta) {
        assert!(m.host.as_deref().is_none_or(|h| !h.trim().is_empty()));
        // The store's directory name for it is always 64 hex digits.
        let id = store_id(&m.name);
        assert!(id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let Some(config) = config else { return };
    let config = String::from_utf8_lossy(config);
    if let Ok(Some(current)) = parse_current_context(&config) {
        assert!(!current.trim().is_empty());
        let inputs = ContextInputs {
            host_flag: None,
            context_flag: None,
            env_host: None,
            env_context: None,
            current_context: Some(&current),
        };
        let choice = choose(&inputs).expect("no conflict without flags");
        assert_eq!(choice.name, current.trim());
    }
});
