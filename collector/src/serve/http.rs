//! One request in, one response out: the checks of the module documentation, then the file.

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::access::{host_allowed, strip_token};
use super::body::{self, Body};
use super::headers::{content_type, secure, set_content_type};
use super::site::{percent_decode, Site};

/// What a request is checked against.
pub(crate) struct Gate {
    pub(crate) site: Site,
    pub(crate) token: String,
    pub(crate) port: u16,
}

/// Answers one request.
pub(crate) async fn respond(req: Request<Incoming>, gate: &Gate) -> Response<Body> {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = refuse(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    // An absolute-form target (`GET http://other/ HTTP/1.1`) names a host of its own: refused too.
    if !host_allowed(host, gate.port) || req.uri().authority().is_some() {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers to 127.0.0.1 and localhost only\n",
        );
    }
    let Some(rel) = strip_token(req.uri().path(), &gate.token) else {
        return refuse(
            StatusCode::FORBIDDEN,
            "open the address dockaudit serve printed, with its token\n",
        );
    };
    let Some(file) = percent_decode(rel).and_then(|rel| gate.site.resolve(&rel)) else {
        return refuse(StatusCode::NOT_FOUND, "not found\n");
    };
    let opened = match tokio::fs::File::open(&file).await {
        Ok(f) => f,
        Err(_) => return refuse(StatusCode::NOT_FOUND, "not found\n"),
    };
    let len = match opened.metadata().await {
        Ok(m) if m.is_file() => m.len(),
        _ => return refuse(StatusCode::NOT_FOUND, "not found\n"),
    };
    let mut response = Response::new(if head { body::empty() } else { body::file(opened) });
    let headers = response.headers_mut();
    secure(headers);
    set_content_type(headers, content_type(&file));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    response
}

/// A short plain-text error with the security headers.
fn refuse(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(body::text(text));
    *response.status_mut() = status;
    secure(response.headers_mut());
    set_content_type(response.headers_mut(), "text/plain; charset=utf-8");
    response
}
