//! Section 4: provenance.

use std::collections::BTreeMap;

use dockaudit_shared::report::{Finding, Target, TargetKind};

use crate::checks::context::image_target;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::image_history::display_step;
use crate::snapshot::{short_id, Container};

use crate::checks::file_checks::or_return;

use super::*;

pub(super) fn quoted_names(containers: &[&Container]) -> String {
    containers
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Evaluates [`cat::TRUSTED_BASE_IMAGES`] (4.2); the catalogue entry describes the audit.
pub(super) fn trusted_base_images(ctx: &Ctx) -> Outcome {
    let containers = or_return!(ctx.containers());
    let images = or_return!(ctx.images());
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

/// Evaluates [`cat::IMAGE_PATCHING`] (4.4); the catalogue entry describes the audit.
pub(super) fn image_patching(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::CONTENT_TRUST`] (4.5); the catalogue entry describes the audit.
pub(super) fn content_trust(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::SETUID_BINARIES`] (4.8); the catalogue entry describes the audit.
pub(super) fn setuid_binaries(ctx: &Ctx) -> Outcome {
    let images = or_return!(review_images(ctx));
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

/// Evaluates [`cat::SIGNED_ARTIFACTS`] (4.12); the catalogue entry describes the audit.
pub(super) fn signed_artifacts(_ctx: &Ctx) -> Outcome {
    Outcome::manual(
        "dockaudit has no data source for this: confirm that build pipelines verify the signatures of the \
         artifacts they download before using them.",
        vec![],
    )
}
