//! The viewer in a real headless Chromium, driven over WebDriver (chromedriver + fantoccini).
//!
//! Each test serves `viewer/dist` and reports generated in code from an in-process static server,
//! starts its own chromedriver (killed with its browser on drop) with a fresh profile, and asserts
//! on `data-testid` attributes. Tests run one at a time (see `browser_lock`). Chromium and
//! chromedriver must be installed: a missing browser fails the tests, it never skips them.

use dockaudit::serve::headers::SECURITY_HEADERS;
use dockaudit_shared::report::{Report, Status};
use dockaudit_shared::test_support as fixtures;
use dockaudit_shared::view::compare::format_delta;
use fantoccini::key::Key;
use serde_json::Value;
use support::{css, with_session, Session};

mod support;

impl Session {
    /// The `data-check-id` of every element matching `selector`, in page order.
    async fn check_ids(&self, selector: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for e in self.client.find_all(css(selector)).await.unwrap_or_default() {
            ids.push(e.attr("data-check-id").await.ok().flatten().unwrap_or_default());
        }
        ids
    }

    /// Waits until the element's text equals `expected`.
    async fn wait_text(&self, selector: &str, expected: &str) {
        let what = format!("{selector} to read {expected:?}");
        self.eventually(&what, || async {
            let e = self.client.find(css(selector)).await.ok()?;
            let t = e.text().await.ok()?;
            (t.trim() == expected).then_some(())
        })
        .await;
    }

    async fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).await.attr(name).await.expect("attribute")
    }

    /// Picks files in the file input, as a person would with the file dialog.
    async fn upload(&self, names: &[&str]) {
        let paths: Vec<String> = names
            .iter()
            .map(|n| self.rig.reports.join(n).display().to_string())
            .collect();
        let input = self.find("[data-testid=file-input]").await;
        input.send_keys(&paths.join("\n")).await.expect("choose files");
    }

    /// Sends keys to the page (not to a field).
    async fn press(&self, keys: &str) {
        self.find("body").await.send_keys(keys).await.expect("keys");
    }

    async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }
}

fn sealed(r: &Report) -> String {
    fixtures::sealed(r)
}

/// Asserts the summary shown equals the report's own.
async fn assert_summary(v: &Session, r: &Report) {
    v.wait_text("[data-testid=score]", &r.summary.score.display()).await;
    v.wait_text("[data-testid=count-total]", &r.summary.counts.total.to_string())
        .await;
    for s in Status::ALL {
        v.wait_text(
            &format!("[data-testid=count-{}]", s.as_str()),
            &r.summary.counts.get(s).to_string(),
        )
        .await;
    }
    let formula = v.attr("[data-testid=score]", "title").await.unwrap_or_default();
    assert!(
        formula.contains("pass ÷ (pass + fail + warn + error)"),
        "score formula on hover: {formula}"
    );
}

#[tokio::test]
async fn loads_a_report_by_url_and_shows_its_summary() {
    let monday = fixtures::monday();
    with_session("viewer", &[("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json").await;
            v.wait_text("[data-testid=hdr-host]", "node-1").await;
            assert_summary(v, &monday).await;
            assert_eq!(v.text("[data-testid=hdr-engine]").await, "Docker 20.10.24 (API 1.41)");
            assert_eq!(v.text("[data-testid=hdr-run]").await, "run-monday");
            assert_eq!(v.text("[data-testid=hdr-when]").await, "2026-01-05T10:00:00Z");
            assert_eq!(
                v.attr("[data-testid=digest-status]", "data-state").await.as_deref(),
                Some("valid")
            );
            assert_eq!(v.count("[data-testid=digest-warning]").await, 0);
            // The tree: seven sections, 117 checks, the failing section counts its failures.
            assert_eq!(v.count("[data-testid=check-row]").await, 117);
            assert_eq!(
                v.text("[data-testid=section-5] [data-testid=section-fail-count]").await,
                "2 fail"
            );
            // The count, then "offending" for screen readers only.
            assert_eq!(
                v.text("[data-check-id='5.11'] [data-testid=check-offenders]")
                    .await
                    .split_whitespace()
                    .next(),
                Some("2")
            );
            assert_eq!(v.count("[data-testid=section-bar-5]").await, 1);
        })
    })
    .await;
}

