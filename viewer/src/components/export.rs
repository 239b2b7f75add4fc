//! Export: the checks shown (after filters) as CSV, the whole report as SARIF or HDF.
//!
//! The files are made by `dockaudit_shared::convert`, the same functions `dockaudit convert` uses,
//! and saved through a Blob and an object URL, so nothing leaves the browser.

use std::cell::RefCell;
use std::rc::Rc;

use dockaudit_shared::convert::{self, Format};
use dockaudit_shared::view::filter::{visible, Filters};
use gloo_file::{Blob, ObjectUrl};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::ReportRef;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    /// The report view's filters: the CSV holds exactly the checks they show.
    pub filters: Filters,
}

/// The file for `format`: CSV of the filtered checks, or the whole report.
pub fn export_file(report: &ReportRef, filters: &Filters, format: Format) -> (String, String) {
    let r = &report.report;
    let name = convert::file_name(r, format);
    match format {
        Format::Csv if !filters.is_empty() => {
            let shown = visible(&r.results, filters);
            let text = convert::results_to_csv(r, shown, filters.target.as_deref());
            (name.replace(".csv", "-filtered.csv"), text)
        }
        other => (name, other.render(r)),
    }
}

/// Saves `text` as a download named `name`. The object URL is kept until the next export (which
/// revokes it), since revoking right after the click can cancel the download.
fn download(keep: &RefCell<Option<ObjectUrl>>, name: &str, media_type: &str, text: &str) -> Result<(), String> {
    let url = ObjectUrl::from(Blob::new_with_options(text, Some(media_type)));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page has no document")?;
    let link = document
        .create_element("a")
        .map_err(|_| "cannot create a link".to_string())?;
    link.set_attribute("href", &url[..])
        .and_then(|()| link.set_attribute("download", name))
        .map_err(|_| "cannot prepare the download".to_string())?;
    let link: web_sys::HtmlElement = link.dyn_into().map_err(|_| "cannot click the link".to_string())?;
    link.click();
    *keep.borrow_mut() = Some(url);
    Ok(())
}

#[component]
pub fn Export(props: &Props) -> Html {
    let keep: Rc<RefCell<Option<ObjectUrl>>> = use_mut_ref(|| None);
    let status = use_state(String::new);
    let shown = visible(&props.report.report.results, &props.filters).len();
    let button = |format: Format, label: String, title: &str| {
        let report = props.report.clone();
        let filters = props.filters.clone();
        let keep = keep.clone();
        let status = status.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let (name, text) = export_file(&report, &filters, format);
            status.set(match download(&keep, &name, format.media_type(), &text) {
                Ok(()) => format!("Saved {name}"),
                Err(e) => format!("Export failed: {e}"),
            });
        });
        html! {
            <button class="button" {onclick} title={title.to_string()}
                data-testid={format!("export-{}", format.as_str())}>{ label }</button>
        }
    };
    html! {
        <div class="export selects" role="group" aria-label="Export" data-testid="export">
            <span class="hint">{ "Export" }</span>
            { button(Format::Csv, format!("CSV ({shown} checks)"), "The checks shown, after filters, as CSV: one row per finding") }
            { button(Format::Sarif, "SARIF".into(), "The whole report as SARIF 2.1.0, for GitHub code scanning") }
            { button(Format::Hdf, "HDF".into(), "The whole report in the Heimdall Data Format, for MITRE Heimdall") }
            if !status.is_empty() {
                <span class="hint" role="status" data-testid="export-status">{ (*status).clone() }</span>
            }
        </div>
    }
}
