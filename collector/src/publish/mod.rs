//! Publishing reports to a directory or an S3-compatible store, as a static fleet site.
//!
//! The layout is `dockaudit_shared::fleet`'s: `reports/<host>/<started_at>-<run id>.json` (never
//! overwritten), `hosts/<host>.json` and `index.json` under the destination's prefix, and the
//! viewer's files at the root when `--viewer` uploads them.
//!
//! Reports are the only truth. Every report is verified before it is uploaded (digest; the SSH
//! signature when it carries one), uploaded before any history or index names it, and then:
//!
//! * a host's history is rebuilt from the listing of `reports/<host>/` (entries already in the
//!   history are reused, the others computed from their reports), written, and the listing read
//!   again: when it changed meanwhile (another publisher added a report), the history is rebuilt;
//! * the index is rebuilt from the listing of `hosts/` the same way.
//!
//! No conditional write is relied on (Garage 2.5 accepts `If-None-Match`/`If-Match` but does not
//! honour them). On a store whose listings show every completed write (S3, Garage, MinIO, a local
//! directory), the last writer of an object always re-lists after its write, so it sees every
//! report or history written before it: no entry is lost. Should a store show writes late, the
//! next publish repairs the history of its host and the index, and `dockaudit publish --reindex`
//! rebuilds all of them from the reports alone.

mod aws_config;
mod destination;
mod fleet;
mod store;
mod verify;
mod viewer;

use std::path::PathBuf;

use dockaudit_shared::fleet::{HostKey, Labels};
use dockaudit_shared::sshsig::AllowedSigners;

pub use self::destination::{Destination, S3Options};
pub use self::store::{PutNew, Store};
pub use self::viewer::{publish_viewer, ViewerFile};

/// Why publishing stopped. Messages name the report or object concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    #[error("destination {0}")]
    Destination(String),
    #[error("S3 credentials: {0}")]
    Credentials(String),
    #[error("{label}: {reason}")]
    Report { label: String, reason: String },
    #[error("{key} already holds a different report; published reports are never overwritten")]
    Exists { key: String },
    #[error("{key}: {reason}")]
    Store { key: String, reason: String },
    #[error("viewer: {0}")]
    Viewer(String),
}

/// A report to publish: its exact text (uploaded byte for byte, so its digest and signature keep
/// verifying) and a label for messages (usually the file's path).
#[derive(Debug, Clone)]
pub struct ReportText {
    pub label: String,
    pub text: String,
}

impl From<(PathBuf, String)> for ReportText {
    fn from((path, text): (PathBuf, String)) -> Self {
        ReportText {
            label: path.display().to_string(),
            text,
        }
    }
}

/// How reports are checked and labelled.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// `--allowed-signers`: a signed report must be signed by one of these keys.
    pub allowed_signers: Option<AllowedSigners>,
    /// `--require-signed`: refuse reports without a verified signature.
    pub require_signed: bool,
    /// Labels for the hosts of the published reports (an inventory's, or `--host-label`). Empty:
    /// a host keeps the labels it was last published with.
    pub labels: Labels,
}

/// What a publish did.
#[derive(Debug, Clone, Default)]
pub struct PublishSummary {
    pub reports: Vec<PublishedReport>,
    /// Hosts whose history was rebuilt.
    pub hosts: Vec<HostKey>,
    /// Hosts in the index written.
    pub index_hosts: usize,
    /// Things worth saying that did not stop the publish (skipped objects, a lagging listing).
    pub warnings: Vec<String>,
}

/// One report of a publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedReport {
    pub label: String,
    pub key: String,
    pub host: HostKey,
    pub digest: String,
    /// `Created`, or `Identical` when the same report was already published.
    pub outcome: PutNew,
    /// The signature's state (`verified`, `unsigned`, `not_allowed` when no allowed signers were given, …).
    pub signature: &'static str,
}

/// Publishes reports to an opened destination: verifies all of them first (nothing is uploaded
/// when one fails), uploads each under its key (an identical copy already there is fine, a
/// different one is refused), then rebuilds the histories of their hosts and the index.
pub async fn publish_reports(
    store: &Store,
    reports: &[ReportText],
    options: &PublishOptions,
) -> Result<PublishSummary, PublishError> {
    let mut summary = publish_without_index(store, reports, options).await?;
    update_index(store, &mut summary).await?;
    Ok(summary)
}

/// [`publish_reports`] without the index: the reports are uploaded and their hosts' histories
/// rebuilt. A fleet scan publishes each host's report so as soon as it is written, and the index
/// once at the end ([`update_index`]); until then the index lacks the new runs, never names a
/// report that is not there.
pub async fn publish_without_index(
    store: &Store,
    reports: &[ReportText],
    options: &PublishOptions,
) -> Result<PublishSummary, PublishError> {
    let now = verify::now_unix();
    let mut verified = Vec::with_capacity(reports.len());
    for r in reports {
        verified.push(verify::verify(
            &r.label,
            &r.text,
            options.allowed_signers.as_ref(),
            options.require_signed,
            now,
        )?);
    }
    let mut summary = PublishSummary::default();
    let mut hosts: Vec<fleet::Published> = Vec::new();
    for (input, v) in reports.iter().zip(verified) {
        let host = HostKey::for_name(dockaudit_shared::fleet::host_name(&v.report));
        let key = host.report_key(&v.report.run.started_at, &v.report.run.id);
        let outcome = store
            .put_new(
                &key,
                bytes::Bytes::from(input.text.clone().into_bytes()),
                "application/json",
            )
            .await?;
        summary.reports.push(PublishedReport {
            label: input.label.clone(),
            key: key.clone(),
            host: host.clone(),
            digest: v.digest.clone(),
            outcome,
            signature: v.signature.as_str(),
        });
        hosts.push(fleet::Published {
            host,
            key,
            report: v.report,
            digest: v.digest,
        });
    }
    let mut keys: Vec<HostKey> = hosts.iter().map(|p| p.host.clone()).collect();
    keys.sort();
    keys.dedup();
    for host in &keys {
        let mine: Vec<&fleet::Published> = hosts.iter().filter(|p| &p.host == host).collect();
        fleet::sync_history(store, host, &mine, &options.labels, &mut summary.warnings).await?;
    }
    summary.hosts = keys;
    Ok(summary)
}

/// Rebuilds `index.json` from the host histories in the store, noting in `summary` how many
/// hosts it lists.
pub async fn update_index(store: &Store, summary: &mut PublishSummary) -> Result<(), PublishError> {
    summary.index_hosts = fleet::sync_index(store, &mut summary.warnings).await?;
    Ok(())
}

/// Rebuilds every host history and the index from the reports under the destination
/// (`--reindex`). Labels, which reports do not carry, are kept from the existing histories.
pub async fn reindex(store: &Store) -> Result<PublishSummary, PublishError> {
    let mut summary = PublishSummary::default();
    summary.hosts = fleet::rebuild_all(store, &mut summary.warnings).await?;
    summary.index_hosts = fleet::sync_index(store, &mut summary.warnings).await?;
    Ok(summary)
}
