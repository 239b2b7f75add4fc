//! The search against fake oracles: a service needing some capabilities and tmpfs paths.

use std::collections::BTreeSet;

use super::*;
use crate::interpret::capabilities::DOCKER_DEFAULT;

/// Passes when the configuration has every needed capability and path; records every batch.
struct Needs {
    caps: BTreeSet<String>,
    tmpfs: BTreeSet<String>,
    batches: Vec<Vec<Probe>>,
}

impl Needs {
    fn new(caps: &[&str], tmpfs: &[&str]) -> Needs {
        Needs {
            caps: caps.iter().map(|c| c.to_string()).collect(),
            tmpfs: tmpfs.iter().map(|c| c.to_string()).collect(),
            batches: Vec::new(),
        }
    }

    fn trials(&self) -> usize {
        self.batches.iter().map(Vec::len).sum()
    }
}

impl Oracle for Needs {
    type Error = String;
    async fn run(&mut self, batch: Vec<Probe>) -> Result<Vec<bool>, String> {
        let out = batch
            .iter()
            .map(|p| self.caps.is_subset(&p.candidate.caps) && self.tmpfs.is_subset(&p.candidate.tmpfs))
            .collect();
        self.batches.push(batch);
        Ok(out)
    }
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|c| c.to_string()).collect()
}

fn problem(caps: &[&str], tmpfs: &[&str], extra_tmpfs: &[&str], max_trials: usize) -> Problem {
    let proposal = Candidate {
        caps: set(caps),
        tmpfs: set(tmpfs),
    };
    Problem {
        extra_caps: DOCKER_DEFAULT
            .iter()
            .filter(|c| !proposal.caps.contains(**c))
            .map(|c| c.to_string())
            .collect(),
        extra_tmpfs: extra_tmpfs.iter().map(|c| c.to_string()).collect(),
        proposal,
        max_trials,
    }
}

fn run<O: Oracle>(p: &Problem, oracle: &mut O) -> Result<Outcome, O::Error> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(minimise(p, oracle))
}

#[test]
fn finds_exactly_chown_and_setuid_within_the_bound() {
    let mut oracle = Needs::new(&["CHOWN", "SETUID"], &[]);
    let p = problem(&[], &["/run"], &["/tmp"], 40);
    let out = run(&p, &mut oracle).unwrap();
    let working = out.working.expect("a working set");
    assert_eq!(working.caps, set(&["CHOWN", "SETUID"]));
    assert_eq!(working.tmpfs, set(&["/run"]));
    assert!(out.minimal && !out.bound_reached);
    assert!(out.trials <= 40, "{} trials", out.trials);
    assert_eq!(out.trials, oracle.trials(), "no configuration runs twice");
    // The proof: one failing trial per capability, each without exactly that one.
    assert_eq!(out.proof.len(), 2);
    for r in &out.proof {
        assert!(!r.passed);
        let Flag::Cap(c) = &r.without else { panic!("{r:?}") };
        assert!(!r.candidate.caps.contains(c) && r.candidate.caps.len() == 1);
    }
    // Every configuration the oracle saw is distinct.
    let all: Vec<&Candidate> = oracle.batches.iter().flatten().map(|p| &p.candidate).collect();
    let distinct: BTreeSet<&Candidate> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len());
}

#[test]
fn a_passing_proposal_is_only_proven() {
    let mut oracle = Needs::new(&["CHOWN"], &["/run"]);
    let p = problem(&["CHOWN"], &["/run"], &["/tmp"], 40);
    let out = run(&p, &mut oracle).unwrap();
    assert_eq!(out.working.unwrap(), p.proposal);
    assert!(out.minimal);
    // The proposal, then the proposal without CHOWN; proposed tmpfs paths are not questioned.
    assert_eq!(out.trials, 2);
    assert_eq!(oracle.batches[0][0].purpose, Purpose::Proposal);
    assert_eq!(
        oracle.batches[1][0].purpose,
        Purpose::Without(Flag::Cap("CHOWN".into()))
    );
}

#[test]
fn an_unneeded_proposed_capability_is_dropped() {
    let mut oracle = Needs::new(&["CHOWN"], &[]);
    let out = run(&problem(&["CHOWN", "KILL"], &[], &[], 40), &mut oracle).unwrap();
    assert_eq!(out.working.unwrap().caps, set(&["CHOWN"]));
    assert!(out.minimal);
    assert_eq!(out.proof.len(), 1);
}

