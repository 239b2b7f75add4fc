//! The sign-off's browser side: drafts in localStorage (keyed by report digest), the clock,
//! downloading the export, reading an import, and the context the sign-off components share.
//!
//! What to store is decided by `dockaudit_shared::view::signoff`; this module only performs it.

use std::cell::RefCell;
use std::rc::Rc;

use dockaudit_shared::limits::InputKind;
use dockaudit_shared::signoff::draft::SignatureDraft;
use dockaudit_shared::signoff::effective::Evaluation;
use dockaudit_shared::signoff::Signoff;
use dockaudit_shared::sshsig::SignatureStatus;
use dockaudit_shared::view::signoff::{Persist, SignoffAction};
use dockaudit_shared::view::state::Action;
use wasm_bindgen::{JsCast, JsValue};

use crate::hooks::{Dispatch, ReportRef};

/// Storage keys are this prefix and the report's digest.
const KEY_PREFIX: &str = "dockaudit-signoff:";
/// Storage key of the allowed_signers file (its name, a newline, its text).
const ALLOWED_KEY: &str = "dockaudit-allowed-signers";
/// Storage keys of the signing form in progress are this prefix and the report's digest.
const FORM_PREFIX: &str = "dockaudit-signoff-form:";
/// The last reviewer's name, role and e-mail, offered on the next report.
const REVIEWER_KEY: &str = "dockaudit-signoff-reviewer";

/// The signing form as left for this report, else one with the last reviewer's name, role and
/// e-mail filled in.
pub fn load_form(digest: &str) -> SignatureDraft {
    let read = |key: &str| {
        storage()
            .and_then(|s| s.get_item(key).ok().flatten())
            .and_then(|text| serde_json::from_str::<SignatureDraft>(&text).ok())
    };
    if let Some(form) = read(&format!("{FORM_PREFIX}{digest}")) {
        return form;
    }
    read(REVIEWER_KEY)
        .map(|last| SignatureDraft {
            name: last.name,
            role: last.role,
            email: last.email,
            ..SignatureDraft::default()
        })
        .unwrap_or_default()
}

/// Keeps the signing form of this report (and who the reviewer is, for the next report).
pub fn save_form(digest: &str, form: &SignatureDraft) {
    let Some(s) = storage() else { return };
    if let Ok(json) = serde_json::to_string(form) {
        let _ = s.set_item(&format!("{FORM_PREFIX}{digest}"), &json);
    }
    let who = SignatureDraft {
        name: form.name.clone(),
        role: form.role.clone(),
        email: form.email.clone(),
        ..SignatureDraft::default()
    };
    if let Ok(json) = serde_json::to_string(&who) {
        let _ = s.set_item(REVIEWER_KEY, &json);
    }
}

/// The allowed_signers file kept in the browser: its name and text.
pub fn load_allowed() -> Option<(String, String)> {
    let stored = storage()?.get_item(ALLOWED_KEY).ok().flatten()?;
    let (name, text) = stored.split_once('\n')?;
    Some((name.to_string(), text.to_string()))
}

/// Keeps (or, for `None`, forgets) the allowed_signers file.
pub fn persist_allowed(what: &Option<(String, String)>) {
    let Some(s) = storage() else { return };
    let _ = match what {
        Some((name, text)) => s.set_item(ALLOWED_KEY, &format!("{name}\n{text}")),
        None => s.remove_item(ALLOWED_KEY),
    };
}

/// Seconds since the Unix epoch: signing times after this are refused.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The refusal of a picked file past its kind's documented size limit (the CLI's limits).
fn over_limit(file: &gloo_file::File, kind: InputKind) -> Option<SignoffAction> {
    dockaudit_shared::limits::check(kind, file.size())
        .err()
        .map(|e| SignoffAction::Unreadable {
            name: file.name(),
            reason: format!("{}.", e.what()),
        })
}

