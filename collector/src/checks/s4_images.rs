//! Section 4: container images and build files.
//!
//! Image checks judge every local image (`GET /images/json`, inspect and history), not only the
//! ones containers use: an unused image is one `docker run` away from being used. The one
//! exception is an image that only dockaudit's own container uses. History is read in full from the
//! API, so long `CreatedBy` lines are never cut off as in `docker history` output. Evidence
//! quoting a history step hides the values of credential-like assignments.

use std::collections::BTreeMap;

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::context::{container_target, image_target};
use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::interpret::image_history::{self, display_step, Instruction};
use crate::snapshot::{short_id, Container, HistoryStep, Image};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("4.1", check_4_1),
    ("4.2", check_4_2),
    ("4.3", check_4_3),
    ("4.4", check_4_4),
    ("4.5", check_4_5),
    ("4.6", check_4_6),
    ("4.7", check_4_7),
    ("4.8", check_4_8),
    ("4.9", check_4_9),
    ("4.10", check_4_10),
    ("4.11", check_4_11),
    ("4.12", check_4_12),
];

/// Whether a `USER` value runs as UID 0: empty, `root`, `0` (or `00`), alone or before `:<group>`.
/// A named user other than `root` is taken as non-root; its UID lives in the image's /etc/passwd,
/// which dockaudit does not read.
pub(super) fn is_root_user(user: &str) -> bool {
    let name = user.trim().split(':').next().unwrap_or_default().trim();
    name.is_empty() || name == "root" || name.parse::<u64>().is_ok_and(|uid| uid == 0)
}

/// Why a health check test counts as missing, or `None` when one is configured. `HEALTHCHECK NONE`
/// (`["NONE"]`) switches checking off and an empty test inherits nothing, so both count as missing.
pub(super) fn missing_healthcheck(test: Option<&[String]>) -> Option<&'static str> {
    match test {
        None => Some("no health check is configured"),
        Some([]) => Some("the health check test is empty"),
        Some([first, ..]) if first.trim().eq_ignore_ascii_case("NONE") => Some("HEALTHCHECK NONE disables the check"),
        Some(_) => None,
    }
}

/// 4.1: fail a container whose `Config.User` resolves to UID 0: "", `0`, `root`, or those before a
/// colon (`0:0`, `root:root`, `0:1000`). When the container's user is empty the image's `USER` is
/// consulted too (Docker copies it into `Config.User` at creation, so this only matters for
/// incomplete snapshots). docker-bench-security flags only "", `0` and `root`, so `0:0` passes there.
fn check_4_1(ctx: &Ctx) -> Outcome {
    let images = ctx.facts.images.ok();
    ctx.per_container("run as root", |c| {
        let own = c.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let (observed, root) = match own {
            Some(user) => (format!("Config.User = {user}"), is_root_user(user)),
            None => {
                let image_user = images
                    .and_then(|all| all.iter().find(|i| i.id == c.image_id))
                    .and_then(|i| i.user.as_deref())
                    .map(str::trim)
                    .filter(|u| !u.is_empty());
                match image_user {
                    Some(user) => (
                        format!("Config.User is empty; the image's USER is {user}"),
                        is_root_user(user),
                    ),
                    None => (
                        "Config.User is empty and the image sets no USER (root)".to_string(),
                        true,
                    ),
                }
            }
        };
        root.then(|| {
            finding(
                container_target(c),
                format!("\"{}\" runs as root", c.name),
                observed,
                "a non-root user (UID other than 0)",
                format!(
                    "Add a non-root USER to the image {} and rebuild it, or re-create \"{}\" with --user <uid>:<gid>",
                    c.image, c.name
                ),
            )
        })
    })
}

/// Images in scope for section 4: every local image except one used only by dockaudit's own container.
fn audited_images<'a>(ctx: &Ctx<'a>) -> Result<Vec<&'a Image>, Outcome> {
    let images = ctx.images()?;
    let all = ctx.facts.containers.ok();
    let self_id = ctx.facts.collection.self_container.as_ref().map(|s| s.id.as_str());
    let used_by_others = |image_id: &str| {
        all.is_some_and(|cs| {
            cs.iter()
                .any(|c| c.image_id == image_id && Some(c.id.as_str()) != self_id)
        })
    };
    let own_image = all
        .and_then(|cs| cs.iter().find(|c| Some(c.id.as_str()) == self_id))
        .map(|c| c.image_id.as_str());
    Ok(images
        .iter()
        .filter(|i| Some(i.id.as_str()) != own_image || used_by_others(&i.id))
        .collect())
}

