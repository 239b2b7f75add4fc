//! Everything that touches the browser: location and history, fetching, keyboard, theme and
//! focus (reading reports, fetched or from files, is [`crate::loading`]'s). Components call
//! these; none of them decides what to show.

use dockaudit_shared::limits::InputKind;
use dockaudit_shared::view::state::Action;
use wasm_bindgen::{JsCast, JsValue};

use crate::hooks::Dispatch;

const THEME_KEY: &str = "dockaudit-viewer-theme";
/// How long long-running work (a parse, a download's chunks) keeps the page's thread before it
/// yields with [`yield_to_browser`] (a long task is 50 ms).
pub const SLICE_MS: f64 = 25.0;
/// Element id of the free-text search box (focused by `/`).
pub const SEARCH_ID: &str = "search";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn document() -> Option<web_sys::Document> {
    window().and_then(|w| w.document())
}

/// The page's query string, with its `?`.
pub fn query() -> String {
    window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Replaces the page URL's query without adding a history entry or reloading.
pub fn replace_query(query: &str) {
    let Some(window) = window() else { return };
    let current = window.location().search().unwrap_or_default();
    let wanted = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    if current == wanted {
        return;
    }
    let url = if wanted.is_empty() {
        window.location().pathname().unwrap_or_else(|_| "./".into())
    } else {
        wanted
    };
    if let Ok(history) = window.history() {
        // A failure leaves the old URL in place; the view itself is unaffected.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Resolves a `?report=` value against the page and refuses anything that is not an http(s) URL
/// on the page's own origin (a link must not make the viewer fetch from elsewhere).
pub fn resolve_report_url(raw: &str) -> Result<String, String> {
    let window = window().ok_or("the page has no window")?;
    let location = window.location();
    let base = location
        .href()
        .map_err(|_| "the page's address cannot be read".to_string())?;
    let origin = location
        .origin()
        .map_err(|_| "the page's origin cannot be read".to_string())?;
    let url = web_sys::Url::new_with_base(raw, &base).map_err(|_| format!("\"{raw}\" is not a valid address."))?;
    let protocol = url.protocol();
    if protocol != "http:" && protocol != "https:" {
        return Err(format!(
            "\"{raw}\" uses {protocol} — reports can only be fetched over http or https from this page's server."
        ));
    }
    if url.origin() != origin {
        return Err(format!(
            "\"{raw}\" is on another server ({}). The viewer only fetches reports from its own origin ({origin}); \
             download the report and open it as a file instead.",
            url.origin()
        ));
    }
    Ok(url.href())
}

/// GETs a same-origin URL (see [`resolve_report_url`]); a failure or an error status is a
/// sentence for the reader.
async fn get(raw: &str) -> Result<gloo_net::http::Response, String> {
    let url = resolve_report_url(raw)?;
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| format!("\"{raw}\" could not be fetched: {e}."))?;
    if !response.ok() {
        return Err(format!(
            "The server answered HTTP {} {} for \"{raw}\".",
            response.status(),
            response.status_text()
        ));
    }
    Ok(response)
}

/// Fetches a same-origin URL's body as text (sign-offs).
pub async fn fetch_text(raw: &str) -> Result<String, String> {
    get(raw)
        .await?
        .text()
        .await
        .map_err(|e| format!("\"{raw}\" could not be read: {e}."))
}

/// Fetches a same-origin URL's body as bytes (reports, fleet indexes), at most the report limit
/// ([`InputKind::Report`], the largest input the viewer reads).
///
/// The body is read as it arrives, a network chunk at a time, into one buffer sized from
/// `Content-Length`: the browser never assembles a 100 MB `ArrayBuffer` and the page never copies
/// it into the wasm memory in one go (each of those held the page for about 90 ms). A body over
/// the limit is refused as soon as it is known to be, whatever the server announced.
pub async fn fetch_bytes(raw: &str) -> Result<Vec<u8>, String> {
    let response = get(raw).await?;
    let limit = dockaudit_shared::limits::Limits::DEFAULT.max_bytes(InputKind::Report);
    let too_large = |len: u64| {
        dockaudit_shared::limits::check(InputKind::Report, len)
            .err()
            .map(|e| format!("\"{raw}\" is too large: {}.", e.what()))
    };
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(reason) = announced.and_then(too_large) {
        return Err(reason);
    }
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let unreadable = |e: JsValue| format!("\"{raw}\" could not be read: {}.", js_message(&e));
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    // Capacity from the header only up to the limit (checked above); the body may still differ.
    let mut bytes: Vec<u8> = Vec::with_capacity(announced.map_or(0, |n| n.min(limit) as usize));
    let mut slice_start = now();
    loop {
        // Chunks the browser already holds resolve at once, one after the other in one task:
        // give the page its thread back now and then.
        if now() - slice_start >= SLICE_MS {
            yield_to_browser().await;
            slice_start = now();
        }
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(unreadable)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).map_err(unreadable)?;
        if done.as_bool() == Some(true) {
            return Ok(bytes);
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(unreadable)?;
        let Ok(array) = value.dyn_into::<js_sys::Uint8Array>() else {
            return Err(format!(
                "\"{raw}\" could not be read: the browser gave a chunk that is not bytes."
            ));
        };
        let start = bytes.len();
        let len = array.length() as usize;
        if let Some(reason) = too_large((start + len) as u64) {
            // Stops the download; the error is the answer whatever cancelling says.
            let _ = reader.cancel();
            return Err(reason);
        }
        bytes.resize(start + len, 0);
        array.copy_to(&mut bytes[start..]);
    }
}

/// A thrown JS value as text (an `Error`'s message, else its string form).
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser gave no reason".into())
}

fn focusable_field(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    Some(el.tag_name())
}

/// Installs the keyboard shortcuts: j/k or arrows move, Enter or o opens, Escape closes (or leaves
/// a text field), `/` focuses the search. Keys typed into fields are left alone.
pub fn keyboard(dispatch: Dispatch) -> Option<gloo_events::EventListener> {
    let document = document()?;
    Some(gloo_events::EventListener::new(&document, "keydown", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let key = event.key();
        let tag = focusable_field(event.target()).unwrap_or_default();
        // Widgets with their own keys (the check tree, pickers) handle them and stop them there.
        if event.default_prevented() {
            return;
        }
        if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
            if key == "Escape" {
                blur_active();
            }
            return;
        }
        let action = match key.as_str() {
            "j" | "ArrowDown" => Some(Action::Move(1)),
            "k" | "ArrowUp" => Some(Action::Move(-1)),
            // A focused button or link handles Enter itself.
            "Enter" if matches!(tag.as_str(), "BUTTON" | "SUMMARY" | "A") => None,
            "Enter" | "o" => Some(Action::Open),
            "Escape" => Some(Action::Close),
            "/" => {
                event.prevent_default();
                focus_search();
                None
            }
            _ => None,
        };
        if let Some(action) = action {
            event.prevent_default();
            dispatch.emit(action);
        }
    }))
}

