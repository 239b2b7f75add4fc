//! Section 4: container images and build files.
//!
//! Image checks judge every local image (`GET /images/json`, inspect and history), not only the
//! ones containers use: an unused image is one `docker run` away from being used. The one
//! exception is an image that only dockaudit's own container uses. History is read in full from the
//! API, so long `CreatedBy` lines are never cut off as in `docker history` output. Evidence
//! quoting a history step hides the values of credential-like assignments.

mod build;
mod provenance;
#[cfg(test)]
mod tests;

use crate::checks::{Ctx, Outcome};
use crate::snapshot::Image;
use dockaudit_shared::catalog::s4_images as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::IMAGE_USER, build::image_user),
    Check::new(&cat::TRUSTED_BASE_IMAGES, provenance::trusted_base_images),
    Check::new(&cat::UNNECESSARY_PACKAGES, build::unnecessary_packages),
    Check::new(&cat::IMAGE_PATCHING, provenance::image_patching),
    Check::new(&cat::CONTENT_TRUST, provenance::content_trust),
    Check::new(&cat::IMAGE_HEALTHCHECK, build::image_healthcheck),
    Check::new(&cat::LONE_UPDATE_INSTRUCTIONS, build::lone_update_instructions),
    Check::new(&cat::SETUID_BINARIES, provenance::setuid_binaries),
    Check::new(&cat::ADD_INSTRUCTIONS, build::add_instructions),
    Check::new(&cat::SECRETS_IN_HISTORY, build::secrets_in_history),
    Check::new(&cat::UNVERIFIED_PACKAGES, build::unverified_packages),
    Check::new(&cat::SIGNED_ARTIFACTS, provenance::signed_artifacts),
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

/// Local images for a review check, or the `error`/`not_applicable` outcome.
fn review_images<'a>(ctx: &Ctx<'a>) -> Result<Vec<&'a Image>, Outcome> {
    let images = audited_images(ctx)?;
    if images.is_empty() {
        return Err(Outcome::not_applicable("There are no local images on this host."));
    }
    Ok(images)
}