fn distinct_targets(findings: &[Finding]) -> usize {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.target.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Pass/fail over images; an image whose history could not be read blocks a pass.
fn image_verdict(total: usize, findings: Vec<Finding>, unreadable: &[String], what: &str) -> Outcome {
    let unread = if unreadable.is_empty() {
        String::new()
    } else {
        format!(" The history of {} could not be read.", unreadable.join("; "))
    };
    if !findings.is_empty() {
        Outcome::fail(
            format!("{} of {total} images {what}.{unread}", distinct_targets(&findings)),
            findings,
        )
    } else if !unreadable.is_empty() {
        Outcome::error(format!(
            "Could not read the history of {} of {total} images, so they cannot be judged: {}.",
            unreadable.len(),
            unreadable.join("; ")
        ))
    } else {
        Outcome::pass(format!("None of the {total} images {what}."))
    }
}

/// Runs a per-image test over the images in scope; no image is `not_applicable`.
fn per_image(ctx: &Ctx, what: &str, test: impl Fn(&Image) -> Vec<Finding>) -> Outcome {
    let images = match audited_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    if images.is_empty() {
        return Outcome::not_applicable("There are no local images on this host.");
    }
    let findings = images.iter().flat_map(|i| test(i)).collect();
    image_verdict(images.len(), findings, &[], what)
}

/// Like [`per_image`] over each image's history; unreadable histories give `error` unless another image fails.
fn per_image_history(ctx: &Ctx, what: &str, test: impl Fn(&Image, &[HistoryStep]) -> Vec<Finding>) -> Outcome {
    let images = match audited_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    if images.is_empty() {
        return Outcome::not_applicable("There are no local images on this host.");
    }
    let mut findings = Vec::new();
    let mut unreadable = Vec::new();
    for image in &images {
        match image.history.get() {
            Ok(steps) => findings.extend(test(image, steps)),
            Err(u) => unreadable.push(format!("{} ({u})", image.display_name())),
        }
    }
    image_verdict(images.len(), findings, &unreadable, what)
}

/// Local images for a review check, or the `error`/`not_applicable` outcome.
fn review_images<'a>(ctx: &Ctx<'a>) -> Result<Vec<&'a Image>, Outcome> {
    let images = audited_images(ctx)?;
    if images.is_empty() {
        return Err(Outcome::not_applicable("There are no local images on this host."));
    }
    Ok(images)
}