/// Fetches `url` from the page; resolves to its status and headers.
const FETCH_HEADERS: &str = "const done = arguments[arguments.length - 1];\
    fetch(arguments[0], {cache: 'no-store'}).then(\
      (r) => { const h = {}; r.headers.forEach((v, k) => { h[k] = v; }); done({status: r.status, headers: h}); },\
      (e) => done({status: 0, error: String(e)}));";

/// The page, its code and the reports come from `dockaudit serve`'s own server, behind its token
/// and with its security headers.
#[tokio::test]
async fn the_viewer_is_served_by_dockaudit_serve_with_its_security_headers() {
    let monday = fixtures::monday();
    with_session("viewer", &[("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json").await;
            v.wait_text("[data-testid=hdr-host]", "node-1").await;
            let path = v.client.current_url().await.expect("url").path().to_string();
            assert_eq!(path, format!("/{}/", v.rig.server.token()));
            for resource in ["", "dockaudit_viewer_bg.wasm", "reports/monday.json"] {
                let answer = v
                    .client
                    .execute_async(FETCH_HEADERS, vec![Value::from(resource)])
                    .await
                    .expect("script");
                assert_eq!(answer["status"], 200, "{resource:?}: {answer}");
                for (name, value) in SECURITY_HEADERS {
                    assert_eq!(answer["headers"][name].as_str(), Some(value), "{name} on {resource:?}");
                }
            }
            // The same files without the token are refused.
            for resource in ["/", "/index.html", "/reports/monday.json"] {
                let answer = v
                    .client
                    .execute_async(FETCH_HEADERS, vec![Value::from(resource)])
                    .await
                    .expect("script");
                assert_eq!(answer["status"], 403, "{resource:?}: {answer}");
            }
        })
    })
    .await;
}

#[tokio::test]
async fn loads_several_files_through_the_file_input() {
    let (monday, tuesday) = (fixtures::monday(), fixtures::tuesday());
    with_session(
        "viewer",
        &[("monday.json", sealed(&monday)), ("tuesday.json", sealed(&tuesday))],
        |v| {
            Box::pin(async move {
                v.open("").await;
                v.find("[data-testid=empty]").await;
                v.upload(&["monday.json", "tuesday.json"]).await;
                v.wait_count("[data-testid=source-item]", 2).await;
                // The last file opened is shown.
                v.wait_text("[data-testid=hdr-run]", "run-tuesday").await;
                assert_summary(v, &tuesday).await;
                // The link names the files so a reader knows what to re-open.
                let q = v.query().await;
                assert!(q.contains("file=monday.json") && q.contains("file=tuesday.json"), "{q}");
            })
        },
    )
    .await;
}

#[tokio::test]
async fn dropping_files_on_the_page_opens_them() {
    let tuesday = fixtures::tuesday();
    with_session("viewer", &[], |v| {
        Box::pin(async move {
            v.open("").await;
            v.find("[data-testid=empty]").await;
            // WebDriver cannot drag from the desktop; a synthetic drop carries a real File object.
            let script = "const dt = new DataTransfer();\
                dt.items.add(new File([arguments[0]], 'dropped.json', {type: 'application/json'}));\
                dt.items.add(new File(['not json'], 'junk.json', {type: 'application/json'}));\
                const app = document.querySelector('[data-testid=app]');\
                for (const type of ['dragenter', 'dragover', 'drop']) {\
                  app.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));\
                }";
            v.client
                .execute(script, vec![Value::String(sealed(&tuesday))])
                .await
                .expect("drop");
            v.wait_text("[data-testid=hdr-run]", "run-tuesday").await;
            v.wait_count("[data-testid=load-error]", 1).await;
            assert_eq!(v.texts("[data-testid=load-error-name]").await, ["junk.json"]);
            assert!(v.query().await.contains("file=dropped.json"));
        })
    })
    .await;
}

