//! `cargo xtask bench harden`: least-privilege proposals for many running containers
//! (`dockaudit harden`, no trials) against the audit itself (`dockaudit scan`) and the floor
//! (`docker ps -aq` plus one `docker inspect` of every container), in one run.
//!
//! The release binary is measured. The containers run a small service each (a pid file under
//! `/run`, then `sleep`) from the busybox image of the main benchmark's [`Fixture`]; they carry
//! their own label (`dockaudit.bench.harden`) and the owner's pid (the stale sweep removes them
//! after a crash), and are removed at the end — after an error, a panic or Ctrl-C too. The three commands alternate, in a
//! rotating order, so a slow phase of the shared machine hits all of them; the medians go into
//! the `harden` section of BENCHMARKS.md (and target/bench/HARDEN.md).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::common::{check_interrupted, command_line_output, install_signal_handlers, step};
use super::docker::{floor_once, measure_dockaudit, Sample};
use super::fixture::{list_ids, run_labels, Fixture};
use super::machine::Machine;
use super::stats::{fmt_mib, fmt_ms, fmt_spread, median};
use crate::workspace::{target_dir, workspace_root};

const USAGE: &str = "usage: cargo xtask bench harden [--containers 100] [--runs 5]

Starts CONTAINERS running containers on the local daemon, then runs `dockaudit harden` (proposals
for every running container, no trials), `dockaudit scan` and the floor (`docker ps -aq` and one
`docker inspect` of every container) alternately RUNS times each after a warm-up, and writes the
medians into the `harden` section of BENCHMARKS.md (and target/bench/HARDEN.md).";

/// Label of every container this benchmark creates: the run's id.
const RUN_LABEL: &str = "dockaudit.bench.harden";

#[derive(Debug, Clone, PartialEq)]
struct Options {
    containers: usize,
    runs: usize,
}

fn parse(args: &[String]) -> Result<Option<Options>> {
    let mut o = Options {
        containers: 100,
        runs: 5,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--containers" => o.containers = value()?.parse().context("--containers wants a number")?,
            "--runs" => o.runs = value()?.parse().context("--runs wants a number")?,
            "--help" | "-h" => return Ok(None),
            other => bail!("unknown option `{other}`\n\n{USAGE}"),
        }
    }
    if !(1..=2000).contains(&o.containers) || !(1..=100).contains(&o.runs) {
        bail!("--containers 1…2000 and --runs 1…100");
    }
    Ok(Some(o))
}

/// Entry point of `cargo xtask bench harden`.
pub fn run(args: &[String]) -> Result<()> {
    let Some(opts) = parse(args)? else {
        println!("{USAGE}");
        return Ok(());
    };
    install_signal_handlers();
    let root = workspace_root();
    let started = Instant::now();
    let date = command_line_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();

    let bin = super::build_release_collector(&root)?;

    let mut fixture = Fixture::new(RUN_LABEL, &[("harden", &[])])?;
    let measured = (|| {
        step(&format!("starting {} containers", opts.containers));
        let clock = Instant::now();
        fixture.grow_to(opts.containers, |f, i| container_args(i, f.run_id(), &f.images()[0]))?;
        println!("    ready in {:.0} s", clock.elapsed().as_secs_f64());
        measure(&bin, &opts, &fixture)
    })();
    step("removing the benchmark's containers and image");
    fixture.cleanup();
    let figures = measured?;

    let doc = render(&Rendered {
        date,
        machine: Machine::probe(None),
        opts: opts.clone(),
        figures,
        minutes: started.elapsed().as_secs_f64() / 60.0,
    });
    let out = target_dir(&root).join("bench/HARDEN.md");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, &doc).with_context(|| format!("writing {}", out.display()))?;
    super::sections::write_section(&root.join("BENCHMARKS.md"), "harden", &doc)?;
    println!("\n{doc}\nwritten to {} and BENCHMARKS.md", out.display());
    Ok(())
}

/// What one run measured.
#[derive(Debug, Clone, Default, PartialEq)]
struct Figures {
    /// Containers on the daemon, and running ones, as `dockaudit harden` saw them.
    containers: usize,
    running: usize,
    proposals: usize,
    harden: Vec<Sample>,
    scan: Vec<Sample>,
    floor: Vec<Sample>,
}

