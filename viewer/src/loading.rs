//! Reading reports without freezing the page: the bytes are fetched (or read from a file), then
//! parsed in slices by [`ChunkedLoad`] (a slice reads whole findings, never a whole check of ten
//! thousand), giving the browser its thread back between slices, so a 100 MB report never holds
//! the page for more than a frame or two. The parsed report reaches the
//! reducer ready made ([`Action::Loaded`], [`Action::FileLoaded`]).

use std::rc::Rc;

use dockaudit_shared::limits::InputKind;
use dockaudit_shared::view::chunked::ChunkedLoad;
use dockaudit_shared::view::state::{Action, LoadedReport};

pub use crate::browser::fetch_bytes;
use crate::browser::{now, yield_to_browser, SLICE_MS};
use crate::hooks::Dispatch;

/// Input bytes one step of the parse covers (a few hundred findings); steps run until
/// [`SLICE_MS`] have passed.
const STEP_BYTES: usize = 64 * 1024;

/// Starts fetching every `(index, url)` source; each report arrives as an action.
pub fn fetch_sources(pending: Vec<(usize, String)>, dispatch: Dispatch) {
    for (index, url) in pending {
        let dispatch = dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let action = match fetch_bytes(&url).await {
                Ok(bytes) => Action::Loaded {
                    index,
                    loaded: parse(&url, bytes).await.map(Rc::new),
                },
                Err(reason) => Action::FetchFailed { index, reason },
            };
            dispatch.emit(action);
        });
    }
}

/// Reads files (from the picker or a drop) one after the other, in the order given.
pub fn read_files(list: Option<web_sys::FileList>, dispatch: Dispatch) {
    let Some(list) = list else { return };
    let files: Vec<gloo_file::File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(gloo_file::File::from)
        .collect();
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for file in files {
            let name = file.name();
            // The same documented limit as the CLI's: the tab would struggle past it.
            if let Err(e) = dockaudit_shared::limits::check(InputKind::Report, file.size()) {
                dispatch.emit(Action::FileUnreadable {
                    name,
                    reason: format!("{}.", e.what()),
                });
                continue;
            }
            let action = match read_in_parts(&file).await {
                Ok(bytes) => Action::FileLoaded {
                    loaded: parse(&name, bytes).await.map(Rc::new),
                    name,
                },
                Err(e) => Action::FileUnreadable {
                    name,
                    reason: e.to_string(),
                },
            };
            dispatch.emit(action);
        }
    });
}

/// Bytes of a file read in one go: a few milliseconds of copying into the wasm memory.
const FILE_PART_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a file part by part, each part its own task: one read of a 100 MB file would copy it
/// into the wasm memory in one go and hold the page for as long.
async fn read_in_parts(file: &gloo_file::File) -> Result<Vec<u8>, gloo_file::FileReadError> {
    let size = file.size();
    // The size was checked against the report limit before, so it fits in memory.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut start = 0;
    while start < size {
        let end = size.min(start + FILE_PART_BYTES);
        bytes.extend_from_slice(&gloo_file::futures::read_as_bytes(&file.slice(start, end)).await?);
        start = end;
    }
    Ok(bytes)
}

/// Parses a report in slices, yielding to the browser between them.
pub async fn parse(name: &str, bytes: Vec<u8>) -> Result<LoadedReport, String> {
    crate::perf::parse_started();
    let mut load = ChunkedLoad::new(name, bytes);
    let mut slice_start = now();
    loop {
        if let Some(outcome) = load.step(STEP_BYTES) {
            return outcome;
        }
        if now() - slice_start >= SLICE_MS {
            yield_to_browser().await;
            slice_start = now();
        }
    }
}