#[tokio::test]
async fn check_detail_filters_and_url_state_survive_a_reload() {
    let monday = fixtures::monday();
    with_session("viewer", &[("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json").await;
            v.click("[data-testid=check-row][data-check-id='5.11']").await;
            v.find("[data-testid=check-detail][data-check-id='5.11']").await;
            let targets = v.texts("[data-testid=finding-target] .target-name").await;
            assert_eq!(targets, ["web", "db"]);
            assert!(!v.text("[data-testid=detail-rationale]").await.is_empty());
            assert!(!v.text("[data-testid=detail-audit]").await.is_empty());
            assert!(!v.text("[data-testid=detail-remediation]").await.is_empty());
            assert_eq!(
                v.texts("[data-testid=finding-remediation]").await,
                ["Recreate web with the fix.", "Recreate db with the fix."]
            );

            v.click("[data-testid=filter-status-fail]").await;
            v.wait_text("[data-testid=shown-count]", "3 of 117 checks").await;
            v.find("[data-testid=search]")
                .await
                .send_keys("memory")
                .await
                .expect("type");
            v.wait_text("[data-testid=shown-count]", "1 of 117 checks").await;
            assert_eq!(v.count("[data-testid=check-row]").await, 1);
            // Counts beside other values follow the filters.
            v.wait_text("[data-testid=filter-status-fail] .chip-count", "1").await;

            let q = v.query().await;
            for part in ["report=reports/monday.json", "check=5.11", "status=fail", "q=memory"] {
                assert!(q.contains(part), "{part} missing from {q}");
            }
            v.client.refresh().await.expect("reload");
            v.wait_text("[data-testid=shown-count]", "1 of 117 checks").await;
            let value = v.find("[data-testid=search]").await.prop("value").await.expect("value");
            assert_eq!(value.as_deref(), Some("memory"));
            v.find("[data-testid=check-detail][data-check-id='5.11']").await;
            assert_eq!(
                v.texts("[data-testid=finding-target] .target-name").await,
                ["web", "db"]
            );
            assert_eq!(
                v.attr("[data-testid=filter-status-fail]", "aria-pressed")
                    .await
                    .as_deref(),
                Some("true")
            );
        })
    })
    .await;
}

#[tokio::test]
async fn keyboard_moves_opens_closes_and_searches() {
    let monday = fixtures::monday();
    with_session("viewer", &[("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json&status=fail").await;
            v.wait_count("[data-testid=check-row]", 3).await;
            v.press("j").await;
            v.find("[data-testid=check-detail][data-check-id='2.2']").await;
            v.press("j").await;
            v.find("[data-testid=check-detail][data-check-id='5.11']").await;
            v.press(&char::from(Key::Down).to_string()).await;
            v.find("[data-testid=check-detail][data-check-id='5.13']").await;
            v.press("k").await;
            v.find(".check-row.selected[data-check-id='5.11']").await;
            v.press(&char::from(Key::Escape).to_string()).await;
            v.wait_count("[data-testid=check-detail]", 0).await;
            v.press("o").await;
            v.find("[data-testid=check-detail][data-check-id='5.11']").await;
            v.press("/").await;
            let focused = v
                .eval("return document.activeElement && document.activeElement.id;")
                .await;
            assert_eq!(focused, Value::String("search".into()));
        })
    })
    .await;
}

#[tokio::test]
async fn by_target_view_lists_every_check_a_container_fails() {
    let monday = fixtures::monday();
    with_session("viewer", &[("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json&view=targets").await;
            v.click("[data-testid=target-item][data-key='web']").await;
            v.wait_count("[data-testid=target-check]", 2).await;
            let ids = v.check_ids("[data-testid=target-check]").await;
            assert_eq!(ids, ["5.11", "5.13"]);
            assert!(v.query().await.contains("target=web"));
        })
    })
    .await;
}

