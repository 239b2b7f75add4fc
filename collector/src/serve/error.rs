use std::path::PathBuf;

/// Why the server could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{} is not a built viewer (it has no index.html); build it with `cargo xtask build-viewer`", .0.display())]
    NotAViewer(PathBuf),
    #[error("report {} does not exist or is not a file", .0.display())]
    NotAFile(PathBuf),
    #[error("{0:?} cannot name a served report: use letters, digits, '.', '-' and '_' only")]
    BadReportName(String),
    #[error("two reports are named {0:?}")]
    DuplicateReport(String),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen on 127.0.0.1:{port} (in use? pick another port): {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Start(#[source] std::io::Error),
}
