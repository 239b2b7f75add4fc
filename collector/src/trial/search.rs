//! Finding the smallest configuration that works, given an oracle that runs trials.
//!
//! The search knows nothing of Docker: an [`Oracle`] runs a batch of [`Probe`]s (possibly in
//! parallel) and says which passed. Order of work:
//!
//! 1. the proposal as it is;
//! 2. if it fails: the proposal plus every capability of Docker's default set, then also plus
//!    every candidate tmpfs path; if that still fails, there is nothing to minimise;
//! 3. delta debugging (Zeller's *ddmin*) over the added capabilities, then over the added tmpfs
//!    paths, keeping the other fixed;
//! 4. the proof: for the final set, one trial per capability (and per tmpfs path the search added)
//!    without it. Each must fail; one that passes is dropped and the proof starts over.
//!
//! **Assumption (monotonicity):** granting more capabilities or more writable tmpfs paths never
//! turns a working service into a failing one. Delta debugging relies on it to discard halves;
//! where it does not hold (a service that refuses to start *with* a capability), the search may
//! miss a smaller set, but step 4 does not rely on it: the result is *1-minimal* (removing any one
//! flag fails, shown by a trial), not necessarily the globally smallest set.
//!
//! Every configuration is run at most once per search (results are remembered), and no more than
//! `max_trials` trials run in all; when the bound stops the search, the best working
//! configuration found so far is returned marked as not shown minimal.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use serde::Serialize;

/// The part of a configuration the search varies: `--cap-add` and `--tmpfs` paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Candidate {
    pub caps: BTreeSet<String>,
    pub tmpfs: BTreeSet<String>,
}

/// One flag the search may add or remove.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Flag {
    Cap(String),
    Tmpfs(String),
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Flag::Cap(c) => f.write_str(c),
            Flag::Tmpfs(p) => write!(f, "tmpfs {p}"),
        }
    }
}

/// Why a configuration is tried (for the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", content = "flag", rename_all = "snake_case")]
pub enum Purpose {
    /// The proposal unchanged.
    Proposal,
    /// The proposal plus all of Docker's default capabilities.
    AllDefaultCaps,
    /// …and every candidate tmpfs path.
    AllTmpfs,
    /// A subset tried by delta debugging.
    Search,
    /// The final configuration without one flag (the minimality proof).
    Without(Flag),
}

/// A configuration to run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub candidate: Candidate,
    pub purpose: Purpose,
}

/// Runs trials. `run` returns one pass/fail per probe, in order; it may run them in parallel.
pub trait Oracle {
    type Error;
    fn run(&mut self, batch: Vec<Probe>) -> impl Future<Output = Result<Vec<bool>, Self::Error>>;
}

/// What is searched: the proposal and what may be added to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub proposal: Candidate,
    /// Capabilities the search may add (Docker's default set, less the proposal's).
    pub extra_caps: Vec<String>,
    /// Tmpfs paths the search may add.
    pub extra_tmpfs: Vec<String>,
    /// Most trials to run in all.
    pub max_trials: usize,
}

/// One removal of the minimality proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub without: Flag,
    pub candidate: Candidate,
    /// Whether the trial without the flag passed (a proof needs every one to fail).
    pub passed: bool,
}

/// The search's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The working configuration found, if any.
    pub working: Option<Candidate>,
    /// Removal trials of the final configuration; all failed when `minimal`.
    pub proof: Vec<Removal>,
    /// Every flag of `working` was shown necessary by a failing trial without it.
    pub minimal: bool,
    /// The trial bound stopped the search before it finished.
    pub bound_reached: bool,
    /// Trials run.
    pub trials: usize,
}

/// Why a step stopped early.
enum Halt<E> {
    Bound,
    Oracle(E),
}

