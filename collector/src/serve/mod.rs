//! The static file server behind `dockaudit serve`, the viewer's browser tests and
//! `cargo xtask bench`: the built viewer plus a fixed set of reports, on 127.0.0.1 only.
//!
//! Reports hold what an attacker would like to read, and any web page the user visits can make
//! the browser send requests to 127.0.0.1. So every request must pass, in this order:
//!
//! * **Host**: only `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` (a page that rebinds
//!   its own name to 127.0.0.1 sends its own name and is refused with 421);
//! * **token**: an unguessable path prefix, `/<token>/`, printed (and opened) with the URL, as
//!   Jupyter does. A prefix rather than a query parameter or a cookie, because the viewer's page
//!   and its relative fetches (`reports/…`, `dockaudit_viewer.js`) resolve below the page's own
//!   path and so carry the token without any change to the viewer;
//! * **path**: files of the viewer directory (symlinks that lead out of it are refused) and the
//!   reports named when the server was built, nothing else, no listings.
//!
//! Every response carries the security headers of [`headers`]. Connections are bounded (the
//! accept loop waits for a free slot, so surplus clients queue in the kernel), idle or slow
//! clients time out on reading headers and on stalled writes, and files are streamed.
//!
//! Why hyper: it is the maintained HTTP/1 implementation the collector already builds (bollard
//! talks to dockerd through it) and it runs on the tokio runtime the collector already uses, so
//! header parsing, keep-alive and header-read timeouts come from a well-tested library and add
//! no second HTTP stack. Smaller blocking servers (tiny_http) would bring back a thread per
//! connection, the resource the old hand-written server ran out of.

mod access;
mod body;
mod error;
pub mod headers;
mod http;
mod io;
mod server;
mod site;

pub use error::Error;
pub use server::{Config, Server};
pub use site::{safe_name, Site};

#[cfg(test)]
mod tests;