#[test]
fn tmpfs_paths_are_searched_after_capabilities() {
    let mut oracle = Needs::new(&["SETGID"], &["/run", "/var/cache"]);
    let p = problem(&[], &["/run"], &["/tmp", "/var/tmp", "/var/cache"], 40);
    let out = run(&p, &mut oracle).unwrap();
    let working = out.working.unwrap();
    assert_eq!(working.caps, set(&["SETGID"]));
    assert_eq!(working.tmpfs, set(&["/run", "/var/cache"]));
    assert!(out.minimal);
    // Removals: SETGID and the added /var/cache, not the proposed /run.
    let removed: BTreeSet<Flag> = out.proof.iter().map(|r| r.without.clone()).collect();
    assert_eq!(
        removed,
        [Flag::Cap("SETGID".into()), Flag::Tmpfs("/var/cache".into())].into()
    );
    let probes: Vec<&Probe> = oracle.batches.iter().flatten().collect();
    let first_tmpfs = probes
        .iter()
        .position(|p| p.candidate.tmpfs.len() < 4 && p.purpose == Purpose::Search)
        .unwrap();
    let last_cap_change = probes
        .iter()
        .rposition(|p| p.candidate.tmpfs.len() == 4 && p.purpose == Purpose::Search)
        .unwrap();
    assert!(last_cap_change < first_tmpfs);
}

#[test]
fn nothing_within_the_default_set_is_reported_as_not_found() {
    let mut oracle = Needs::new(&["NET_ADMIN"], &[]);
    let out = run(&problem(&[], &[], &["/tmp"], 40), &mut oracle).unwrap();
    assert_eq!(out.working, None);
    assert!(!out.minimal && !out.bound_reached);
    // The proposal, all default capabilities, and those plus every tmpfs path.
    assert_eq!(out.trials, 3);
}

#[test]
fn the_bound_stops_the_search_with_the_best_set_so_far() {
    let mut oracle = Needs::new(&["CHOWN", "SETUID"], &[]);
    let out = run(&problem(&[], &[], &[], 4), &mut oracle).unwrap();
    assert!(out.bound_reached && !out.minimal);
    assert_eq!(out.trials, 4);
    assert_eq!(oracle.trials(), 4);
    let working = out.working.expect("the widest set worked");
    assert!(working.caps.is_superset(&set(&["CHOWN", "SETUID"])));
}

#[test]
fn the_proof_holds_even_when_the_oracle_is_not_monotone() {
    // Works with exactly {CHOWN} or with everything, nothing in between: ddmin's halves all fail,
    // so it ends on a larger set, and the proof then drops what is not needed one at a time.
    struct Odd(usize);
    impl Oracle for Odd {
        type Error = String;
        async fn run(&mut self, batch: Vec<Probe>) -> Result<Vec<bool>, String> {
            self.0 += batch.len();
            Ok(batch
                .iter()
                .map(|p| p.candidate.caps == set(&["CHOWN"]) || p.candidate.caps.len() == DOCKER_DEFAULT.len())
                .collect())
        }
    }
    let mut oracle = Odd(0);
    let out = run(&problem(&[], &[], &[], 200), &mut oracle).unwrap();
    let working = out.working.unwrap();
    assert!(out.minimal);
    // Whatever it ended on, every removal was tried and failed.
    assert_eq!(out.proof.len(), working.caps.len());
    assert!(out.proof.iter().all(|r| !r.passed));
}

#[test]
fn oracle_errors_stop_the_search() {
    struct Broken;
    impl Oracle for Broken {
        type Error = String;
        async fn run(&mut self, _: Vec<Probe>) -> Result<Vec<bool>, String> {
            Err("daemon gone".into())
        }
    }
    assert_eq!(
        run(&problem(&[], &[], &[], 40), &mut Broken).unwrap_err(),
        "daemon gone"
    );
}

#[test]
fn split_makes_near_equal_non_empty_parts() {
    let items: Vec<String> = (0..7).map(|i| i.to_string()).collect();
    let parts = split(&items, 3);
    assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 2, 3]);
    assert_eq!(parts.concat(), items);
    assert_eq!(split(&items, 7).len(), 7);
}
