//! `dockaudit publish`: reports, `--reindex` and `--viewer` to a directory or an S3-compatible
//! store; the work is `crate::publish`'s, this module reads the arguments and prints.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use dockaudit_shared::fleet::Labels;

use super::verify::read_allowed_signers;
use super::warn;
use crate::cli::{PublishArgs, StoreArgs};
use crate::output::style::clean;
use crate::publish::{self, Destination, PublishOptions, PublishSummary, PutNew, ReportText, S3Options, Store};

pub fn run(args: &PublishArgs) -> Result<ExitCode> {
    if args.reports.is_empty() && !args.reindex && !args.viewer {
        bail!("nothing to publish: name reports, or pass --reindex or --viewer");
    }
    let destination = Destination::parse(&args.to)?;
    let labels = parse_labels(&args.host_labels)?;
    let options = PublishOptions {
        allowed_signers: args.allowed_signers.as_deref().map(read_allowed_signers).transpose()?,
        require_signed: args.require_signed,
        labels,
    };
    let viewer_dir = if args.viewer {
        Some(super::serve::viewer_dir(args.viewer_dir.as_deref())?)
    } else {
        None
    };
    let reports = args
        .reports
        .iter()
        .map(|p| {
            // Bounded by the report size limit (`DOCKAUDIT_MAX_INPUT_MB`), as every input is.
            super::read_input(p, dockaudit_shared::limits::InputKind::Report).map(|text| ReportText {
                label: p.display().to_string(),
                text,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    runtime()?.block_on(async {
        let store = destination.open(&s3_options(&args.store))?;
        if let Some(dir) = &viewer_dir {
            let files = publish::publish_viewer(&store, dir).await?;
            for f in &files {
                println!("viewer   {} ({}, {} bytes)", clean(&f.key), f.content_type, f.bytes);
            }
        }
        if !reports.is_empty() {
            let summary = publish::publish_reports(&store, &reports, &options).await?;
            print_summary(store.shown(), &summary);
        }
        if args.reindex {
            let summary = publish::reindex(&store).await?;
            print_summary(store.shown(), &summary);
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `dockaudit scan --publish DEST`: the report just written, published with the scan's store flags.
pub fn publish_scan(dest: &str, store: &StoreArgs, label: &str, json: &str) -> Result<()> {
    let destination = Destination::parse(dest)?;
    let report = ReportText {
        label: label.to_string(),
        text: json.to_string(),
    };
    runtime()?.block_on(async {
        let store = destination.open(&s3_options(store))?;
        let summary = publish::publish_reports(&store, &[report], &PublishOptions::default()).await?;
        for w in &summary.warnings {
            warn(w);
        }
        for r in &summary.reports {
            eprintln!("dockaudit: published {}/{}", clean(store.shown()), clean(&r.key));
        }
        Ok(())
    })
}

/// The destination of a fleet scan's `--publish`, opened once before any host is audited: each
/// host's report is uploaded (and that host's history rebuilt) as soon as it is written, with the
/// host's inventory labels, and the index once at the end.
pub struct FleetPublisher {
    store: Store,
}

impl FleetPublisher {
    /// Parses and opens DEST (a directory or `s3://bucket/prefix`) with the scan's store flags.
    pub fn open(dest: &str, store: &StoreArgs) -> Result<FleetPublisher> {
        let destination = Destination::parse(dest)?;
        Ok(FleetPublisher {
            store: destination.open(&s3_options(store))?,
        })
    }

    /// Publishes one host's sealed report; returns its key in the store, or why it was not
    /// published (one line).
    pub async fn host(&self, label: &str, json: &str, labels: &Labels) -> Result<String, String> {
        let report = ReportText {
            label: label.to_string(),
            text: json.to_string(),
        };
        let options = PublishOptions {
            labels: labels.clone(),
            ..PublishOptions::default()
        };
        let summary = publish::publish_without_index(&self.store, &[report], &options)
            .await
            .map_err(|e| e.to_string())?;
        for w in &summary.warnings {
            warn(w);
        }
        summary
            .reports
            .first()
            .map(|r| format!("{}/{}", self.store.shown(), r.key))
            .ok_or_else(|| "nothing was published".to_string())
    }

    /// Rebuilds the index once every host is done; returns how many hosts it lists.
    pub async fn finish(&self) -> Result<usize> {
        let mut summary = PublishSummary::default();
        publish::update_index(&self.store, &mut summary).await?;
        for w in &summary.warnings {
            warn(w);
        }
        Ok(summary.index_hosts)
    }

    /// The destination as given (for messages).
    pub fn shown(&self) -> &str {
        self.store.shown()
    }
}

/// The S3 settings of the flags.
pub fn s3_options(args: &StoreArgs) -> S3Options {
    S3Options {
        endpoint: args.endpoint.clone().filter(|e| !e.trim().is_empty()),
        region: args.region.clone().filter(|r| !r.trim().is_empty()),
        allow_http: args.allow_http,
        virtual_hosted_style: args.virtual_hosted_style,
    }
}

fn print_summary(dest: &str, summary: &PublishSummary) {
    for w in &summary.warnings {
        warn(w);
    }
    for r in &summary.reports {
        let what = match r.outcome {
            PutNew::Created => "uploaded",
            PutNew::Identical => "present ",
        };
        println!(
            "{what} {} → {}/{} ({}, signature {})",
            clean(&r.label),
            clean(dest),
            clean(&r.key),
            clean(&r.digest),
            r.signature
        );
    }
    println!(
        "{} host histor{} rebuilt; index.json lists {} host(s)",
        summary.hosts.len(),
        if summary.hosts.len() == 1 { "y" } else { "ies" },
        summary.index_hosts
    );
}

/// `KEY=VALUE` labels; keys are short and printable, values printable.
fn parse_labels(raw: &[String]) -> Result<Labels> {
    let mut labels = Labels::new();
    for item in raw {
        let Some((k, v)) = item.split_once('=') else {
            bail!("--host-label {item:?} is not KEY=VALUE");
        };
        let k = k.trim();
        let key_ok = !k.is_empty()
            && k.len() <= 64
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
        if !key_ok || v.chars().any(char::is_control) || v.len() > 256 {
            bail!("--host-label {item:?}: the key must be 1-64 letters, digits, '.', '_', '-' or '/', the value at most 256 printable characters");
        }
        labels.insert(k.to_string(), v.trim().to_string());
    }
    Ok(labels)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_parse_or_say_why_not() {
        let l = parse_labels(&["env=prod".into(), "team = payments ".into()]).unwrap();
        assert_eq!(l["env"], "prod");
        assert_eq!(l["team"], "payments");
        for bad in ["noequals", "=v", "a b=c", "k=\u{1b}[31m"] {
            assert!(parse_labels(&[bad.to_string()]).is_err(), "{bad}");
        }
    }
}