/// Reads the first picked file as an allowed_signers file.
pub fn import_allowed(list: Option<web_sys::FileList>, dispatch: Dispatch) {
    let Some(file) = list.and_then(|l| l.get(0)).map(gloo_file::File::from) else {
        return;
    };
    if let Some(refused) = over_limit(&file, InputKind::AllowedSigners) {
        dispatch.emit(Action::Signoff(refused));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let action = match gloo_file::futures::read_as_text(&file).await {
            Ok(text) => SignoffAction::AllowedSigners { name, text },
            Err(e) => SignoffAction::Unreadable {
                name,
                reason: e.to_string(),
            },
        };
        dispatch.emit(Action::Signoff(action));
    });
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The stored draft of a report, if any.
pub fn load(digest: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(&format!("{KEY_PREFIX}{digest}")).ok().flatten())
}

/// Writes or removes a draft as the shared state decided.
pub fn persist(what: &Persist) {
    let Some(s) = storage() else { return };
    // A full or disabled storage loses only the persistence, never the open draft.
    match what {
        Persist::Keep => {}
        Persist::Remove(digest) => {
            let _ = s.remove_item(&format!("{KEY_PREFIX}{digest}"));
        }
        Persist::Write(digest, json) => {
            let _ = s.set_item(&format!("{KEY_PREFIX}{digest}"), json);
        }
    }
}

/// Today in the reader's time zone, YYYY-MM-DD: expiry is judged on the day the report is viewed.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// The current time, RFC 3339 in UTC.
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

thread_local! {
    /// The last export's object URL, kept until the next export so the download can finish.
    static LAST_EXPORT: RefCell<Option<gloo_file::ObjectUrl>> = const { RefCell::new(None) };
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page has no document")?;
    let blob = gloo_file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo_file::ObjectUrl::from(blob);
    let link = document
        .create_element("a")
        .map_err(|_| "a download link could not be created".to_string())?;
    link.set_attribute("href", &url)
        .and_then(|()| link.set_attribute("download", name))
        .map_err(|_| "a download link could not be set up".to_string())?;
    link.dyn_into::<web_sys::HtmlElement>()
        .map_err(|_| "a download link could not be created".to_string())?
        .click();
    LAST_EXPORT.with(|slot| *slot.borrow_mut() = Some(url));
    Ok(())
}

/// Reads the first picked file and imports it as a sign-off.
pub fn import(list: Option<web_sys::FileList>, dispatch: Dispatch) {
    let Some(file) = list.and_then(|l| l.get(0)).map(gloo_file::File::from) else {
        return;
    };
    if let Some(refused) = over_limit(&file, InputKind::Signoff) {
        dispatch.emit(Action::Signoff(refused));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let action = match gloo_file::futures::read_as_text(&file).await {
            Ok(text) => SignoffAction::Import {
                name,
                text,
                today: today(),
            },
            Err(e) => SignoffAction::Unreadable {
                name,
                reason: e.to_string(),
            },
        };
        dispatch.emit(Action::Signoff(action));
    });
}

/// Fetches the sign-off a link names (same origin only, as for reports).
pub fn fetch_linked(url: String, dispatch: Dispatch) {
    wasm_bindgen_futures::spawn_local(async move {
        let action = match crate::browser::fetch_text(&url).await {
            Ok(text) => SignoffAction::LinkFetched { text, today: today() },
            Err(reason) => SignoffAction::LinkFailed { reason },
        };
        dispatch.emit(Action::Signoff(action));
    });
}

/// The `value` of an input, select or textarea behind an event (without a web-sys feature per element).
pub fn field_value(e: &web_sys::Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Opens the browser's print dialog (the evidence view prints cleanly to PDF).
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// What the sign-off components share: the active report, its draft and today's evaluation.
#[derive(Clone, PartialEq)]
pub struct SignoffContext {
    pub report: ReportRef,
    pub digest: String,
    pub signoff: Rc<Signoff>,
    pub eval: Rc<Evaluation>,
    pub today: String,
    pub dispatch: Dispatch,
    /// The collector's signature on the report, against the loaded allowed signers.
    pub report_signature: SignatureStatus,
    /// The reviewer's SSH signature on the sign-off.
    pub signoff_signature: SignatureStatus,
    /// Principals of the loaded allowed_signers file, and its name; empty when none is loaded.
    pub principals: Vec<String>,
    pub allowed_name: Option<String>,
}
