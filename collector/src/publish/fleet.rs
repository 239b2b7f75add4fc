//! Rebuilding host histories and the index from what the store lists, until a listing taken after
//! the write shows nothing new (see the module docs of `publish` for why that loses no entry).

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;
use dockaudit_shared::fleet::{
    self, host_name, key::host_of_history_key, key::host_of_report_key, FleetIndex, HostHistory, HostKey, HostRun,
    Labels, HOSTS_DIR, INDEX_KEY, REPORTS_DIR,
};
use dockaudit_shared::report::Report;

use super::store::{Listed, Store};
use super::{verify, PublishError};

/// Rebuilds after a write at most this many times; past it the next publish or `--reindex`
/// catches up (only a store whose listings lag behind its writes gets there).
const MAX_ROUNDS: usize = 5;

const JSON: &str = "application/json";

/// A report uploaded by this publish.
pub struct Published {
    pub host: HostKey,
    pub key: String,
    pub report: Report,
    pub digest: String,
}

/// Rebuilds `hosts/<host>.json` from the listing of `reports/<host>/`.
pub async fn sync_history(
    store: &Store,
    host: &HostKey,
    published: &[&Published],
    labels: &Labels,
    warnings: &mut Vec<String>,
) -> Result<(), PublishError> {
    let mut listing = report_keys(store, host).await?;
    for _ in 0..MAX_ROUNDS {
        let existing = read_history(store, host, warnings).await?;
        let mut runs: Vec<HostRun> = Vec::new();
        let mut name = published
            .last()
            .and_then(|p| host_name(&p.report).map(str::to_string))
            .or_else(|| existing.as_ref().and_then(|h| h.host.clone()));
        for key in &listing {
            if let Some(p) = published.iter().find(|p| &p.key == key) {
                runs.push(HostRun::from_report(&p.report, key.clone(), p.digest.clone()));
            } else if let Some(run) = existing
                .as_ref()
                .and_then(|h| h.runs.iter().find(|r| &r.report_key == key))
            {
                runs.push(run.clone());
            } else if let Some((run, hostname)) = run_from_store(store, key, warnings).await? {
                name = name.or(hostname);
                runs.push(run);
            }
        }
        let labels = if labels.is_empty() {
            existing.as_ref().map(|h| h.labels.clone()).unwrap_or_default()
        } else {
            labels.clone()
        };
        let history = HostHistory::from_runs(host.clone(), name, labels, runs);
        if existing.as_ref() != Some(&history) {
            store.put(&host.history_key(), to_json(&history)?, JSON).await?;
        }
        let again = report_keys(store, host).await?;
        if again == listing {
            return Ok(());
        }
        listing = again;
    }
    warnings.push(format!(
        "the reports of host {host} kept changing while its history was rebuilt; the next publish or `dockaudit publish --reindex` completes it"
    ));
    Ok(())
}

/// Rebuilds `index.json` from the listing of `hosts/`; returns how many hosts it holds.
pub async fn sync_index(store: &Store, warnings: &mut Vec<String>) -> Result<usize, PublishError> {
    let mut listing = history_listing(store).await?;
    for _ in 0..MAX_ROUNDS {
        let mut histories = Vec::new();
        for item in &listing {
            let Some(host) = host_of_history_key(&item.key) else {
                continue;
            };
            if let Some(h) = read_history(store, &host, warnings).await? {
                histories.push(h);
            }
        }
        let index = FleetIndex::from_histories(&histories, crate::clock::now_rfc3339());
        let unchanged = match store.get(INDEX_KEY).await? {
            Some((bytes, _)) => std::str::from_utf8(&bytes)
                .ok()
                .and_then(|t| fleet::parse_index(t).ok())
                .is_some_and(|old| old.hosts == index.hosts && old.format_version == index.format_version),
            None => false,
        };
        if !unchanged {
            store.put(INDEX_KEY, to_json(&index)?, JSON).await?;
        }
        let again = history_listing(store).await?;
        if again == listing {
            return Ok(index.hosts.len());
        }
        listing = again;
    }
    warnings.push(
        "the host histories kept changing while the index was rebuilt; the next publish or `dockaudit publish --reindex` completes it".into(),
    );
    Ok(listing.len())
}

