//! Section 6: security operations (image and container sprawl).
//!
//! Both recommendations ask a person to judge what is still needed, so both checks are reviews.
//! Sprawl is a property of the whole host, so they look at every container, not only the ones the
//! user selected.

mod sprawl;
#[cfg(test)]
mod tests;

use dockaudit_shared::catalog::s6_operations as cat;

use super::registry::Check;

/// This section's checks in benchmark order, each joined to its catalogue entry.
pub(super) static CHECKS: &[Check] = &[
    Check::new(&cat::IMAGE_SPRAWL, sprawl::image_sprawl),
    Check::new(&cat::CONTAINER_SPRAWL, sprawl::container_sprawl),
];