/// Runs the search against `oracle`.
pub async fn minimise<O: Oracle>(problem: &Problem, oracle: &mut O) -> Result<Outcome, O::Error> {
    let mut s = Searcher {
        oracle,
        max_trials: problem.max_trials,
        seen: BTreeMap::new(),
        best: None,
    };
    let (working, bound_reached) = match s.find(problem).await {
        Ok(found) => (found, false),
        Err(Halt::Bound) => (s.best.clone(), true),
        Err(Halt::Oracle(e)) => return Err(e),
    };
    let Some(mut current) = working else {
        return Ok(s.outcome(None, Vec::new(), false, bound_reached));
    };
    if bound_reached {
        return Ok(s.outcome(Some(current), Vec::new(), false, true));
    }
    // The proof; a flag that turns out unnecessary is dropped and the proof starts over.
    loop {
        let removable: Vec<Flag> = current
            .caps
            .iter()
            .map(|c| Flag::Cap(c.clone()))
            .chain(
                current
                    .tmpfs
                    .difference(&problem.proposal.tmpfs)
                    .map(|p| Flag::Tmpfs(p.clone())),
            )
            .collect();
        let probes: Vec<Probe> = removable
            .iter()
            .map(|f| Probe {
                candidate: without(&current, f),
                purpose: Purpose::Without(f.clone()),
            })
            .collect();
        let results = match s.test(probes).await {
            Ok(r) => r,
            Err(Halt::Bound) => {
                let best = s
                    .best
                    .clone()
                    .filter(|b| b.caps.len() + b.tmpfs.len() < current.caps.len() + current.tmpfs.len());
                return Ok(s.outcome(Some(best.unwrap_or(current)), Vec::new(), false, true));
            }
            Err(Halt::Oracle(e)) => return Err(e),
        };
        let proof: Vec<Removal> = removable
            .iter()
            .zip(&results)
            .map(|(f, passed)| Removal {
                without: f.clone(),
                candidate: without(&current, f),
                passed: *passed == Some(true),
            })
            .collect();
        match proof.iter().find(|r| r.passed) {
            Some(r) => current = r.candidate.clone(),
            None => return Ok(s.outcome(Some(current), proof, true, false)),
        }
    }
}

fn without(c: &Candidate, flag: &Flag) -> Candidate {
    let mut out = c.clone();
    match flag {
        Flag::Cap(name) => out.caps.remove(name),
        Flag::Tmpfs(path) => out.tmpfs.remove(path),
    };
    out
}

struct Searcher<'o, O> {
    oracle: &'o mut O,
    max_trials: usize,
    /// Every configuration run so far and whether it passed.
    seen: BTreeMap<Candidate, bool>,
    /// The passing configuration with the fewest flags so far (the answer if the bound stops us).
    best: Option<Candidate>,
}