fn quoted_names(containers: &[&Container]) -> String {
    containers
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// 4.2 (review): for each image used by a container in scope, its tags, digests and id, the
/// containers using it and, when history is readable, its oldest layer (the base it was built
/// on). Whether that base is trusted is for a person to decide.
fn check_4_2(ctx: &Ctx) -> Outcome {
    let containers = match ctx.containers() {
        Ok(c) => c,
        Err(o) => return o,
    };
    let images = match ctx.images() {
        Ok(i) => i,
        Err(o) => return o,
    };
    if containers.is_empty() {
        return Outcome::manual(
            format!(
                "No containers in scope, so no image is in use; {} local images exist (6.1 lists unused ones). \
                 Confirm any image you run is built from a trusted base.",
                images.len()
            ),
            vec![],
        );
    }
    let mut by_image: BTreeMap<&str, Vec<&Container>> = BTreeMap::new();
    for c in containers {
        by_image.entry(c.image_id.as_str()).or_default().push(c);
    }
    let findings: Vec<Finding> = by_image
        .iter()
        .map(|(id, users)| {
            let image = images.iter().find(|i| i.id == *id);
            let reference = users.first().map_or("", |c| c.image.as_str());
            let target = image.map_or_else(
                || Target::new(TargetKind::Image, id.to_string(), reference.to_string()),
                image_target,
            );
            let mut observed = match image {
                Some(i) if !i.repo_tags.is_empty() => format!("{} ({})", i.repo_tags.join(", "), short_id(id)),
                _ => format!("{reference} ({})", short_id(id)),
            };
            if let Some(i) = image {
                if !i.repo_digests.is_empty() {
                    observed.push_str(&format!("; digests: {}", i.repo_digests.join(", ")));
                }
                if let Some(base) = i.history.ok().and_then(|steps| steps.last()) {
                    let shown = match display_step(&base.created_by) {
                        text if !text.is_empty() => text,
                        _ if !base.comment.trim().is_empty() => {
                            format!("no build command ({})", base.comment.trim())
                        }
                        _ => "no build command".to_string(),
                    };
                    observed.push_str(&format!("; oldest layer: {shown}"));
                }
            }
            finding(
                target,
                format!("Used by {}", quoted_names(users)),
                observed,
                "an image built from a base image you trust (official or internally approved)",
                format!("Confirm where {reference} and its base image come from; rebuild it from an approved base otherwise"),
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "{} images are used by the {} containers in scope; confirm each is built from a trusted base image.",
            findings.len(),
            containers.len()
        ),
        findings,
    )
}

/// 4.3 (review): per image, the package installs its history shows. Only a person knows which
/// packages the workload needs; dockaudit does not inventory installed packages.
fn check_4_3(ctx: &Ctx) -> Outcome {
    let images = match review_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let findings = images
        .iter()
        .map(|image| {
            let (message, observed) = match image.history.get() {
                Ok(steps) => {
                    let installs: Vec<String> = steps
                        .iter()
                        .rev()
                        .filter_map(|s| match image_history::parse(&s.created_by) {
                            Instruction::Run(cmd) => Some(image_history::install_commands(&cmd)),
                            _ => None,
                        })
                        .flatten()
                        .collect();
                    let observed = if installs.is_empty() {
                        "no package-manager install in the history".to_string()
                    } else {
                        image_history::clip(&installs.join("; "), 600)
                    };
                    (
                        format!("{} history steps, {} package installs", steps.len(), installs.len()),
                        observed,
                    )
                }
                Err(u) => ("The image history could not be read".to_string(), u.to_string()),
            };
            finding(
                image_target(image),
                message,
                observed,
                "only the packages the application needs",
                format!(
                    "Review the packages in {}; remove what the workload does not use or move to a minimal base",
                    image.display_name()
                ),
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "{} local images; review the packages each one installs (from its build history).",
            images.len()
        ),
        findings,
    )
}

/// 4.4 (review): every image with its creation time, oldest first, for comparison with the
/// vulnerability scanner's results and the rebuild policy. dockaudit does not scan images.
fn check_4_4(ctx: &Ctx) -> Outcome {
    let mut images = match review_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    // Undated images first: they need the closest look.
    images.sort_by(|a, b| a.created.cmp(&b.created));
    let oldest = images.iter().find_map(|i| i.created.clone());
    let findings = images
        .iter()
        .map(|image| {
            let observed = match &image.created {
                Some(created) => format!("created {created}"),
                None => "creation time not reported".to_string(),
            };
            finding(
                image_target(image),
                format!("{} ({})", image.display_name(), short_id(&image.id)),
                observed,
                "scanned regularly and rebuilt when security patches are released",
                format!(
                    "Scan {} with a vulnerability scanner and rebuild it on a patched base",
                    image.display_name()
                ),
            )
        })
        .collect();
    let oldest = oldest
        .map(|o| format!(" The oldest was created {o}."))
        .unwrap_or_default();
    Outcome::manual(
        format!(
            "{} local images; confirm each is scanned and rebuilt with security patches.{oldest}",
            images.len()
        ),
        findings,
    )
}

/// 4.5 (review): the `DOCKER_CONTENT_TRUST` value of the environment dockaudit ran in. Content
/// trust is a client-side setting, so this says nothing about other users' shells or CI jobs;
/// docker-bench-security scores it anyway.
fn check_4_5(ctx: &Ctx) -> Outcome {
    let value = ctx.facts.collection.content_trust.as_deref().map(str::trim);
    let observed = match value {
        Some(v) => format!("DOCKER_CONTENT_TRUST={v}"),
        None => "DOCKER_CONTENT_TRUST is not set".to_string(),
    };
    let state = if value == Some("1") { "enabled" } else { "not enabled" };
    Outcome::manual(
        format!(
            "Content trust is {state} in the environment dockaudit ran in; confirm it is enabled wherever images \
             are pulled and built."
        ),
        vec![finding(
            Target::new(TargetKind::Host, "DOCKER_CONTENT_TRUST", "scanning environment"),
            format!("Content trust is {state} for the client that ran dockaudit"),
            observed,
            "DOCKER_CONTENT_TRUST=1 for every user and pipeline that pulls or builds images",
            "Export DOCKER_CONTENT_TRUST=1 in the shells and CI jobs that use Docker",
        )],
    )
}

/// 4.6: fail every image whose `Config.Healthcheck` is absent, empty or `NONE`. docker-bench-security
/// and Dockle accept `HEALTHCHECK NONE`, which explicitly turns checking off.
fn check_4_6(ctx: &Ctx) -> Outcome {
    per_image(ctx, "lack a HEALTHCHECK", |image| {
        missing_healthcheck(image.healthcheck.as_deref())
            .map(|why| {
                finding(
                    image_target(image),
                    format!("{} has no usable HEALTHCHECK", image.display_name()),
                    why,
                    "a HEALTHCHECK instruction that tests the service",
                    format!(
                        "Add a HEALTHCHECK instruction to the Dockerfile of {} and rebuild it",
                        image.display_name()
                    ),
                )
            })
            .into_iter()
            .collect()
    })
}

/// 4.7: fail an image when a RUN step refreshes a package index (`apt-get update`, `apk update`,
/// `zypper refresh`, `yum makecache`) with no install or upgrade after it in the same step.
/// Commands are split at `&&`, `||`, `;`, pipes and newlines. Unlike docker-bench-security, the
/// full history text is read, `update-ca-certificates` is not an update, and `update && install`
/// passes. `yum`/`dnf update` upgrade packages, so they count as the install, not as a lone update
/// (Trivy flags them).
fn check_4_7(ctx: &Ctx) -> Outcome {
    per_image_history(
        ctx,
        "refresh a package index without installing in the same step",
        |image, steps| {
            steps
            .iter()
            .filter_map(|step| {
                let Instruction::Run(cmd) = image_history::parse(&step.created_by) else { return None };
                let update = image_history::lone_index_refresh(&cmd)?;
                Some(finding(
                    image_target(image),
                    format!(
                        "A RUN step refreshes the package index (`{}`) but installs nothing after it",
                        image_history::clip(&update, 80)
                    ),
                    display_step(&step.created_by),
                    "the index update and the install in the same RUN step",
                    format!(
                        "Rebuild {} with the update and the install in one RUN (`apt-get update && apt-get install -y …`)",
                        image.display_name()
                    ),
                ))
            })
            .collect()
        },
    )
}

/// 4.8 (review): finding setuid/setgid files needs the layers exported and unpacked, which
/// dockaudit does not do; each image gets the command a reviewer can run.
fn check_4_8(ctx: &Ctx) -> Outcome {
    let images = match review_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let findings = images
        .iter()
        .map(|image| {
            let reference = image
                .repo_tags
                .iter()
                .find(|t| t.as_str() != "<none>:<none>")
                .cloned()
                .unwrap_or_else(|| image.id.clone());
            finding(
                image_target(image),
                "Not scanned for setuid/setgid files (needs the image layers)",
                "not inspected",
                "no setuid or setgid file the application does not need",
                format!(
                    "List them with `docker run --rm --entrypoint find {reference} / -xdev -perm /6000 -type f`, then \
                     strip the bits in the Dockerfile (`chmod a-s …`)"
                ),
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "{} local images not scanned for setuid/setgid files; check each with the command given.",
            images.len()
        ),
        findings,
    )
}

/// 4.9: fail an image for every ADD step except its base root filesystem: the oldest non-empty
/// layer when it is an ADD into `/` (`ADD file:<hash> in /` from the classic builder, or BuildKit's
/// `ADD rootfs.tar.gz /` as in Alpine's images). docker-bench-security skips only the oldest line
/// and matches "ADD" anywhere (e.g. "ADDRESS"); later ADD layers of a base image are still reported.
fn check_4_9(ctx: &Ctx) -> Outcome {
    per_image_history(ctx, "use ADD beyond their base root filesystem", |image, steps| {
        // History is newest first, so the base layer is the last non-empty step.
        let base = steps
            .iter()
            .rposition(|s| !s.empty_layer)
            .or(steps.len().checked_sub(1));
        steps
            .iter()
            .enumerate()
            .filter_map(|(i, step)| {
                let instruction = image_history::parse(&step.created_by);
                if !matches!(instruction, Instruction::Add(_)) {
                    return None;
                }
                if Some(i) == base && instruction.add_destination() == Some("/") {
                    return None;
                }
                Some(finding(
                    image_target(image),
                    "A build step uses ADD",
                    display_step(&step.created_by),
                    "COPY for local files; ADD only where its archive extraction is needed",
                    format!(
                        "Replace ADD with COPY in the Dockerfile of {} and rebuild it",
                        image.display_name()
                    ),
                ))
            })
            .collect()
    })
}

/// 4.10 (review): credential-like names (never values) among each image's `Config.Env` and the
/// assignments of its history steps (ENV, ARG defaults, build args recorded on RUN steps). Dockle
/// and Trivy decide this automatically and are noisy; only a person can tell a real secret.
fn check_4_10(ctx: &Ctx) -> Outcome {
    let images = match review_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let mut findings = Vec::new();
    for image in &images {
        let env: Vec<&str> = image
            .env_names
            .iter()
            .map(String::as_str)
            .filter(|n| image_history::secret_like(n))
            .collect();
        if !env.is_empty() {
            findings.push(finding(
                image_target(image),
                "Environment variables with credential-like names (values are not collected)",
                format!("Config.Env names: {}", env.join(", ")),
                "no secret baked into the image",
                format!(
                    "Check whether {} holds secrets in these variables; pass secrets at run time (docker secrets, \
                     mounted files) and rebuild without them",
                    image.display_name()
                ),
            ));
        }
        match image.history.get() {
            Ok(steps) => {
                for step in steps.iter().rev() {
                    let names: Vec<String> = image_history::assigned_names(&step.created_by)
                        .into_iter()
                        .filter(|n| image_history::secret_like(n))
                        .collect();
                    if names.is_empty() {
                        continue;
                    }
                    let kind = match image_history::parse(&step.created_by) {
                        Instruction::Run(_) => "RUN".to_string(),
                        Instruction::Add(_) => "ADD".to_string(),
                        Instruction::Other(k) => k,
                        Instruction::Unknown => "build".to_string(),
                    };
                    findings.push(finding(
                        image_target(image),
                        "A build step assigns credential-like names (values are not shown)",
                        format!("{kind} step sets {}", names.join(", ")),
                        "no secret in build instructions or build arguments",
                        format!(
                            "Check the Dockerfile of {}; use BuildKit secret mounts (`RUN --mount=type=secret`) instead \
                             of ENV/ARG for secrets",
                            image.display_name()
                        ),
                    ));
                }
            }
            Err(u) => findings.push(finding(
                image_target(image),
                "The image history could not be read, so its build steps were not reviewed",
                u.to_string(),
                "a readable history",
                format!("Inspect `docker history --no-trunc {}` by hand", image.display_name()),
            )),
        }
    }
    let summary = if findings.is_empty() {
        format!(
            "No credential-like variable names in the environment or history of the {} local images; \
             confirm no secret is stored in the build files.",
            images.len()
        )
    } else {
        format!(
            "{} of {} images have credential-like names in their environment or build history; confirm none holds \
             a secret (values are never collected).",
            distinct_targets(&findings),
            images.len()
        )
    };
    Outcome::manual(summary, findings)
}

/// 4.11 (review): build steps that switch off package or download verification
/// (`--allow-unauthenticated`, `--nogpgcheck`, `--no-check-certificate`, `curl … | sh`, …) and
/// ADD steps that fetch URLs. Whether packages are verified is for a person to decide from the
/// build files; the history is only a hint.
fn check_4_11(ctx: &Ctx) -> Outcome {
    let images = match review_images(ctx) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let mut findings = Vec::new();
    let mut unreadable = 0;
    for image in &images {
        let Ok(steps) = image.history.get() else {
            unreadable += 1;
            continue;
        };
        for step in steps.iter().rev() {
            let mut markers = image_history::unverified_markers(&step.created_by);
            if let Instruction::Add(args) = image_history::parse(&step.created_by) {
                if args
                    .iter()
                    .any(|a| a.starts_with("http://") || a.starts_with("https://"))
                {
                    markers.push("remote ADD".to_string());
                }
            }
            if markers.is_empty() {
                continue;
            }
            findings.push(finding(
                image_target(image),
                format!("A build step may install unverified content: {}", markers.join(", ")),
                display_step(&step.created_by),
                "packages and downloads verified against signatures or checksums",
                format!(
                    "Check the Dockerfile of {}; keep signature checks on and verify downloads",
                    image.display_name()
                ),
            ));
        }
    }
    let unread = if unreadable > 0 {
        format!(" The history of {unreadable} images could not be read.")
    } else {
        String::new()
    };
    Outcome::manual(
        format!(
            "{} build steps across {} images disable verification or fetch remote content; confirm only verified \
             packages are installed.{unread}",
            findings.len(),
            images.len()
        ),
        findings,
    )
}

/// 4.12 (review): whether build pipelines validate signed artifacts is not visible from the daemon.
fn check_4_12(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "dockaudit has no data source for this: confirm that build pipelines verify the signatures of the \
         artifacts they download before using them.",
        vec![],
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{container, eval, host_with, target_names, unavailable_facts};
    use super::*;
    use crate::snapshot::{Fact, Facts, SelfContainer};
    use dockaudit_shared::report::Status;

    fn image(tag: &str, id: &str) -> Image {
        Image {
            id: id.into(),
            repo_tags: vec![tag.into()],
            healthcheck: Some(vec!["CMD-SHELL".into(), "true".into()]),
            history: Fact::Ok(vec![]),
            ..Image::default()
        }
    }

    fn step(created_by: &str) -> HistoryStep {
        HistoryStep {
            created_by: created_by.into(),
            ..HistoryStep::default()
        }
    }

    fn with_images(images: Vec<Image>) -> Facts {
        let mut f = host_with(vec![]);
        f.images = Fact::Ok(images);
        f
    }

    fn with_history(history: &[&str]) -> Facts {
        let mut i = image("app:1", "sha256:aaaa");
        i.history = Fact::Ok(history.iter().map(|s| step(s)).collect());
        with_images(vec![i])
    }

    #[test]
    fn root_users_are_recognised() {
        for user in ["", "0", "root", "0:0", "root:root", "0:1000", " 00 ", "root:wheel"] {
            assert!(is_root_user(user), "{user:?}");
        }
        for user in ["1000", "app", "1000:0", "nobody:nogroup", "65534"] {
            assert!(!is_root_user(user), "{user:?}");
        }
    }

    #[test]
    fn check_4_1_flags_every_root_form_including_stopped_containers() {
        let mut cs = Vec::new();
        for (name, user) in [
            ("a", Some("0:0")),
            ("b", Some("root:root")),
            ("c", Some("0:1000")),
            ("d", None),
        ] {
            let mut c = container(name);
            c.user = user.map(String::from);
            cs.push(c);
        }
        let mut ok = container("nil-app");
        ok.user = Some("1000:1000".into());
        ok.state.running = true;
        cs.push(ok);
        let o = eval("4.1", &host_with(cs));
        assert_eq!(o.status, Status::Fail, "{}", o.summary);
        assert_eq!(target_names(&o), ["a", "b", "c", "d"]);
        assert!(o.summary.starts_with("4 of 5"), "{}", o.summary);
    }

    #[test]
    fn check_4_1_consults_the_image_user_when_the_container_has_none() {
        let mut c = container("web");
        c.user = Some(String::new());
        let mut f = host_with(vec![c]);
        let mut i = image("busybox:latest", "sha256:1111");
        i.user = Some("app".into());
        f.images = Fact::Ok(vec![i]);
        assert_eq!(eval("4.1", &f).status, Status::Pass);
        let mut nil = container("nil");
        nil.user = Some("1000".into());
        assert_eq!(eval("4.1", &host_with(vec![nil])).status, Status::Pass);
    }

    #[test]
    fn container_checks_need_containers() {
        assert_eq!(eval("4.1", &host_with(vec![])).status, Status::NotApplicable);
        assert_eq!(eval("4.1", &unavailable_facts()).status, Status::Error);
        assert_eq!(eval("4.2", &unavailable_facts()).status, Status::Error);
    }

    #[test]
    fn check_4_6_judges_every_image_and_rejects_healthcheck_none() {
        let mut none = image("none:1", "sha256:bbbb");
        none.healthcheck = Some(vec!["NONE".into()]);
        let mut missing = image("missing:1", "sha256:cccc");
        missing.healthcheck = None;
        let o = eval("4.6", &with_images(vec![image("ok:1", "sha256:aaaa"), none, missing]));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(target_names(&o), ["none:1", "missing:1"]);
        assert_eq!(o.findings[0].target.kind, TargetKind::Image);
        assert_eq!(
            eval("4.6", &with_images(vec![image("ok:1", "sha256:aaaa")])).status,
            Status::Pass
        );
        assert_eq!(eval("4.6", &with_images(vec![])).status, Status::NotApplicable);
        assert_eq!(eval("4.6", &unavailable_facts()).status, Status::Error);
    }

    #[test]
    fn image_used_only_by_dockaudit_is_not_judged() {
        let mut me = container("dockaudit");
        me.image_id = "sha256:self".into();
        let mut f = host_with(vec![me.clone()]);
        f.collection.self_container = Some(SelfContainer {
            id: me.id.clone(),
            ..SelfContainer::default()
        });
        let mut own = image("dockaudit:latest", "sha256:self");
        own.healthcheck = None;
        f.images = Fact::Ok(vec![own, image("ok:1", "sha256:aaaa")]);
        let o = eval("4.6", &f);
        assert_eq!(o.status, Status::Pass, "{}", o.summary);
        assert!(o.summary.contains("of the 1 images"), "{}", o.summary);
    }

    #[test]
    fn check_4_7_cases() {
        let cases: &[(&[&str], Status)] = &[
            (&["/bin/sh -c apt-get update"], Status::Fail),
            (&["RUN /bin/sh -c apk update # buildkit"], Status::Fail),
            (
                &["/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"],
                Status::Pass,
            ),
            (&["/bin/sh -c update-ca-certificates"], Status::Pass),
            (&["/bin/sh -c yum -y update && yum clean all"], Status::Pass),
            (&["/bin/sh -c #(nop)  CMD [\"apt-get\", \"update\"]"], Status::Pass),
        ];
        for (history, want) in cases {
            let o = eval("4.7", &with_history(history));
            assert_eq!(o.status, *want, "{history:?}: {}", o.summary);
        }
    }

    #[test]
    fn check_4_7_long_step_is_read_in_full() {
        let long = format!("/bin/sh -c {} && apt-get update", "echo x ".repeat(40));
        assert_eq!(eval("4.7", &with_history(&[&long])).status, Status::Fail);
    }

    #[test]
    fn history_unavailable_is_an_error_unless_another_image_fails() {
        let mut broken = image("broken:1", "sha256:bbbb");
        broken.history = Fact::unavailable("GET /images/sha256:bbbb/history", "timeout");
        let o = eval("4.9", &with_images(vec![image("ok:1", "sha256:aaaa"), broken.clone()]));
        assert_eq!(o.status, Status::Error, "{}", o.summary);
        assert!(o.summary.contains("broken:1"), "{}", o.summary);
        let mut bad = image("bad:1", "sha256:cccc");
        bad.history = Fact::Ok(vec![step("COPY . / # buildkit"), step("ADD app.tgz /srv # buildkit")]);
        let o = eval("4.9", &with_images(vec![bad, broken]));
        assert_eq!(o.status, Status::Fail);
        assert!(o.summary.contains("could not be read"), "{}", o.summary);
    }

    #[test]
    fn check_4_9_exempts_only_the_base_rootfs() {
        let base = "/bin/sh -c #(nop) ADD file:0a1b2c in / ";
        let cmd = "/bin/sh -c #(nop)  CMD [\"bash\"]";
        let ok = with_history(&[cmd, base]);
        assert_eq!(eval("4.9", &ok).status, Status::Pass);
        let alpine = with_history(&[
            "CMD [\"/bin/sh\"] # buildkit",
            "ADD alpine-minirootfs.tar.gz / # buildkit",
        ]);
        assert_eq!(eval("4.9", &alpine).status, Status::Pass);
        let two = with_history(&["/bin/sh -c #(nop) ADD file:ffff in /etc/x ", cmd, base]);
        let o = eval("4.9", &two);
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.findings.len(), 1);
        let address = with_history(&["/bin/sh -c echo ADDRESS=1 > /etc/env", base]);
        assert_eq!(eval("4.9", &address).status, Status::Pass);
        // An ADD to / that is not the oldest layer is not the base rootfs.
        let late = with_history(&["ADD extra.tar / # buildkit", base]);
        assert_eq!(eval("4.9", &late).status, Status::Fail);
    }

    #[test]
    fn review_checks_report_without_deciding() {
        let mut i = image("app:1", "sha256:aaaa");
        i.env_names = vec!["PATH".into(), "DB_PASSWORD".into()];
        i.history = Fact::Ok(vec![
            step("|1 API_TOKEN=abc /bin/sh -c apt-get install -y --allow-unauthenticated x"),
            step("/bin/sh -c #(nop) ADD file:1 in / "),
        ]);
        let mut c = container("web");
        c.image_id = "sha256:aaaa".into();
        c.image = "app:1".into();
        let mut f = host_with(vec![c]);
        f.images = Fact::Ok(vec![i]);
        for id in ["4.2", "4.3", "4.4", "4.5", "4.8", "4.10", "4.11", "4.12"] {
            let o = eval(id, &f);
            assert_eq!(o.status, Status::Manual, "{id}: {}", o.summary);
            for finding in &o.findings {
                let text = format!("{} {} {}", finding.message, finding.observed, finding.remediation);
                assert!(!text.contains("abc"), "{id} leaks a value: {text}");
            }
        }
        let o = eval("4.10", &f);
        assert_eq!(o.findings.len(), 2);
        assert!(o.findings[0].observed.contains("DB_PASSWORD"));
        assert!(o.findings[1].observed.contains("API_TOKEN"));
        let o = eval("4.2", &f);
        assert_eq!(o.findings.len(), 1);
        assert!(o.findings[0].message.contains("\"web\""));
        assert!(eval("4.11", &f).findings[0].message.contains("--allow-unauthenticated"));
        assert_eq!(
            eval("4.3", &f).findings[0].message,
            "2 history steps, 1 package installs"
        );
    }

    #[test]
    fn check_4_2_names_an_imported_base_layer() {
        let mut i = image("app:1", "sha256:1111");
        i.history = Fact::Ok(vec![HistoryStep {
            comment: "Imported from -".into(),
            ..HistoryStep::default()
        }]);
        let mut f = host_with(vec![container("web")]);
        f.images = Fact::Ok(vec![i]);
        let o = eval("4.2", &f);
        assert!(
            o.findings[0]
                .observed
                .ends_with("oldest layer: no build command (Imported from -)"),
            "{}",
            o.findings[0].observed
        );
        assert_eq!(
            eval("4.2", &host_with(vec![])).status,
            Status::Manual,
            "no containers still needs a reviewer"
        );
    }

    #[test]
    fn check_4_5_reports_the_scanning_environment() {
        let mut f = host_with(vec![]);
        assert!(eval("4.5", &f).findings[0].observed.contains("not set"));
        f.collection.content_trust = Some("1".into());
        let o = eval("4.5", &f);
        assert_eq!(o.status, Status::Manual);
        assert_eq!(o.findings[0].observed, "DOCKER_CONTENT_TRUST=1");
    }

    #[test]
    fn image_review_checks_need_the_image_list() {
        for id in ["4.3", "4.4", "4.8", "4.10", "4.11"] {
            assert_eq!(eval(id, &unavailable_facts()).status, Status::Error, "{id}");
            assert_eq!(eval(id, &with_images(vec![])).status, Status::NotApplicable, "{id}");
        }
    }
}
