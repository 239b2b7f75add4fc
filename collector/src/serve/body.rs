//! Response bodies: short texts, and files streamed in chunks (never read whole into memory).

use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use tokio_util::io::ReaderStream;

/// Every response body the server sends.
pub(crate) type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// Bytes read from a file per chunk.
const CHUNK: usize = 64 * 1024;

pub(crate) fn text(text: &'static str) -> Body {
    Full::new(Bytes::from_static(text.as_bytes()))
        .map_err(|never| match never {})
        .boxed_unsync()
}

pub(crate) fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// The file's bytes, read as the client takes them.
pub(crate) fn file(file: tokio::fs::File) -> Body {
    let stream = ReaderStream::with_capacity(file, CHUNK).map_ok(Frame::data);
    StreamBody::new(stream).boxed_unsync()
}