impl<O: Oracle> Searcher<'_, O> {
    fn outcome(&self, working: Option<Candidate>, proof: Vec<Removal>, minimal: bool, bound: bool) -> Outcome {
        Outcome {
            working,
            proof,
            minimal,
            bound_reached: bound,
            trials: self.seen.len(),
        }
    }

    /// Runs the probes not seen before (as many as the bound allows) and returns each probe's
    /// result; `None` for one the bound left untried. Fails with [`Halt::Bound`] only when none
    /// could be tried.
    async fn test(&mut self, probes: Vec<Probe>) -> Result<Vec<Option<bool>>, Halt<O::Error>> {
        let mut fresh: Vec<Probe> = Vec::new();
        for p in &probes {
            if !self.seen.contains_key(&p.candidate) && !fresh.iter().any(|f| f.candidate == p.candidate) {
                fresh.push(p.clone());
            }
        }
        let room = self.max_trials.saturating_sub(self.seen.len());
        if !fresh.is_empty() && room == 0 {
            return Err(Halt::Bound);
        }
        fresh.truncate(room);
        if !fresh.is_empty() {
            let results = self.oracle.run(fresh.clone()).await.map_err(Halt::Oracle)?;
            for (p, passed) in fresh.into_iter().zip(results) {
                let size = |c: &Candidate| c.caps.len() + c.tmpfs.len();
                if passed && self.best.as_ref().is_none_or(|b| size(&p.candidate) < size(b)) {
                    self.best = Some(p.candidate.clone());
                }
                self.seen.insert(p.candidate, passed);
            }
        }
        Ok(probes.iter().map(|p| self.seen.get(&p.candidate).copied()).collect())
    }

    async fn passes(&mut self, candidate: Candidate, purpose: Purpose) -> Result<bool, Halt<O::Error>> {
        let r = self.test(vec![Probe { candidate, purpose }]).await?;
        Ok(r[0] == Some(true))
    }

    /// Steps 1–3: a working configuration, or `None` when even the widest one fails.
    async fn find(&mut self, problem: &Problem) -> Result<Option<Candidate>, Halt<O::Error>> {
        let proposal = problem.proposal.clone();
        if self.passes(proposal.clone(), Purpose::Proposal).await? {
            return Ok(Some(proposal));
        }
        let mut widest = proposal.clone();
        widest.caps.extend(problem.extra_caps.iter().cloned());
        let mut works = widest != proposal && self.passes(widest.clone(), Purpose::AllDefaultCaps).await?;
        let extra_tmpfs: Vec<String> = problem
            .extra_tmpfs
            .iter()
            .filter(|p| !proposal.tmpfs.contains(*p))
            .cloned()
            .collect();
        if !works && !extra_tmpfs.is_empty() {
            widest.tmpfs.extend(extra_tmpfs.iter().cloned());
            works = self.passes(widest.clone(), Purpose::AllTmpfs).await?;
        }
        if !works {
            return Ok(None);
        }
        // Capabilities first, with the tmpfs paths of the widest working configuration.
        let tmpfs = widest.tmpfs.clone();
        let extra_caps: Vec<String> = widest.caps.difference(&proposal.caps).cloned().collect();
        let caps_of = |subset: &[String]| Candidate {
            caps: proposal.caps.iter().chain(subset).cloned().collect(),
            tmpfs: tmpfs.clone(),
        };
        let caps = self.ddmin(extra_caps, &caps_of).await?;
        let mut found = caps_of(&caps);
        // Then tmpfs paths, with the capabilities found.
        if widest.tmpfs != proposal.tmpfs {
            let caps = found.caps.clone();
            let tmpfs_of = |subset: &[String]| Candidate {
                caps: caps.clone(),
                tmpfs: proposal.tmpfs.iter().chain(subset).cloned().collect(),
            };
            let paths = self.ddmin(extra_tmpfs, &tmpfs_of).await?;
            found = tmpfs_of(&paths);
        }
        Ok(Some(found))
    }

    /// Zeller's ddmin: a 1-minimal subset of `items` for which `make(subset)` passes, given that
    /// `make(items)` passes. Whether the empty subset passes is tried first.
    async fn ddmin(
        &mut self,
        items: Vec<String>,
        make: &impl Fn(&[String]) -> Candidate,
    ) -> Result<Vec<String>, Halt<O::Error>> {
        if items.is_empty() || self.passes(make(&[]), Purpose::Search).await? {
            return Ok(Vec::new());
        }
        let mut current = items;
        let mut n = 2;
        while current.len() >= 2 {
            let parts = split(&current, n);
            let probes = parts
                .iter()
                .map(|p| Probe {
                    candidate: make(p),
                    purpose: Purpose::Search,
                })
                .collect();
            let results = self.test(probes).await?;
            if let Some(i) = results.iter().position(|r| *r == Some(true)) {
                current = parts[i].clone();
                n = 2;
                continue;
            }
            if results.contains(&None) {
                return Err(Halt::Bound);
            }
            if n > 2 {
                let complements: Vec<Vec<String>> = parts
                    .iter()
                    .map(|p| current.iter().filter(|c| !p.contains(c)).cloned().collect())
                    .collect();
                let probes = complements
                    .iter()
                    .map(|c| Probe {
                        candidate: make(c),
                        purpose: Purpose::Search,
                    })
                    .collect();
                let results = self.test(probes).await?;
                if let Some(i) = results.iter().position(|r| *r == Some(true)) {
                    current = complements[i].clone();
                    n = (n - 1).max(2);
                    continue;
                }
                if results.contains(&None) {
                    return Err(Halt::Bound);
                }
            }
            if n >= current.len() {
                break;
            }
            n = (2 * n).min(current.len());
        }
        Ok(current)
    }
}

/// `items` in `n` contiguous parts of near-equal size (none empty while `n <= items.len()`).
fn split(items: &[String], n: usize) -> Vec<Vec<String>> {
    let n = n.clamp(1, items.len().max(1));
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for i in 0..n {
        let end = start + (items.len() - start) / (n - i);
        parts.push(items[start..end].to_vec());
        start = end;
    }
    parts
}

#[cfg(test)]
mod tests;