#[tokio::test]
async fn diff_shows_regressions_and_fixes_at_container_level() {
    let (monday, tuesday) = (fixtures::monday(), fixtures::tuesday());
    let expected = dockaudit_shared::diff::diff(&monday, &tuesday);
    with_session(
        "viewer",
        &[("monday.json", sealed(&monday)), ("tuesday.json", sealed(&tuesday))],
        |v| {
            Box::pin(async move {
                // Newer first in the link: the viewer still takes the older run as the base.
                v.open("report=reports/tuesday.json&report=reports/monday.json&view=diff")
                    .await;
                v.find("[data-testid=diff-group-regressed]").await;
                let regressed = "[data-testid=diff-group-regressed] [data-testid=diff-row][data-check-id='5.5']";
                assert_eq!(
                    v.texts(&format!("{regressed} [data-testid=diff-new-target]")).await,
                    ["+ api"]
                );
                let fixed = "[data-testid=diff-group-fixed] [data-testid=diff-row][data-check-id='2.2']";
                assert_eq!(
                    v.texts(&format!("{fixed} [data-testid=diff-resolved-target]")).await,
                    ["− Docker daemon"]
                );
                let still = "[data-testid=diff-group-still-failing] [data-testid=diff-row][data-check-id='5.11']";
                assert_eq!(
                    v.texts(&format!("{still} [data-testid=diff-new-target]")).await,
                    ["+ cache"]
                );
                assert_eq!(
                    v.texts(&format!("{still} [data-testid=diff-resolved-target]")).await,
                    ["− web"]
                );
                assert_eq!(
                    v.texts(&format!("{still} [data-testid=diff-kept-targets]")).await,
                    ["1 unchanged"]
                );
                assert_eq!(
                    v.count("[data-testid=diff-group-regressed] [data-testid=diff-row]")
                        .await,
                    expected.regressed.len()
                );
                assert_eq!(
                    v.count("[data-testid=diff-group-fixed] [data-testid=diff-row]").await,
                    expected.fixed.len()
                );
                v.wait_text(
                    "[data-testid=diff-score-delta]",
                    &format!("({})", format_delta(expected.score_delta)),
                )
                .await;

                // "Changed only" hides 5.13, which fails on the same container in both runs.
                assert_eq!(v.count("[data-check-id='5.13'][data-testid=diff-row]").await, 1);
                v.click("[data-testid=changed-only]").await;
                v.wait_count("[data-check-id='5.13'][data-testid=diff-row]", 0).await;
                assert!(v.query().await.contains("changed=1"));
                // Swapping turns the regression into a fix.
                v.click("[data-testid=diff-swap]").await;
                v.find("[data-testid=diff-group-fixed] [data-testid=diff-row][data-check-id='5.5']")
                    .await;
            })
        },
    )
    .await;
}

#[tokio::test]
async fn broken_files_get_specific_errors_and_a_docker_bench_log_is_shown() {
    let monday = fixtures::monday();
    let text = sealed(&monday);
    let truncated = text[..text.len() / 2].to_string();
    let files = [
        ("monday.json", text.clone()),
        ("malformed.json", "this is { not json".to_string()),
        ("truncated.json", truncated),
        ("other.json", r#"{"name": "not a report", "items": [1, 2]}"#.to_string()),
        ("docker-bench-security.log.json", fixtures::docker_bench_log()),
    ];
    with_session("viewer", &files, |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json").await;
            v.wait_text("[data-testid=hdr-run]", "run-monday").await;
            let picked = [
                "malformed.json",
                "truncated.json",
                "other.json",
                "docker-bench-security.log.json",
            ];
            v.upload(&picked).await;
            v.wait_count("[data-testid=load-error]", 3).await;
            let names = v.texts("[data-testid=load-error-name]").await;
            let messages = v.texts("[data-testid=load-error-message]").await;
            assert_eq!(names, ["malformed.json", "truncated.json", "other.json"]);
            assert!(messages[0].starts_with("This file is not JSON"), "{}", messages[0]);
            assert!(messages[1].contains("truncated"), "{}", messages[1]);
            assert!(
                messages[2].contains("neither a dockaudit report nor a docker-bench-security log"),
                "{}",
                messages[2]
            );
            // The report loaded before is still there; the docker-bench log was added and shown.
            v.wait_count("[data-testid=source-item]", 2).await;
            let format = v.text("[data-testid=hdr-format]").await;
            assert!(format.contains("docker-bench-security"), "{format}");
            assert_eq!(
                v.attr("[data-testid=digest-status]", "data-state").await.as_deref(),
                Some("missing")
            );
            v.click("[data-testid=check-row][data-check-id='5.5']").await;
            v.find("[data-testid=check-detail][data-check-id='5.5']").await;
            assert_eq!(
                v.texts("[data-testid=finding-target] .target-name").await,
                ["legacy-app", "batch"]
            );
            assert_eq!(
                v.attr("[data-check-id='5.5'] [data-testid=status-badge]", "data-status")
                    .await
                    .as_deref(),
                Some("fail")
            );
            // Going back to the first report still works.
            v.click("[data-testid=source-show]").await;
            v.wait_text("[data-testid=hdr-run]", "run-monday").await;
        })
    })
    .await;
}

