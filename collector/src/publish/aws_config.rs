//! Where S3 credentials, region and endpoint come from: the standard AWS environment variables,
//! then the AWS CLI's profile files, as the AWS CLI and SDKs read them.
//!
//! Read (and nothing else): `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//! `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, `AWS_PROFILE`,
//! `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`), `AWS_CONFIG_FILE` (default
//! `~/.aws/config`), and for role credentials the object_store variables
//! `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`) and
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI` (+ `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`).
//! Settings that change how requests are made (plain HTTP, unsigned requests, …) are never taken
//! from the environment: they are command-line flags.
//!
//! The resolution is a pure function of the variables and the two files' text, so it is tested
//! without touching the process environment.

use std::collections::BTreeMap;

/// Credentials and settings resolved from the environment and profile files.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    pub credentials: Credentials,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    /// Where each setting came from, for messages (never the secret values).
    pub sources: Vec<String>,
}

/// How requests will be signed.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// An access key (with a session token for temporary credentials).
    Static {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    },
    /// Role or container credentials that object_store fetches itself (web identity, ECS/EKS):
    /// the variables to hand over.
    Delegated(BTreeMap<String, String>),
    /// Nothing found.
    #[default]
    None,
}

// Debug without secrets: a stray `{:?}` must not print a secret key.
impl std::fmt::Debug for AwsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let creds = match &self.credentials {
            Credentials::Static { .. } => "static",
            Credentials::Delegated(_) => "delegated",
            Credentials::None => "none",
        };
        f.debug_struct("AwsSettings")
            .field("credentials", &creds)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("sources", &self.sources)
            .finish()
    }
}

/// Variables object_store reads itself to fetch role or container credentials.
const DELEGATED: [&str; 6] = [
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// The profile files' text (either may be absent).
#[derive(Debug, Default)]
pub struct ProfileFiles {
    pub credentials: Option<String>,
    pub config: Option<String>,
}

/// Resolves settings from `env` (a variable's value, or `None`) and the profile files.
/// Precedence, as the AWS CLI: environment variables, then the profile's credentials file, then
/// its config file; a profile named by `AWS_PROFILE` that exists in neither file is an error.
pub fn resolve(env: &dyn Fn(&str) -> Option<String>, files: &ProfileFiles) -> Result<AwsSettings, String> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    let explicit_profile = var("AWS_PROFILE");
    let profile = explicit_profile.clone().unwrap_or_else(|| "default".into());
    let creds_section = files.credentials.as_deref().and_then(|t| section(t, &profile));
    let config_name = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    let config_section = files.config.as_deref().and_then(|t| section(t, &config_name));
    if explicit_profile.is_some() && creds_section.is_none() && config_section.is_none() {
        return Err(format!(
            "AWS_PROFILE names the profile {profile:?}, which neither the credentials file nor the config file defines"
        ));
    }
    let from_profile = |key: &str| -> Option<(String, &'static str)> {
        let in_creds = creds_section
            .as_ref()
            .and_then(|s| s.get(key))
            .map(|v| (v.clone(), "credentials file"));
        in_creds.or_else(|| {
            config_section
                .as_ref()
                .and_then(|s| s.get(key))
                .map(|v| (v.clone(), "config file"))
        })
    };

    let mut out = AwsSettings::default();
    match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => {
            out.credentials = Credentials::Static {
                access_key_id: id,
                secret_access_key: secret,
                session_token: var("AWS_SESSION_TOKEN"),
            };
            out.sources
                .push("credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into());
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err("only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set".into());
        }
        (None, None) => {
            if let (Some((id, from)), Some((secret, _))) =
                (from_profile("aws_access_key_id"), from_profile("aws_secret_access_key"))
            {
                out.credentials = Credentials::Static {
                    access_key_id: id,
                    secret_access_key: secret,
                    session_token: from_profile("aws_session_token").map(|(v, _)| v),
                };
                out.sources
                    .push(format!("credentials from profile {profile:?} ({from})"));
            } else {
                let delegated: BTreeMap<String, String> = DELEGATED
                    .iter()
                    .filter_map(|name| var(name).map(|v| (name.to_string(), v)))
                    .collect();
                if !delegated.is_empty() {
                    out.sources.push(format!(
                        "role credentials from {}",
                        delegated.keys().cloned().collect::<Vec<_>>().join(", ")
                    ));
                    out.credentials = Credentials::Delegated(delegated);
                }
            }
        }
    }
    if let Some(region) = var("AWS_REGION") {
        out.region = Some(region);
        out.sources.push("region from AWS_REGION".into());
    } else if let Some(region) = var("AWS_DEFAULT_REGION") {
        out.region = Some(region);
        out.sources.push("region from AWS_DEFAULT_REGION".into());
    } else if let Some((region, from)) = from_profile("region") {
        out.region = Some(region);
        out.sources.push(format!("region from profile {profile:?} ({from})"));
    }
    if let Some(endpoint) = var("AWS_ENDPOINT_URL_S3") {
        out.endpoint = Some(endpoint);
        out.sources.push("endpoint from AWS_ENDPOINT_URL_S3".into());
    } else if let Some(endpoint) = var("AWS_ENDPOINT_URL") {
        out.endpoint = Some(endpoint);
        out.sources.push("endpoint from AWS_ENDPOINT_URL".into());
    } else if let Some((endpoint, from)) = from_profile("endpoint_url") {
        out.endpoint = Some(endpoint);
        out.sources.push(format!("endpoint from profile {profile:?} ({from})"));
    }
    Ok(out)
}

/// The keys of one `[name]` section of an AWS INI file (lower-cased keys, trimmed values;
/// `#`/`;` comment lines and indented continuation lines of nested settings are skipped).
fn section(text: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let ini = ini::Ini::load_from_str_noescape(text).ok()?;
    let props = ini.section(Some(name))?;
    Some(
        props
            .iter()
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect(),
    )
}