fn blur_active() {
    if let Some(el) = document()
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.blur();
    }
}

/// Puts the cursor in the search box.
pub fn focus_search() {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(SEARCH_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Scrolls the selected check row into view (after keyboard moves).
pub fn scroll_selected_into_view() {
    let Some(row) = document().and_then(|d| d.query_selector(".check-row.selected").ok().flatten()) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    row.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().and_then(|w| w.local_storage().ok().flatten())
}

/// The reader's saved choice, else the system preference.
pub fn initial_theme() -> Theme {
    match storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()).as_deref() {
        Some("dark") => return Theme::Dark,
        Some("light") => return Theme::Light,
        _ => {}
    }
    let prefers_dark = window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if prefers_dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// Applies a theme to the page.
pub fn apply_theme(theme: Theme) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

/// Remembers the reader's choice for the next visit.
pub fn save_theme(theme: Theme) {
    if let Some(s) = storage() {
        let _ = s.set_item(THEME_KEY, theme.as_str());
    }
}

/// An attribute of the element an event happened on (the focused row, for keys).
pub fn event_data(e: &web_sys::Event, name: &str) -> Option<String> {
    e.target()?.dyn_into::<web_sys::Element>().ok()?.get_attribute(name)
}

/// Moves the focus to the tree row whose `data-node` is `key` (compared here, never put into a
/// selector: check ids come from report files).
pub fn focus_tree_node(tree_id: &str, key: &str) {
    let Some(tree) = document().and_then(|d| d.get_element_by_id(tree_id)) else {
        return;
    };
    let Ok(rows) = tree.query_selector_all("[data-node]") else {
        return;
    };
    for i in 0..rows.length() {
        let Some(row) = rows.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else {
            continue;
        };
        if row.get_attribute("data-node").as_deref() == Some(key) {
            let _ = row.focus();
            return;
        }
    }
}

/// Focuses the element with this id (a skip link's target, the opened detail).
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

thread_local! {
    /// Set when a check was opened from the keyboard: the detail takes the focus once rendered.
    static DETAIL_FOCUS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Asks the next rendered check detail to take the focus.
pub fn request_detail_focus() {
    DETAIL_FOCUS.with(|f| f.set(true));
}

/// Whether the detail should take the focus now (the request is consumed).
pub fn take_detail_focus() -> bool {
    DETAIL_FOCUS.with(|f| f.replace(false))
}

/// The scroll offset and visible height of an element, for virtualised lists.
pub fn scroll_metrics(e: &web_sys::Event) -> Option<(u32, u32)> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    Some((el.scroll_top().max(0) as u32, el.client_height().max(0) as u32))
}

/// The height of the element with this id, once laid out.
pub fn client_height(id: &str) -> Option<u32> {
    let el = document()?.get_element_by_id(id)?;
    u32::try_from(el.client_height()).ok()
}

/// Scrolls the element with this id back to its top (a list whose content was just replaced).
pub fn scroll_to_top(id: &str) {
    if let Some(el) = document().and_then(|d| d.get_element_by_id(id)) {
        el.set_scroll_top(0);
    }
}

/// Moves the focus into a tree: to its one tab stop (the row with `tabindex="0"`).
pub fn focus_tree(tree_id: &str) {
    let row = document()
        .and_then(|d| d.get_element_by_id(tree_id))
        .and_then(|t| t.query_selector("[tabindex='0']").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match row {
        Some(row) => {
            let _ = row.focus();
        }
        None => focus_id(tree_id),
    }
}

/// `performance.now()`, in ms (0 without the Performance API).
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Lets the browser run its queued work (input, paint) before the next slice: with
/// `scheduler.yield()` where the browser has it (Chromium), which resumes as soon as that work
/// is done, else with a zero timeout (which browsers stretch to 4 ms after a few in a row).
pub async fn yield_to_browser() {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;

        let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok();
        let yielded = scheduler.filter(|s| s.is_object()).and_then(|s| {
            let call = js_sys::Reflect::get(&s, &"yield".into()).ok()?;
            let promise = call.dyn_ref::<js_sys::Function>()?.call0(&s).ok()?;
            promise.dyn_into::<js_sys::Promise>().ok()
        });
        let promise = yielded.unwrap_or_else(|| {
            js_sys::Promise::new(&mut |resolve, _| {
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
                }
            })
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
