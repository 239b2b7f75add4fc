//! Where a fleet is published: a local directory or `s3://bucket/prefix`, opened as an
//! object_store store rooted at that prefix.

use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::ObjectStore;

use super::aws_config::{self, AwsSettings, Credentials};
use super::store::Store;
use super::PublishError;

/// A parsed `--to` / `--publish` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A directory (created when missing).
    Directory(PathBuf),
    /// A bucket of an S3-compatible store and a key prefix (no leading or trailing `/`; may be empty).
    S3 { bucket: String, prefix: String },
}

/// How to reach an S3-compatible store; credentials come from the environment and profile files
/// ([`aws_config`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Options {
    /// `--endpoint`: the store's URL (MinIO, Ceph, Garage); default AWS (or the environment's).
    pub endpoint: Option<String>,
    /// `--region`; default from the environment or profile, else `us-east-1`.
    pub region: Option<String>,
    /// `--allow-http`: permit a plain-HTTP endpoint. Never taken from the environment.
    pub allow_http: bool,
    /// `--virtual-hosted-style`: `https://bucket.endpoint/key` instead of path style
    /// (`https://endpoint/bucket/key`, the default, which every S3-compatible store accepts).
    pub virtual_hosted_style: bool,
}

impl Destination {
    /// Parses `s3://bucket[/prefix]` or a directory path. Other URL schemes are refused.
    pub fn parse(text: &str) -> Result<Destination, PublishError> {
        let bad = |why: &str| PublishError::Destination(format!("{text:?}: {why}"));
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket name (expected s3://BUCKET/PREFIX)"));
            }
            let valid_bucket = bucket.len() <= 63
                && bucket
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
            if !valid_bucket {
                return Err(bad(
                    "the bucket name may hold only lowercase letters, digits, '.', '-' and '_'",
                ));
            }
            let prefix = prefix.trim_matches('/');
            let parts_ok = prefix.is_empty()
                || prefix
                    .split('/')
                    .all(|p| !p.is_empty() && p != "." && p != ".." && !p.chars().any(char::is_control));
            if !parts_ok {
                return Err(bad("the prefix has an empty, '.', '..' or control-character segment"));
            }
            return Ok(Destination::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.to_string(),
            });
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(bad(&format!(
                "{scheme}:// is not supported; use a directory or s3://BUCKET/PREFIX"
            )));
        }
        if text.is_empty() {
            return Err(bad("empty destination"));
        }
        Ok(Destination::Directory(PathBuf::from(text)))
    }

    /// Opens the destination, reading S3 credentials from `env` and the profile files.
    pub fn open_with(&self, options: &S3Options, env: &dyn Fn(&str) -> Option<String>) -> Result<Store, PublishError> {
        match self {
            Destination::Directory(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| PublishError::Destination(format!("cannot create {}: {e}", dir.display())))?;
                let fs = LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| PublishError::Destination(format!("{}: {e}", dir.display())))?;
                Ok(Store::new(Arc::new(fs), "", false, dir.display().to_string()))
            }
            Destination::S3 { bucket, prefix } => {
                let files = aws_config::read_profile_files(env);
                let settings = aws_config::resolve(env, &files).map_err(PublishError::Credentials)?;
                let store = s3_store(bucket, options, &settings)?;
                let shown = if prefix.is_empty() {
                    format!("s3://{bucket}")
                } else {
                    format!("s3://{bucket}/{prefix}")
                };
                Ok(Store::new(store, prefix, true, shown))
            }
        }
    }

    /// Opens the destination with the process environment.
    pub fn open(&self, options: &S3Options) -> Result<Store, PublishError> {
        self.open_with(options, &|name| std::env::var(name).ok())
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Directory(d) => write!(f, "{}", d.display()),
            Destination::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Destination::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

fn s3_store(bucket: &str, options: &S3Options, settings: &AwsSettings) -> Result<Arc<dyn ObjectStore>, PublishError> {
    install_tls_provider();
    let endpoint = options.endpoint.clone().or_else(|| settings.endpoint.clone());
    if let Some(url) = &endpoint {
        let plain = url.to_ascii_lowercase().starts_with("http://");
        if plain && !options.allow_http {
            return Err(PublishError::Destination(format!(
                "the endpoint {url} is plain HTTP: credentials and reports would cross the network unencrypted; pass --allow-http if that is intended"
            )));
        }
        if !plain && !url.to_ascii_lowercase().starts_with("https://") {
            return Err(PublishError::Destination(format!(
                "the endpoint {url:?} is not an http:// or https:// URL"
            )));
        }
    }
    let region = options
        .region
        .clone()
        .or_else(|| settings.region.clone())
        .unwrap_or_else(|| "us-east-1".into());
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(region)
        .with_allow_http(options.allow_http)
        .with_virtual_hosted_style_request(options.virtual_hosted_style);
    if let Some(url) = endpoint {
        builder = builder.with_endpoint(url);
    }
    builder = match &settings.credentials {
        Credentials::Static {
            access_key_id,
            secret_access_key,
            session_token,
        } => {
            let b = builder
                .with_access_key_id(access_key_id)
                .with_secret_access_key(secret_access_key);
            match session_token {
                Some(t) => b.with_token(t),
                None => b,
            }
        }
        Credentials::Delegated(vars) => {
            let mut b = builder;
            for (name, value) in vars {
                if let Ok(key) = name.to_ascii_lowercase().parse() {
                    b = b.with_config(key, value);
                }
            }
            b
        }
        // Without credentials object_store would try the EC2 instance metadata service, which
        // hangs for minutes off EC2; say what was looked for instead.
        Credentials::None => {
            return Err(PublishError::Credentials(
                "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in ~/.aws/credentials or ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE), or web-identity/container role variables".into(),
            ))
        }
    };
    let store = builder
        .build()
        .map_err(|e| PublishError::Destination(format!("s3://{bucket}: {e}")))?;
    Ok(Arc::new(store))
}

/// HTTPS to the store goes through rustls with the ring provider (no second crypto stack); it is
/// installed once per process, and an already installed provider is kept.
fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_parse_or_say_why_not() {
        assert_eq!(
            Destination::parse("s3://audits/fleet/prod/").unwrap(),
            Destination::S3 {
                bucket: "audits".into(),
                prefix: "fleet/prod".into()
            }
        );
        assert_eq!(
            Destination::parse("s3://audits").unwrap(),
            Destination::S3 {
                bucket: "audits".into(),
                prefix: String::new()
            }
        );
        assert_eq!(
            Destination::parse("./out").unwrap(),
            Destination::Directory("./out".into())
        );
        for bad in [
            "s3://",
            "s3:///x",
            "s3://Bad_Bucket!/x",
            "s3://b/../x",
            "s3://b/a//c",
            "gs://b/x",
            "https://x/y",
            "",
        ] {
            assert!(Destination::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Destination::parse("s3://audits/fleet").unwrap().to_string(),
            "s3://audits/fleet"
        );
    }

    #[test]
    fn plain_http_needs_allow_http_and_credentials_are_required() {
        let env = |name: &str| match name {
            "AWS_ACCESS_KEY_ID" => Some("GK1".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("s".to_string()),
            "HOME" => Some("/nonexistent".to_string()),
            _ => None,
        };
        let dest = Destination::parse("s3://b/p").unwrap();
        let mut options = S3Options {
            endpoint: Some("http://127.0.0.1:1".into()),
            ..S3Options::default()
        };
        let err = dest.open_with(&options, &env).unwrap_err();
        assert!(err.to_string().contains("--allow-http"), "{err}");
        options.allow_http = true;
        assert!(dest.open_with(&options, &env).is_ok());

        let no_creds = |name: &str| (name == "HOME").then(|| "/nonexistent".to_string());
        let err = dest.open_with(&options, &no_creds).unwrap_err();
        assert!(err.to_string().contains("no S3 credentials"), "{err}");
    }
}
