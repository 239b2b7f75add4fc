//! `dockaudit harden --trial CONTAINER`: the proposal for one container, proven in twins
//! ([`crate::trial`]), the only dockaudit command that changes the daemon.
//!
//! Exit codes: 0 when the proposal, or the configuration the search found, works; 1 when no
//! working configuration was found within the bound; 2 when the trial could not be run.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use dockaudit_shared::hardening::Proposal;
use serde::Serialize;

use super::harden::{connect_options, load_facts, proposals};
use super::{Output, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::cli::{HardenArgs, HardenFormat};
use crate::facts;
use crate::output::style::clean;
use crate::trial::cleanup::interrupted;
use crate::trial::run::{ProofLine, TrialRecord};
use crate::trial::search::Purpose;
use crate::trial::{run_trial, Flags, TrialError, TrialReport, TrialRequest, Verdict};

/// What `--format json` prints: the proposal and what its trial showed.
#[derive(Serialize)]
struct Proven<'a> {
    proposal: &'a Proposal,
    trial: &'a TrialReport,
}

pub fn run(args: &HardenArgs) -> Result<ExitCode> {
    let t = &args.trial;
    let [container] = args.containers.as_slice() else {
        bail!("--trial takes exactly one CONTAINER");
    };
    if !matches!(args.format, HardenFormat::Text | HardenFormat::Json) {
        bail!("--trial prints text or JSON; use --format text or --format json");
    }
    if !(t.settle.is_finite() && (0.0..=600.0).contains(&t.settle)) {
        bail!("--settle must be between 0 and 600 seconds");
    }
    if let Some(root) = &args.host_root {
        if !root.is_dir() {
            bail!("--host-root {} is not a directory", root.display());
        }
    }
    // The proposal comes from the same read-only observation as `dockaudit harden`.
    let facts = load_facts(&args.daemon, args.host_root.as_deref(), None)?;
    let hardening = proposals(&facts, std::slice::from_ref(container))?;
    let Some(proposal) = hardening.proposals.first() else {
        bail!("no proposal could be made for {}", clean(container));
    };
    let request = TrialRequest {
        container: proposal.container.id.clone(),
        proposal: flags_of(proposal)?,
        extra_tmpfs: Vec::new(),
        network: t.trial_network.clone().filter(|n| !n.trim().is_empty()),
        settle: Duration::from_secs_f64(t.settle),
        max_trials: usize::try_from(t.max_trials).unwrap_or(usize::MAX),
        parallel: usize::try_from(t.trial_parallel).unwrap_or(1),
        proc_root: args
            .host_root
            .as_ref()
            .map_or_else(|| PathBuf::from("/proc"), |r| r.join("proc")),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let connect = connect_options(&args.daemon)?;
    let result = runtime.block_on(async {
        let docker = facts::connect(&connect).await?.docker;
        anyhow::Ok(run_trial(&docker, &request, interrupted()).await)
    })?;
    let report = match result {
        Ok(report) => report,
        Err(e @ TrialError::Interrupted { .. }) => {
            eprintln!("dockaudit: {}", clean(&e.to_string()));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
        Err(e) => return Err(e.into()),
    };
    let body = match args.format {
        HardenFormat::Json => {
            serde_json::to_string_pretty(&Proven {
                proposal,
                trial: &report,
            })? + "\n"
        }
        _ => render(&report),
    };
    Output::to(args.output.as_deref()).write(&body)?;
    Ok(ExitCode::from(if report.working.is_some() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }))
}

/// The flags a proposal stands for. Paths it says need a volume are writable in the hardened
/// container, so the twin gets them as tmpfs too (a trial tests privileges, not data).
pub fn flags_of(p: &Proposal) -> Result<Flags> {
    let limit = |v: Option<u64>, what: &str| -> Result<Option<i64>> {
        v.map(|v| i64::try_from(v).with_context(|| format!("the proposed {what} {v} is out of range")))
            .transpose()
    };
    if !p.capabilities.drop_all {
        bail!("the proposal keeps the current capabilities (no --cap-drop ALL): there is nothing to prove");
    }
    Ok(Flags {
        read_only: p.read_only.enabled,
        tmpfs: p
            .tmpfs_paths()
            .into_iter()
            .chain(p.volume_paths())
            .map(str::to_string)
            .collect(),
        cap_add: p.cap_add().into_iter().map(str::to_string).collect(),
        no_new_privileges: p.no_new_privileges.enabled,
        user: p.user.user.clone(),
        memory: limit(p.memory.value, "memory limit")?,
        pids_limit: limit(p.pids_limit.value, "pids limit")?,
    })
}

/// The trial as text: how twins were made and judged, every trial, the working configuration
/// and the minimality proof. Every string from the host is cleaned.
pub fn render(r: &TrialReport) -> String {
    let mut out = String::new();
    let short: String = r.container_id.chars().take(12).collect();
    let _ = writeln!(out, "Trial of {} ({short})", clean(&r.container));
    let volumes = if r.volumes_as_tmpfs.is_empty() {
        String::new()
    } else {
        format!(", its volumes as empty tmpfs ({})", list(&r.volumes_as_tmpfs))
    };
    let _ = writeln!(
        out,
        "  twins: same image, command, user and environment; network {}, no published ports{volumes}",
        clean(&r.network)
    );
    let ports = if r.original_ports.is_empty() {
        String::new()
    } else {
        format!(", listening on {}", join(r.original_ports.iter().map(u16::to_string)))
    };
    let _ = writeln!(
        out,
        "  passes when, after {} s: running, no restarts, healthy if it has a health check{ports}",
        r.settle_secs
    );
    if r.swept_stale > 0 {
        let _ = writeln!(
            out,
            "  removed {} trial container(s) left by an earlier run",
            r.swept_stale
        );
    }
    let _ = writeln!(out, "\nProposal: {}", r.proposal.to_args().join(" "));
    let _ = writeln!(out, "\nTrials:");
    for t in &r.trials {
        let _ = writeln!(out, "{}", trial_line(t));
    }
    match &r.working {
        Some(w) => {
            let what = match r.verdict {
                Verdict::ProposalWorks => "the proposal as it is".to_string(),
                _ => changes(r),
            };
            let _ = writeln!(out, "\nWorking configuration ({what}):\n  {}", w.to_args().join(" "));
            if r.minimal {
                let _ = writeln!(out, "\nMinimal: removing any one of these makes a trial fail");
                for p in &r.proof {
                    let _ = writeln!(out, "{}", proof_line(p));
                }
                if r.proof.is_empty() {
                    let _ = writeln!(out, "  (nothing was added: no capability to remove)");
                }
            } else {
                let _ = writeln!(
                    out,
                    "\nNot shown minimal: the bound of {} trials stopped the search (raise --max-trials)",
                    r.max_trials
                );
            }
        }
        None if r.bound_reached => {
            let _ = writeln!(
                out,
                "\nNo working configuration found within {} trials (raise --max-trials).",
                r.max_trials
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nNo working configuration found: the twin fails even with every default capability and every tmpfs candidate (see the evidence above; it may need a capability outside Docker's default set, its data, or its network)."
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} trial(s) run; every trial container was removed.",
        r.trials.len()
    );
    out
}

fn trial_line(t: &TrialRecord) -> String {
    let purpose = match &t.purpose {
        Purpose::Proposal => "proposal".to_string(),
        Purpose::AllDefaultCaps => "with all default capabilities".to_string(),
        Purpose::AllTmpfs => "…and all tmpfs candidates".to_string(),
        Purpose::Search => "search".to_string(),
        Purpose::Without(f) => format!("without {}", clean(&f.to_string())),
    };
    let caps = if t.cap_add.is_empty() {
        "none".to_string()
    } else {
        list(&t.cap_add)
    };
    format!(
        "  {:>3}. {purpose}: cap-add {caps}; tmpfs {} → {}: {}",
        t.number,
        if t.tmpfs.is_empty() {
            "none".to_string()
        } else {
            list(&t.tmpfs)
        },
        if t.passed { "passed" } else { "failed" },
        clean(&t.evidence)
    )
}

fn proof_line(p: &ProofLine) -> String {
    format!(
        "  without {}: {} (trial {})",
        clean(&p.without.to_string()),
        clean(&p.evidence),
        p.trial
    )
}

/// `proposal + CHOWN, tmpfs /var/cache; − KILL`.
fn changes(r: &TrialReport) -> String {
    let mut parts = Vec::new();
    if !r.added.is_empty() {
        parts.push(format!(
            "proposal + {}",
            join(r.added.iter().map(|f| clean(&f.to_string())))
        ));
    }
    if !r.dropped.is_empty() {
        parts.push(format!(
            "proposal − {}",
            join(r.dropped.iter().map(|f| clean(&f.to_string())))
        ));
    }
    parts.join("; ")
}

fn list(items: &BTreeSet<String>) -> String {
    join(items.iter().map(|s| clean(s)))
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trial::search::Flag;
    use dockaudit_shared::hardening::{Capabilities, CapabilityGrant, Limit, PathChoice, RunSpec, UserChoice};
    use dockaudit_shared::report::{Target, TargetKind};

    fn path(p: &str) -> PathChoice {
        PathChoice {
            path: p.into(),
            reason: String::new(),
        }
    }

    #[test]
    fn a_proposal_maps_to_flags_with_its_data_paths_as_tmpfs() {
        let flag = |enabled| dockaudit_shared::hardening::Flag {
            enabled,
            reason: String::new(),
        };
        let mut p = Proposal {
            container: Target::new(TargetKind::Container, "abc", "web"),
            run: RunSpec::default(),
            compose: None,
            read_only: flag(true),
            tmpfs: vec![path("/run")],
            volumes: vec![path("/data")],
            capabilities: Capabilities {
                drop_all: true,
                add: vec![CapabilityGrant {
                    name: "CHOWN".into(),
                    reason: String::new(),
                }],
                ..Default::default()
            },
            no_new_privileges: flag(true),
            user: UserChoice {
                user: Some("1000:1000".into()),
                reason: String::new(),
            },
            memory: Limit {
                value: Some(64 << 20),
                observed: None,
                reason: String::new(),
            },
            pids_limit: Limit::default(),
            removals: Vec::new(),
            gaps: Vec::new(),
        };
        let flags = flags_of(&p).unwrap();
        assert_eq!(
            flags.to_args().join(" "),
            "--read-only --tmpfs /data --tmpfs /run --cap-drop ALL --cap-add CHOWN --security-opt no-new-privileges --user 1000:1000 --memory 64m"
        );
        p.capabilities.drop_all = false;
        assert!(flags_of(&p).is_err());
    }

    #[test]
    fn text_shows_trials_working_set_and_proof_with_host_strings_cleaned() {
        let working = Flags {
            cap_add: BTreeSet::from(["CHOWN".to_string()]),
            ..Default::default()
        };
        let report = TrialReport {
            container: "web\x1b[31m".into(),
            container_id: "0123456789abcdef".into(),
            run_id: "r".into(),
            network: "none".into(),
            settle_secs: 2.0,
            original_ports: BTreeSet::from([80]),
            volumes_as_tmpfs: BTreeSet::new(),
            proposal: Flags::default(),
            verdict: Verdict::Adjusted,
            working: Some(working),
            added: vec![Flag::Cap("CHOWN".into())],
            dropped: Vec::new(),
            minimal: true,
            proof: vec![ProofLine {
                without: Flag::Cap("CHOWN".into()),
                trial: 1,
                passed: false,
                evidence: "exited 1 after 0.4 s".into(),
            }],
            bound_reached: false,
            max_trials: 40,
            trials: vec![TrialRecord {
                number: 1,
                purpose: Purpose::Proposal,
                cap_add: BTreeSet::new(),
                tmpfs: BTreeSet::new(),
                passed: false,
                evidence: "exited 1 after 0.4 s".into(),
            }],
            swept_stale: 0,
        };
        let text = render(&report);
        assert!(!text.contains('\x1b'), "{text}");
        assert!(text.contains("Working configuration (proposal + CHOWN):\n  --cap-drop ALL --cap-add CHOWN"));
        assert!(
            text.contains("  without CHOWN: exited 1 after 0.4 s (trial 1)"),
            "{text}"
        );
        assert!(text.contains("1. proposal: cap-add none; tmpfs none → failed: exited 1 after 0.4 s"));
    }
}