#[tokio::test]
async fn digest_mismatch_and_newer_schema_are_explained() {
    let monday = fixtures::monday();
    let tampered = sealed(&monday).replace("icc is true", "icc is fine");
    let mut newer: Value = serde_json::from_str(&sealed(&monday)).expect("json");
    newer["schema_version"] = Value::from(99);
    let files = [("tampered.json", tampered), ("newer.json", newer.to_string())];
    with_session("viewer", &files, |v| {
        Box::pin(async move {
            v.open("report=reports/tampered.json&report=reports/newer.json&report=reports/absent.json&report=https://example.invalid/r.json").await;
            v.find("[data-testid=digest-warning]").await;
            assert_eq!(v.attr("[data-testid=digest-status]", "data-state").await.as_deref(), Some("mismatch"));
            v.wait_count("[data-testid=source-error]", 3).await;
            let errors = v.texts("[data-testid=source-error]").await;
            assert!(errors[0].contains("newer dockaudit (schema 99)"), "{errors:?}");
            assert!(errors[1].contains("404"), "{errors:?}");
            assert!(errors[2].contains("only fetches reports from its own origin"), "{errors:?}");
        })
    })
    .await;
}

#[tokio::test]
async fn hostile_strings_are_shown_literally_and_never_run() {
    // The viewer refuses two results for one check (issue 11), so the repeated one is left out here.
    let mut hostile = fixtures::hostile();
    let mut seen = std::collections::HashSet::new();
    hostile.results.retain(|r| seen.insert(r.id.clone()));
    hostile.refresh_summary();
    let monday = fixtures::monday();
    with_session("viewer", &[("hostile.json", sealed(&hostile)), ("monday.json", sealed(&monday))], |v| {
        Box::pin(async move {
            // Hostile values in the link itself, too.
            let q = "report=reports/monday.json&report=reports/hostile.json&r=1&check=5.5\
                     &q=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D9%22%3E&report=javascript:window.__pwned=5";
            v.open(q).await;
            v.find("[data-testid=check-detail][data-check-id='5.5']").await;
            v.wait_text("[data-testid=hdr-host]", fixtures::HOSTILE[0]).await;
            assert_eq!(v.text("[data-testid=hdr-run]").await, fixtures::HOSTILE[1]);
            assert_eq!(v.text("[data-testid=hdr-engine]").await, format!("Docker {} (API 1.41)", fixtures::HOSTILE[3]));
            let targets = v.texts("[data-testid=finding-target] .target-name").await;
            assert_eq!(targets, fixtures::HOSTILE);
            assert_eq!(v.texts("[data-testid=finding-observed]").await, fixtures::HOSTILE);
            assert_eq!(v.text("[data-testid=detail-summary]").await, fixtures::HOSTILE[1]);
            assert_eq!(v.text("[data-testid=detail-remediation]").await, fixtures::HOSTILE[2]);
            let title = v.text("[data-testid=check-detail] h2").await;
            assert!(title.ends_with(fixtures::HOSTILE[0]), "{title}");
            let search = v.find("[data-testid=search]").await.prop("value").await.expect("value");
            assert_eq!(search.as_deref(), Some("<img src=x onerror=\"window.__pwned=9\">"));
            let errors = v.texts("[data-testid=source-error]").await;
            assert!(errors.iter().any(|e| e.contains("javascript:")), "{errors:?}");

            // Other views render the same strings (without the free text, which matches nothing there).
            v.click("[data-testid=clear-filters]").await;
            v.click("[data-testid=mode-targets]").await;
            v.find("[data-testid=target-list]").await;
            let names = v.texts("[data-testid=target-item] .target-name").await;
            for h in fixtures::HOSTILE {
                assert!(names.iter().any(|n| n == h), "{h} missing from {names:?}");
            }
            v.click("[data-testid=mode-diff]").await;
            let mut new_targets = v.texts("[data-testid=diff-group-regressed] [data-testid=diff-new-target]").await;
            let mut expected: Vec<String> = fixtures::HOSTILE.iter().map(|h| format!("+ {h}")).collect();
            new_targets.sort();
            expected.sort();
            assert_eq!(new_targets, expected);
            v.click("[data-testid=mode-trend]").await;
            v.find("[data-testid=trend-view]").await;
            v.click("[data-testid=mode-report]").await;

            assert_eq!(v.pwned().await, Value::Null, "a payload ran");
            let injected = v
                .eval(
                    "return document.querySelectorAll('body img, body script, body iframe, body object, [onerror], [onload], \
                     a[href^=\"javascript\"], [src^=\"javascript\"]').length;",
                )
                .await;
            assert_eq!(injected, Value::from(0), "report data became markup");
        })
    })
    .await;
}

