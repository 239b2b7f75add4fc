//! Section 4: build.

use dockaudit_shared::report::Finding;

use crate::checks::context::{container_target, image_target};
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::image_history::{self, display_step, Instruction};
use crate::snapshot::{HistoryStep, Image};

use crate::checks::file_checks::or_return;

use super::*;

/// Evaluates [`cat::IMAGE_USER`] (4.1); the catalogue entry describes the audit.
pub(super) fn image_user(ctx: &Ctx) -> Outcome {
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

pub(super) fn distinct_targets(findings: &[Finding]) -> usize {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.target.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Pass/fail over images; an image whose history could not be read blocks a pass.
pub(super) fn image_verdict(total: usize, findings: Vec<Finding>, unreadable: &[String], what: &str) -> Outcome {
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
pub(super) fn per_image(ctx: &Ctx, what: &str, test: impl Fn(&Image) -> Vec<Finding>) -> Outcome {
    let images = or_return!(audited_images(ctx));
    if images.is_empty() {
        return Outcome::not_applicable("There are no local images on this host.");
    }
    let findings = images.iter().flat_map(|i| test(i)).collect();
    image_verdict(images.len(), findings, &[], what)
}

/// Like [`per_image`] over each image's history; unreadable histories give `error` unless another image fails.
pub(super) fn per_image_history(
    ctx: &Ctx,
    what: &str,
    test: impl Fn(&Image, &[HistoryStep]) -> Vec<Finding>,
) -> Outcome {
    let images = or_return!(audited_images(ctx));
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

/// Evaluates [`cat::UNNECESSARY_PACKAGES`] (4.3); the catalogue entry describes the audit.
pub(super) fn unnecessary_packages(ctx: &Ctx) -> Outcome {
    let images = or_return!(review_images(ctx));
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

/// Evaluates [`cat::IMAGE_HEALTHCHECK`] (4.6); the catalogue entry describes the audit.
pub(super) fn image_healthcheck(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::LONE_UPDATE_INSTRUCTIONS`] (4.7); the catalogue entry describes the audit.
pub(super) fn lone_update_instructions(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::ADD_INSTRUCTIONS`] (4.9); the catalogue entry describes the audit.
pub(super) fn add_instructions(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::SECRETS_IN_HISTORY`] (4.10); the catalogue entry describes the audit.
pub(super) fn secrets_in_history(ctx: &Ctx) -> Outcome {
    let images = or_return!(review_images(ctx));
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

/// Evaluates [`cat::UNVERIFIED_PACKAGES`] (4.11); the catalogue entry describes the audit.
pub(super) fn unverified_packages(ctx: &Ctx) -> Outcome {
    let images = or_return!(review_images(ctx));
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