fn measure(bin: &Path, opts: &Options, fixture: &Fixture) -> Result<Figures> {
    step("warm-up");
    let (_, proposals) = harden_once(bin, Some(fixture.scratch()))?;
    scan_once(bin)?;
    floor_once()?;
    let all = Command::new("docker")
        .args(["ps", "-aq"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().count())
        .unwrap_or(0);
    let running = list_ids("status=running").len();
    let mut f = Figures {
        containers: all,
        running,
        proposals,
        ..Figures::default()
    };
    for i in 0..opts.runs {
        check_interrupted()?;
        step(&format!("run {} of {}", i + 1, opts.runs));
        // Rotate the order, so no command always runs first (or after the same one).
        for which in 0..3 {
            match (i + which) % 3 {
                0 => f.harden.push(harden_once(bin, None)?.0),
                1 => f.scan.push(scan_once(bin)?),
                _ => f.floor.push(floor_once()?),
            }
        }
        println!(
            "    harden {:.0} ms, scan {:.0} ms, floor {:.0} ms",
            f.harden.last().map_or(f64::NAN, |s| s.wall_ms),
            f.scan.last().map_or(f64::NAN, |s| s.wall_ms),
            f.floor.last().map_or(f64::NAN, |s| s.wall_ms),
        );
    }
    Ok(f)
}

/// `dockaudit harden --format json` for every running container; with `keep`, the output is
/// written there and the proposals counted.
fn harden_once(bin: &Path, keep: Option<&Path>) -> Result<(Sample, usize)> {
    let out = keep.map(|dir| dir.join("proposals.json"));
    let out_arg = out
        .as_ref()
        .map_or_else(|| "/dev/null".into(), |p| p.display().to_string());
    let sample = measure_dockaudit(bin, &["harden", "--format", "json", "-o", &out_arg], &[0])?;
    let count = match out {
        Some(p) => {
            let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            let v: serde_json::Value = serde_json::from_str(&text).context("parsing the proposals")?;
            v["proposals"].as_array().map_or(0, Vec::len)
        }
        None => 0,
    };
    Ok((sample, count))
}

/// `dockaudit scan --format json`, as the main benchmark measures it.
fn scan_once(bin: &Path) -> Result<Sample> {
    measure_dockaudit(
        bin,
        &["scan", "--format", "json", "--no-progress", "-o", "/dev/null"],
        &[0, 1],
    )
}

/// `docker run` arguments of container `i`: a small service writing a pid file under `/run`
/// (created by `--workdir`: the image has no `mkdir`), then sleeping.
fn container_args(i: usize, run_id: &str, image: &str) -> Vec<String> {
    let mut args = ["run", "-d", "--name"].map(String::from).to_vec();
    args.push(format!("dockaudit-bench-harden-{run_id}-{i:04}"));
    args.extend(run_labels(RUN_LABEL, run_id));
    args.extend(
        [
            "--workdir",
            "/run",
            image,
            "sh",
            "-c",
            "echo $$ > /run/service.pid; exec sleep 86400",
        ]
        .map(String::from),
    );
    args
}

struct Rendered {
    date: String,
    machine: Machine,
    opts: Options,
    figures: Figures,
    minutes: f64,
}

fn walls(samples: &[Sample]) -> Vec<f64> {
    samples.iter().map(|s| s.wall_ms).collect()
}

fn cpus(samples: &[Sample]) -> Vec<f64> {
    samples.iter().map(|s| s.cpu_ms).collect()
}

fn daemon_cpus(samples: &[Sample]) -> Vec<f64> {
    samples.iter().map(|s| s.daemon_cpu_ms).collect()
}

fn peak_rss(samples: &[Sample]) -> u64 {
    samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0)
}

fn ratio(a: &[Sample], b: &[Sample]) -> String {
    match (median(&walls(a)), median(&walls(b))) {
        (Some(x), Some(y)) if y > 0.0 => format!("{:.2}", x / y),
        _ => "—".into(),
    }
}