#[tokio::test]
async fn trend_view_and_theme_toggle() {
    let (monday, tuesday) = (fixtures::monday(), fixtures::tuesday());
    with_session(
        "viewer",
        &[("monday.json", sealed(&monday)), ("tuesday.json", sealed(&tuesday))],
        |v| {
            Box::pin(async move {
                v.open("report=reports/monday.json&report=reports/tuesday.json&view=trend&changed=1")
                    .await;
                v.wait_count("[data-testid=trend-point]", 2).await;
                let rows = v.check_ids("[data-testid=timeline-row]").await;
                assert_eq!(rows, ["2.2", "5.5"]);
                let before = v
                    .eval("return document.documentElement.getAttribute('data-theme');")
                    .await;
                v.click("[data-testid=theme-toggle]").await;
                let after = v
                    .eventually("the theme to change", || async {
                        let now = v
                            .eval("return document.documentElement.getAttribute('data-theme');")
                            .await;
                        (now != before).then_some(now)
                    })
                    .await;
                assert!(matches!(after.as_str(), Some("dark" | "light")), "{after}");
            })
        },
    )
    .await;
}

/// `cargo test -p dockaudit-tests --test viewer_browser -- --ignored screenshots` refreshes the
/// screenshots in docs/screenshots/.
#[tokio::test]
#[ignore = "writes docs/screenshots/*.png; run on demand"]
async fn screenshots() {
    let (monday, tuesday) = (fixtures::monday(), fixtures::tuesday());
    with_session("viewer", 
        &[("monday.json", sealed(&monday)), ("tuesday.json", sealed(&tuesday))],
        |v| {
            Box::pin(async move {
                let out = dockaudit_tests::workspace_root().join("docs/screenshots");
                std::fs::create_dir_all(&out).expect("screenshot dir");
                v.client.set_window_size(1280, 900).await.expect("window size");
                let shots = [
                    (
                        "summary.png",
                        "report=reports/monday.json&report=reports/tuesday.json&r=1",
                        "[data-testid=summary]",
                        "[data-testid=app]",
                    ),
                    (
                        "check-detail.png",
                        "report=reports/monday.json&report=reports/tuesday.json&r=1&status=fail&check=5.11",
                        "[data-testid=check-detail]",
                        "[data-testid=check-detail]",
                    ),
                    (
                        "diff.png",
                        "report=reports/monday.json&report=reports/tuesday.json&view=diff",
                        "[data-testid=diff-group-regressed]",
                        "[data-testid=app]",
                    ),
                ];
                for (name, query, ready, top) in shots {
                    v.open(query).await;
                    v.find(ready).await;
                    let shown = v.find(top).await;
                    // Bring the part that matters into view (the detail sits below the summary).
                    v.client
                        .execute(
                            "arguments[0].scrollIntoView({block: 'start'}); if (window.scrollY > 0) window.scrollBy(0, -8);",
                            vec![serde_json::to_value(&shown).expect("element")],
                        )
                        .await
                        .expect("scroll");
                    let png = v.client.screenshot().await.expect("screenshot");
                    assert!(png.len() < 300 * 1024, "{name} is {} KiB", png.len() / 1024);
                    std::fs::write(out.join(name), png).expect("write screenshot");
                }
            })
        },
    )
    .await;
}
