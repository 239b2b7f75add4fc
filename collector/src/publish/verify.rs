//! Checking a report before it is published, or before a rebuild trusts a report found in the
//! store: the rules of `dockaudit verify` (`dockaudit_shared::signoff::verify`), applied as a gate.

use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::load::{self, SourceFormat};
use dockaudit_shared::report::Report;
use dockaudit_shared::sshsig::{AllowedSigners, SignatureState};

use super::PublishError;

/// A report that passed: intact, one result per check, its signature (if any) not broken.
#[derive(Debug)]
pub struct Verified {
    pub report: Report,
    /// The digest it carries, equal to the one computed from its content.
    pub digest: String,
    pub signature: SignatureState,
}

/// Seconds since the Unix epoch (signing times after this are refused).
pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Verifies `text`. With `allowed`, a signed report must be signed by an allowed key at a time its
/// entry allows; without, a signature must still verify over the content. `require_signed`
/// refuses reports without a verified signature.
pub fn verify(
    label: &str,
    text: &str,
    allowed: Option<&AllowedSigners>,
    require_signed: bool,
    now: i64,
) -> Result<Verified, PublishError> {
    let refuse = |reason: String| PublishError::Report {
        label: label.to_string(),
        reason,
    };
    let loaded = load::load(text).map_err(|e| refuse(e.to_string()))?;
    if loaded.format == SourceFormat::DockerBenchSecurity {
        return Err(refuse(
            "is a docker-bench-security log; publish the report `dockaudit import` makes of it".into(),
        ));
    }
    let digest = match &loaded.digest {
        DigestCheck::Valid(d) => d.clone(),
        DigestCheck::Mismatch { stored, computed } => {
            return Err(refuse(format!(
                "was modified after it was written (digest {stored}, content {computed}); it is not published"
            )))
        }
        DigestCheck::Missing { .. } => {
            return Err(refuse(
                "has no digest; seal it with `dockaudit convert --to json` before publishing".into(),
            ))
        }
    };
    load::require_unique_results(&loaded.report).map_err(|e| refuse(e.to_string()))?;
    let none = AllowedSigners::default();
    let status = loaded.signature_status(allowed.unwrap_or(&none), now);
    let state = status.state();
    let signed = loaded.report.ssh_signature.is_some();
    let bad = match state {
        SignatureState::Invalid => true,
        SignatureState::Verified | SignatureState::Unsigned => false,
        // Without allowed signers every valid signature reads as "not allowed": nothing to hold it to.
        SignatureState::NotAllowed | SignatureState::OutsideValidity => allowed.is_some(),
    };
    if bad {
        return Err(refuse(format!("its {}; it is not published", status.describe())));
    }
    if require_signed && state != SignatureState::Verified {
        let why = if signed {
            status.describe()
        } else {
            "report is not signed".into()
        };
        return Err(refuse(format!("--require-signed: the {why}")));
    }
    Ok(Verified {
        report: loaded.report,
        digest,
        signature: state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockaudit_shared::report::Status;
    use dockaudit_shared::test_support::report_with;

    fn sealed() -> String {
        let report = report_with(vec![("2.1", Status::Pass, vec![])]);
        dockaudit_shared::digest::seal(&report).unwrap().0
    }

    #[test]
    fn intact_reports_pass_and_changed_or_unsealed_ones_do_not() {
        let v = verify("r.json", &sealed(), None, false, now_unix()).unwrap();
        assert!(v.digest.starts_with("jcs-sha256:"));
        assert_eq!(v.signature, SignatureState::Unsigned);

        let changed = sealed().replace("host-a", "host-b");
        let err = verify("r.json", &changed, None, false, now_unix()).unwrap_err();
        assert!(err.to_string().starts_with("r.json: was modified"), "{err}");

        let unsealed = serde_json::to_string(&report_with(vec![("2.1", Status::Pass, vec![])])).unwrap();
        let err = verify("r.json", &unsealed, None, false, now_unix()).unwrap_err();
        assert!(err.to_string().contains("has no digest"), "{err}");

        let err = verify("r.json", &sealed(), None, true, now_unix()).unwrap_err();
        assert!(err.to_string().contains("not signed"), "{err}");

        let err = verify("x", "{", None, false, now_unix()).unwrap_err();
        assert!(err.to_string().starts_with("x: "), "{err}");
    }

    #[test]
    fn repeated_results_are_refused() {
        let report = report_with(vec![("2.1", Status::Fail, vec![]), ("2.1", Status::Pass, vec![])]);
        let text = dockaudit_shared::digest::seal(&report).unwrap().0;
        let err = verify("r.json", &text, None, false, now_unix()).unwrap_err();
        assert!(err.to_string().contains("more than one result"), "{err}");
    }
}
