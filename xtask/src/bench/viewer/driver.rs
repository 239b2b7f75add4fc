//! The benchmark's WebDriver session: opened through the browser tests' rig
//! (`dockaudit_tests::browser`, fantoccini), with the few calls the measurements need.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use dockaudit_tests::browser::{self, ChromeDriver};
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};

use super::js::WAIT_FOR_ENTRY;

/// One WebDriver session on headless Chromium.
pub struct Session {
    client: Client,
    /// Browser name and version, as the session reports them.
    pub browser: String,
}

impl Session {
    /// Opens a session with a fresh profile in `profile`, with long script and page-load limits
    /// (the largest reports take tens of seconds to load).
    pub async fn open(driver: &ChromeDriver, profile: &Path) -> Result<Self> {
        let caps = browser::chrome_capabilities(profile, &["--disable-extensions"]);
        let client = browser::connect(driver, caps)
            .await
            .context("opening a WebDriver session with headless Chromium")?;
        let text = |key: &str| {
            client
                .capabilities()
                .and_then(|c| c.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let browser = format!(
            "{} {}",
            text("browserName").unwrap_or_else(|| "browser".into()),
            text("browserVersion").unwrap_or_default()
        );
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(180)),
                Some(Duration::from_secs(120)),
                None,
            ))
            .await
            .context("setting WebDriver timeouts")?;
        Ok(Session { client, browser })
    }

    pub async fn navigate(&self, url: &str) -> Result<()> {
        self.client.goto(url).await.context("navigating")
    }

    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client.execute(script, args).await.context("running a script")
    }

    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client
            .execute_async(script, args)
            .await
            .context("running an asynchronous script")
    }

    /// Runs [`WAIT_FOR_ENTRY`]; returns (startTime, duration) of each entry named `name`.
    pub async fn wait_for(
        &self,
        name: &str,
        action: Option<&str>,
        arg: &str,
        timeout_ms: u64,
    ) -> Result<Vec<(f64, f64)>> {
        let args = vec![json!(name), json!(action), json!(arg), json!(timeout_ms)];
        let v = self.execute_async(WAIT_FOR_ENTRY, args).await?;
        if let Some(e) = v["error"].as_str() {
            bail!("in the viewer: {e}");
        }
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["start"].as_f64().unwrap_or(f64::NAN),
                            e["duration"].as_f64().unwrap_or(f64::NAN),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