/// `--reindex`: every history rebuilt from the reports alone; histories of hosts without reports
/// are removed. Returns the hosts rebuilt.
pub async fn rebuild_all(store: &Store, warnings: &mut Vec<String>) -> Result<Vec<HostKey>, PublishError> {
    let mut by_host: BTreeMap<HostKey, Vec<String>> = BTreeMap::new();
    for item in store.list(&format!("{REPORTS_DIR}/")).await? {
        match host_of_report_key(&item.key) {
            Some(host) => by_host.entry(host).or_default().push(item.key),
            None => warnings.push(format!("{}: not a report key of this layout; skipped", item.key)),
        }
    }
    for (host, keys) in &by_host {
        let existing = read_history(store, host, warnings).await?;
        let mut runs = Vec::new();
        let mut newest: Option<(String, Option<String>)> = None;
        for key in keys {
            if let Some((run, hostname)) = run_from_store(store, key, warnings).await? {
                if newest.as_ref().is_none_or(|(at, _)| run.started_at >= *at) {
                    newest = Some((run.started_at.clone(), hostname));
                }
                runs.push(run);
            }
        }
        let labels = existing.map(|h| h.labels).unwrap_or_default();
        let history = HostHistory::from_runs(host.clone(), newest.and_then(|(_, n)| n), labels, runs);
        store.put(&host.history_key(), to_json(&history)?, JSON).await?;
    }
    let hosts: BTreeSet<&HostKey> = by_host.keys().collect();
    for item in store.list(&format!("{HOSTS_DIR}/")).await? {
        if let Some(host) = host_of_history_key(&item.key) {
            if !hosts.contains(&host) {
                store.delete(&item.key).await?;
                warnings.push(format!("{}: no reports of this host remain; history removed", item.key));
            }
        }
    }
    Ok(by_host.into_keys().collect())
}

/// The report keys under `reports/<host>/`, sorted.
async fn report_keys(store: &Store, host: &HostKey) -> Result<Vec<String>, PublishError> {
    Ok(store
        .list(&host.reports_dir())
        .await?
        .into_iter()
        .filter(|l| host_of_report_key(&l.key).as_ref() == Some(host))
        .map(|l| l.key)
        .collect())
}

/// The listing of `hosts/` with entity tags: a changed history changes its tag.
async fn history_listing(store: &Store) -> Result<Vec<Listed>, PublishError> {
    Ok(store
        .list(&format!("{HOSTS_DIR}/"))
        .await?
        .into_iter()
        .filter(|l| host_of_history_key(&l.key).is_some())
        .collect())
}

/// A host's history, or `None` when there is none or it cannot be read (then it is rebuilt).
async fn read_history(
    store: &Store,
    host: &HostKey,
    warnings: &mut Vec<String>,
) -> Result<Option<HostHistory>, PublishError> {
    let key = host.history_key();
    let Some((bytes, _)) = store.get(&key).await? else {
        return Ok(None);
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|t| fleet::parse_history(t).map_err(|e| e.to_string()));
    match parsed {
        Ok(h) if &h.key == host => Ok(Some(h)),
        Ok(_) => {
            warnings.push(format!("{key}: names another host; rebuilt from the reports"));
            Ok(None)
        }
        Err(e) => {
            warnings.push(format!("{key}: {e}; rebuilt from the reports"));
            Ok(None)
        }
    }
}

/// The history entry of a report found in the store (and the host name it gives), or `None`
/// with a warning when it does not verify: a rebuild never lists a changed report.
async fn run_from_store(
    store: &Store,
    key: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<(HostRun, Option<String>)>, PublishError> {
    let Some((bytes, _)) = store.get(key).await? else {
        return Ok(None);
    };
    let label = format!("{}/{key}", store.shown());
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        warnings.push(format!("{label}: not UTF-8 text; left out of the history"));
        return Ok(None);
    };
    match verify::verify(&label, &text, None, false, verify::now_unix()) {
        Ok(v) => {
            let expected =
                HostKey::for_name(host_name(&v.report)).report_key(&v.report.run.started_at, &v.report.run.id);
            if expected != key {
                warnings.push(format!(
                    "{label}: the report belongs at {expected}, not here; left out of the history"
                ));
                return Ok(None);
            }
            let name = host_name(&v.report).map(str::to_string);
            Ok(Some((HostRun::from_report(&v.report, key.to_string(), v.digest), name)))
        }
        Err(e) => {
            warnings.push(format!("{e}; left out of the history"));
            Ok(None)
        }
    }
}

/// Compact JSON: an index of a thousand hosts stays a few megabytes.
fn to_json<T: serde::Serialize>(value: &T) -> Result<Bytes, PublishError> {
    let mut text = serde_json::to_string(value).map_err(|e| PublishError::Store {
        key: String::new(),
        reason: e.to_string(),
    })?;
    text.push('\n');
    Ok(Bytes::from(text.into_bytes()))
}