/// Reads the profile files the environment points at (missing files are no error).
pub fn read_profile_files(env: &dyn Fn(&str) -> Option<String>) -> ProfileFiles {
    let home = env("HOME").filter(|h| !h.is_empty());
    let path = |var: &str, default: &str| -> Option<std::path::PathBuf> {
        env(var).filter(|p| !p.is_empty()).map(Into::into).or_else(|| {
            home.as_ref()
                .map(|h| std::path::Path::new(h).join(".aws").join(default))
        })
    };
    let read = |p: Option<std::path::PathBuf>| p.and_then(|p| std::fs::read_to_string(p).ok());
    ProfileFiles {
        credentials: read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials")),
        config: read(path("AWS_CONFIG_FILE", "config")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    const CREDS: &str = "[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = s1\n\n[ci]\naws_access_key_id=AKICI\naws_secret_access_key=s2\naws_session_token = tok\n";
    const CONFIG: &str = "[default]\nregion = eu-west-1\n\n[profile ci]\nregion = garage\nendpoint_url = http://127.0.0.1:3900\n\n[profile only-config]\naws_access_key_id = AKICONF\naws_secret_access_key = s3\n";

    fn files() -> ProfileFiles {
        ProfileFiles {
            credentials: Some(CREDS.into()),
            config: Some(CONFIG.into()),
        }
    }

    fn key_id(s: &AwsSettings) -> &str {
        match &s.credentials {
            Credentials::Static { access_key_id, .. } => access_key_id,
            _ => "",
        }
    }

    #[test]
    fn environment_variables_win_over_profiles() {
        let env = env_of(&[
            ("AWS_ACCESS_KEY_ID", "AKIENV"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "ignored"),
            ("AWS_ENDPOINT_URL", "https://s3.example"),
        ]);
        let s = resolve(&env, &files()).unwrap();
        assert_eq!(key_id(&s), "AKIENV");
        assert_eq!(s.region.as_deref(), Some("us-west-2"));
        assert_eq!(s.endpoint.as_deref(), Some("https://s3.example"));
        assert!(!format!("{s:?}").contains("secret"), "Debug never prints secrets");
    }

    #[test]
    fn the_default_profile_and_a_named_profile_are_read() {
        let s = resolve(&env_of(&[]), &files()).unwrap();
        assert_eq!(key_id(&s), "AKIDEFAULT");
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(s.endpoint, None);

        let s = resolve(&env_of(&[("AWS_PROFILE", "ci")]), &files()).unwrap();
        assert_eq!(key_id(&s), "AKICI");
        assert!(matches!(&s.credentials, Credentials::Static { session_token: Some(t), .. } if t == "tok"));
        assert_eq!(s.region.as_deref(), Some("garage"));
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:3900"));

        let s = resolve(&env_of(&[("AWS_PROFILE", "only-config")]), &files()).unwrap();
        assert_eq!(key_id(&s), "AKICONF");
    }

    #[test]
    fn mistakes_are_named() {
        let err = resolve(&env_of(&[("AWS_PROFILE", "nope")]), &files()).unwrap_err();
        assert!(err.contains("\"nope\""), "{err}");
        let err = resolve(&env_of(&[("AWS_ACCESS_KEY_ID", "x")]), &files()).unwrap_err();
        assert!(err.contains("only one"), "{err}");
    }

    #[test]
    fn nothing_found_is_none_and_roles_are_delegated() {
        let s = resolve(&env_of(&[]), &ProfileFiles::default()).unwrap();
        assert!(s.credentials == Credentials::None);
        let s = resolve(
            &env_of(&[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
            ]),
            &ProfileFiles::default(),
        )
        .unwrap();
        assert!(matches!(&s.credentials, Credentials::Delegated(m) if m.len() == 2));
    }
}