/// The section's Markdown.
fn render(r: &Rendered) -> String {
    let f = &r.figures;
    let m = &r.machine;
    let row = |what: &str, s: &[Sample]| {
        format!(
            "| {what} | {} | {} | {} | {} |\n",
            fmt_spread(&walls(s)),
            fmt_ms(median(&cpus(s))),
            fmt_mib(peak_rss(s)),
            fmt_ms(median(&daemon_cpus(s))),
        )
    };
    let mut doc = format!(
        "## Least-privilege proposals (issue 12)\n\n\
         Written by `cargo xtask bench harden --containers {n} --runs {runs}` ({date}, {min:.1} min): the figures of one\n\
         run, nothing edited by hand. {n} running containers started by the harness from its imported busybox\n\
         image (each writes a pid file under `/run`, then sleeps), on a daemon holding {total} containers\n\
         ({running} running) in all. `dockaudit harden` (no trial), `dockaudit scan` and the floor ran {runs} times\n\
         each, alternating in a rotating order, after one warm-up run each; the release build on\n\
         {cpu}, {cores} cores, Docker {docker}, shared with other work on this machine.\n\n\
         | command | wall, median (min–max) | CPU | peak RSS | daemon CPU |\n\
         |---|---|---|---|---|\n",
        n = r.opts.containers,
        runs = r.opts.runs,
        date = r.date,
        min = r.minutes,
        total = f.containers,
        running = f.running,
        cpu = m.cpu,
        cores = m.cores,
        docker = m.docker,
    );
    doc.push_str(&row(
        &format!("`dockaudit harden`: {} proposals", f.proposals),
        &f.harden,
    ));
    doc.push_str(&row("`dockaudit scan`: the audit, 117 checks", &f.scan));
    doc.push_str(&row("floor: `docker ps -aq`, `docker inspect` of all", &f.floor));
    doc.push_str(&format!(
        "\nProposals against the audit: {} (median wall time of `harden` / `scan`); against the floor: {}; the\n\
         audit against the floor: {}.\n\n\
         Both dockaudit commands gather the same facts once — the workload observation\n\
         (`GET /containers/{{id}}/changes` and the host's `/proc` and cgroups for each running container) is part of\n\
         every scan — so a proposal costs what the audit costs; `harden` skips the checks and the report. Measured\n\
         commands: `target/release/dockaudit harden --format json -o /dev/null` (every running container),\n\
         `target/release/dockaudit scan --format json --no-progress -o /dev/null`, and `docker ps -aq --no-trunc`\n\
         then `docker inspect <every id>`; CPU and peak RSS of the child from `wait4()`, daemon CPU as in the\n\
         main benchmark.\n",
        ratio(&f.harden, &f.scan),
        ratio(&f.harden, &f.floor),
        ratio(&f.scan, &f.floor),
    ));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(wall_ms: f64) -> Sample {
        Sample {
            wall_ms,
            cpu_ms: wall_ms / 2.0,
            max_rss_kib: 20 * 1024,
            daemon_cpu_ms: 10.0,
        }
    }

    #[test]
    fn parses_options() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            parse(&[]).unwrap(),
            Some(Options {
                containers: 100,
                runs: 5
            })
        );
        assert_eq!(
            parse(&args("--containers 10 --runs 3")).unwrap(),
            Some(Options {
                containers: 10,
                runs: 3
            })
        );
        assert_eq!(parse(&args("--help")).unwrap(), None);
        assert!(parse(&args("--runs 0")).is_err());
        assert!(parse(&args("--containers")).is_err());
        assert!(parse(&args("--frob")).is_err());
    }

    #[test]
    fn containers_carry_the_run_and_owner_labels() {
        let a = container_args(7, "42-ab", "img:t");
        assert_eq!(&a[..2], ["run", "-d"]);
        assert!(a.contains(&"dockaudit-bench-harden-42-ab-0007".to_string()));
        assert!(a.contains(&format!("{RUN_LABEL}=42-ab")));
        assert!(a.contains(&format!("dockaudit.bench.pid={}", std::process::id())));
        assert_eq!(
            a[a.len() - 4..],
            ["img:t", "sh", "-c", "echo $$ > /run/service.pid; exec sleep 86400"]
        );
    }

    #[test]
    fn the_section_names_its_command_and_ratios() {
        let doc = render(&Rendered {
            date: "2026-12-02 14:00 UTC".into(),
            machine: Machine::default(),
            opts: Options {
                containers: 100,
                runs: 3,
            },
            figures: Figures {
                containers: 120,
                running: 110,
                proposals: 110,
                harden: vec![sample(90.0), sample(100.0), sample(110.0)],
                scan: vec![sample(200.0), sample(200.0), sample(200.0)],
                floor: vec![sample(100.0), sample(100.0), sample(100.0)],
            },
            minutes: 1.0,
        });
        assert!(
            doc.contains("`cargo xtask bench harden --containers 100 --runs 3`"),
            "{doc}"
        );
        assert!(
            doc.contains("| `dockaudit harden`: 110 proposals | 100 ms (90–110) |"),
            "{doc}"
        );
        assert!(doc.contains("Proposals against the audit: 0.50"), "{doc}");
        assert!(
            doc.contains("against the floor: 1.00; the\naudit against the floor: 2.00"),
            "{doc}"
        );
    }
}
