//! The reviewer's workflow in the real viewer (headless Chromium over WebDriver): a 2,000-container
//! host found by typing, every decision in one table (the per-target false positive of a check that
//! still fails included), a bulk decision, the check tree by keyboard, and the sign-off flow end to
//! end — decide, review, sign with a real SSH key using the command the viewer prints, load the
//! signed file back, export, and verify with `dockaudit signoff verify`.
//!
//! With `SIGNFLOW_SHOTS=<dir>` set, the large-host test saves screenshots of each view it visits
//! in both themes.

use std::process::Command;

use dockaudit_shared::signoff::load::load_signoff;
use dockaudit_shared::test_support as fixtures;
use dockaudit_shared::test_support::large;
use dockaudit_tests::browser::reports::{labelled_fleet, signable};
use dockaudit_tests::{dockaudit_bin, TempDir};
use fantoccini::key::Key;
use serde_json::Value;
use support::with_session;

mod support;

fn large_report() -> String {
    fixtures::sealed(&large::host_report(2000, 1).expect("large report"))
}

#[tokio::test]
async fn a_2000_container_host_is_found_by_typing_and_stays_one_screen_tall() {
    let name = large::container_name(1234);
    with_session("signflow-large", &[("large.json", large_report())], |v| {
        let name = name.clone();
        Box::pin(async move {
            // By target: a search box over a virtualised list.
            v.open("report=reports/large.json&view=targets").await;
            v.find("[data-testid=target-list]").await;
            let rendered = v.count("[data-testid=target-item]").await;
            assert!(rendered < 60, "{rendered} rows rendered of 2,200 targets");
            assert!(v.page_height().await < 3000, "{} px", v.page_height().await);
            v.shots("targets").await;
            v.type_into("[data-testid=target-search]", &name).await;
            v.wait_contains("[data-testid=target-found]", "1 of ").await;
            v.click(&format!("[data-testid=target-item][data-key='{name}']")).await;
            v.find("[data-testid=target-checks]").await;
            let targets = v.texts("[data-testid=target-check] [data-testid=finding-target] .target-name").await;
            assert!(!targets.is_empty());
            assert!(targets.iter().all(|t| t == &name), "{targets:?}");
            v.shots("targets-picked").await;

            // The report's target filter: type, pick from the list; check details follow it.
            v.open("report=reports/large.json").await;
            v.find("[data-testid=check-tree]").await;
            v.type_into("[data-testid=filter-target]", &name[..name.len() - 1]).await;
            v.find("[data-testid=target-options]").await;
            assert!(v.count("[data-testid=target-option]").await <= 51);
            v.click(&format!("[data-testid=target-option][data-key='{name}']")).await;
            v.eventually("the target in the address", || async {
                v.query().await.contains(&format!("target={name}")).then_some(())
            })
            .await;
            let fail = v.find("[data-testid=check-row] .badge.st-fail").await;
            let row = v
                .eval("return document.querySelector('[data-testid=check-row] .badge.st-fail').closest('[data-testid=check-row]').getAttribute('data-check-id');")
                .await;
            drop(fail);
            let id = row.as_str().expect("a failing check").to_string();
            v.click(&format!("[data-testid=check-row][data-check-id='{id}']")).await;
            // (Headings are set in capitals by the style sheet.)
            v.wait_contains("[data-testid=findings-heading]", &format!("ABOUT {}", name.to_uppercase())).await;
            let targets = v.texts("[data-testid=finding-target] .target-name").await;
            assert_eq!(targets, std::slice::from_ref(&name));
            v.shots("report-filtered").await;

            // Without a target: the first 100 findings and "and N more", a page at a time.
            v.open("report=reports/large.json&check=5.3").await;
            v.wait_count("[data-testid=finding-row]", 100).await;
            let more = v.text("[data-testid=findings-more]").await;
            assert!(more.contains("and ") && more.contains(" more"), "{more}");
            v.click("[data-testid=findings-show-more]").await;
            v.wait_count("[data-testid=finding-row]", 200).await;
            v.shots("report-detail").await;

            // The sign-off tab counts instead of listing thousands of names.
            v.open("report=reports/large.json&view=signoff").await;
            v.find("[data-testid=open-items]").await;
            let height = v.page_height().await;
            let status = v.texts("[data-testid=open-item-targets]").await;
            assert!(status.iter().all(|s| s.len() < 200), "{status:?}");
            assert!(height < 20_000, "the sign-off tab is {height} px tall");
            eprintln!("sign-off tab on 2,000 containers: {height} px");
            v.shots("signoff-decide").await;

            // A bulk decision: every web-* offender of 5.11 at once, one entry with its count.
            v.click("[data-testid=open-item][data-check-id='5.11'] [data-testid=open-item-decide]").await;
            v.click("[data-testid=open-item][data-check-id='5.11'] [data-testid=decision-scope] option[value=pattern]")
                .await;
            v.type_into("[data-testid=decision-pattern]", "web-*").await;
            let count = v.wait_contains("[data-testid=decision-pattern-count]", "matches").await;
            v.type_into("[data-testid=decision-justification]", "web tier: memory capped by the VM").await;
            v.click("[data-testid=decision-record]").await;
            v.wait_count("[data-testid=decision-row]", 1).await;
            let n = v.attr("[data-testid=decision-row]", "data-targets").await.unwrap_or_default();
            assert!(count.contains(&format!("matches {n} of")) || n.parse::<usize>().unwrap_or(0) >= 1000, "{count} / {n}");
            assert!(v.text("[data-testid=decision-row-count]").await.starts_with('×'));
            eprintln!("bulk decision: {count}; one entry of {n} decisions");
            v.shots("signoff-bulk").await;
            // Edit the entry: all its decisions change; remove it: all go.
            v.click("[data-testid=decision-row-edit]").await;
            let editor = v.find("[data-testid=edit-justification]").await;
            editor.send_keys(" (confirmed)").await.expect("type");
            v.click("[data-testid=edit-save]").await;
            v.wait_contains("[data-testid=decision-row-justification]", "(confirmed)").await;
            assert_eq!(v.count("[data-testid=decision-row]").await, 1);
            v.click("[data-testid=decision-row-remove]").await;
            v.wait_count("[data-testid=decision-row]", 0).await;
        })
    })
    .await;
}

#[tokio::test]
async fn one_bulk_decision_by_label_covers_exactly_the_offenders_carrying_it() {
    let (report, payments) = labelled_fleet();
    let mut expected = payments.clone();
    expected.sort();
    with_session("signflow-label", &[("labelled.json", fixtures::sealed(&report))], |v| {
        let expected = expected.clone();
        Box::pin(async move {
            v.open("report=reports/labelled.json&check=5.11").await;
            v.find("[data-testid=decision-panel]").await;
            v.click("[data-testid=decision-scope] option[value=label]").await;
            // Before anything is typed: how to write one, no error.
            v.wait_contains("[data-testid=decision-pattern-count]", "key=value")
                .await;
            assert_eq!(v.count("[data-testid=decision-error]").await, 0);
            // A key alone matches every labelled offender; a value narrows; a glob on the value too.
            v.type_into("[data-testid=decision-label]", "team").await;
            v.wait_contains("[data-testid=decision-pattern-count]", "matches 30 of 30 targets")
                .await;
            v.type_into("[data-testid=decision-label]", "=pay*").await;
            v.wait_contains(
                "[data-testid=decision-pattern-count]",
                &format!("matches {} of 30 targets", expected.len()),
            )
            .await;
            v.type_into(
                "[data-testid=decision-justification]",
                "payments: memory is capped by the VM",
            )
            .await;
            v.click("[data-testid=decision-record]").await;
            v.wait_count("[data-testid=decision-item]", 1).await;
            assert_eq!(
                v.attr("[data-testid=decision-item]", "data-targets").await,
                Some(expected.len().to_string())
            );
            // Exactly the labelled containers are decided in the findings table, no other.
            v.wait_count("[data-testid=finding-decided]", expected.len()).await;
            let mut decided = v.texts("[data-testid=finding-row].decided .target-name").await;
            decided.sort();
            assert_eq!(decided, expected);
            v.wait_attr("[data-testid=effective-status]", "data-effective", "fail")
                .await;
            // One entry in the decisions table, with its count.
            v.click("[data-testid=mode-signoff]").await;
            v.wait_count("[data-testid=decision-row]", 1).await;
            assert_eq!(
                v.attr("[data-testid=decision-row]", "data-targets").await,
                Some(expected.len().to_string())
            );
            v.shots("signoff-label").await;
            // "By target" shows a container's labels, what the selector matched on.
            v.open(&format!(
                "report=reports/labelled.json&view=targets&target={}",
                expected[0]
            ))
            .await;
            let shown = v.texts("[data-testid=target-labels] [data-testid=target-label]").await;
            assert!(shown.contains(&"team=payments".to_string()), "{shown:?}");
        })
    })
    .await;
}

#[tokio::test]
async fn a_report_without_labels_says_so_instead_of_offering_them() {
    let monday = fixtures::sealed(&fixtures::monday());
    with_session("signflow-nolabel", &[("monday.json", monday)], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json&check=5.11").await;
            v.find("[data-testid=decision-panel]").await;
            let option = "[data-testid=decision-scope] option[value=label]";
            assert_eq!(v.attr(option, "disabled").await.as_deref(), Some("true"));
            assert!(v.text(option).await.contains("carries no labels"));
        })
    })
    .await;
}

#[tokio::test]
async fn the_decisions_table_shows_a_false_positive_for_one_target_of_a_check_still_failing() {
    let monday = fixtures::sealed(&fixtures::monday());
    with_session("signflow-table", &[("monday.json", monday)], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json&check=5.11").await;
            v.find("[data-testid=decision-panel]").await;
            v.click("[data-testid=decision-scope] option[value='0']").await;
            v.click("[data-testid=decision-kind] option[value=false_positive]")
                .await;
            v.type_into(
                "[data-testid=decision-justification]",
                "web: the limit is set by systemd",
            )
            .await;
            v.click("[data-testid=decision-record]").await;
            v.wait_count("[data-testid=decision-item]", 1).await;
            // Marked in the tree (partly: db still fails) and in the findings table (web only).
            assert_eq!(
                v.text("[data-testid=check-row][data-check-id='5.11'] [data-testid=check-decided]")
                    .await
                    .trim(),
                "partly decided"
            );
            assert_eq!(v.count("[data-testid=finding-decided]").await, 1);
            assert_eq!(
                v.attr("[data-testid=finding-decided]", "data-kind").await.as_deref(),
                Some("false_positive")
            );

            v.click("[data-testid=mode-signoff]").await;
            v.find("[data-testid=decisions-table]").await;
            v.wait_count("[data-testid=decision-row]", 1).await;
            let row = "[data-testid=decision-row][data-check-id='5.11']";
            assert_eq!(v.attr(row, "data-kind").await.as_deref(), Some("false_positive"));
            assert_eq!(v.attr(row, "data-scope").await.as_deref(), Some("web"));
            assert_eq!(
                v.text(&format!("{row} [data-testid=decision-row-state]")).await.trim(),
                "applied"
            );
            assert_eq!(
                v.text(&format!("{row} [data-testid=decision-row-justification]"))
                    .await
                    .trim(),
                "web: the limit is set by systemd"
            );
            // The check is still open for db.
            v.wait_contains("[data-testid=open-item][data-check-id='5.11']", "container db")
                .await;
            v.shots("decisions-table").await;
        })
    })
    .await;
}

#[tokio::test]
async fn the_check_tree_is_one_tab_stop_moved_with_arrows() {
    let monday = fixtures::sealed(&fixtures::monday());
    with_session("signflow-keys", &[("monday.json", monday)], |v| {
        Box::pin(async move {
            v.open("report=reports/monday.json").await;
            v.find("[role=tree]").await;
            assert_eq!(v.count("[role=tree] [role=treeitem][tabindex='0']").await, 1);
            v.eval("document.querySelector('[data-testid=skip-check-tree]').focus(); return 1;")
                .await;
            v.keys(&char::from(Key::Enter).to_string()).await;
            assert_eq!(v.focused().await.0, "g:1");
            assert_eq!(v.attr("[data-node='g:1']", "aria-level").await.as_deref(), Some("1"));
            assert_eq!(
                v.attr("[data-node='g:1']", "aria-expanded").await.as_deref(),
                Some("true")
            );
            v.keys(&char::from(Key::Down).to_string()).await;
            let second = v.focused().await.0;
            assert_ne!(second, "g:1");
            assert_eq!(v.count("[role=tree] [role=treeitem][tabindex='0']").await, 1);
            v.keys(&char::from(Key::Up).to_string()).await;
            assert_eq!(v.focused().await.0, "g:1");
            v.keys(&char::from(Key::Left).to_string()).await;
            v.eventually("section 1 to close", || async {
                (v.attr("[data-node='g:1']", "aria-expanded").await.as_deref() == Some("false")).then_some(())
            })
            .await;
            v.keys(&char::from(Key::End).to_string()).await;
            let last = v.focused().await.0;
            v.keys(&char::from(Key::Home).to_string()).await;
            assert_eq!(v.focused().await.0, "g:1");
            assert_ne!(last, "g:1");
            // Into section 5 and down to a check, then open it: the focus moves into the detail.
            v.keys(&char::from(Key::Right).to_string()).await;
            v.eventually("section 1 to open", || async {
                (v.attr("[data-node='g:1']", "aria-expanded").await.as_deref() == Some("true")).then_some(())
            })
            .await;
            v.keys(&char::from(Key::Right).to_string()).await;
            let mut node = v.focused().await.0;
            for _ in 0..20 {
                if node.starts_with("c:") {
                    break;
                }
                v.keys(&char::from(Key::Down).to_string()).await;
                node = v.focused().await.0;
            }
            let id = node.strip_prefix("c:").expect("a check row").to_string();
            v.keys(&char::from(Key::Enter).to_string()).await;
            v.find(&format!("[data-testid=check-detail][data-check-id='{id}']"))
                .await;
            v.eventually("the focus in the detail", || async {
                (v.focused().await.1 == "check-detail").then_some(())
            })
            .await;
            assert_eq!(
                v.attr(&format!("[data-node='c:{id}']"), "aria-selected")
                    .await
                    .as_deref(),
                Some("true")
            );
        })
    })
    .await;
}

fn run(cmd: &mut Command) -> (i32, String) {
    let o = cmd.env("NO_COLOR", "1").output().expect("command runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), text)
}

#[tokio::test]
async fn a_reviewer_decides_reviews_signs_with_ssh_and_exports_in_few_steps() {
    let report = fixtures::sealed(&signable());
    let keys = TempDir::new("signflow-keys");
    let key = keys.join("ada");
    let (code, out) = run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f"])
        .arg(&key));
    assert_eq!(code, 0, "{out}");
    let public = std::fs::read_to_string(keys.join("ada.pub")).expect("public key");
    let allowed = keys.join("allowed_signers");
    std::fs::write(
        &allowed,
        format!("ada@example.org namespaces=\"dockaudit-signoff\" {public}"),
    )
    .expect("allowed");
    std::fs::write(keys.join("report.json"), &report).expect("report");
    with_session("signflow-flow", &[("signable.json", report)], |v| {
        let (key, allowed, keys) = (key.clone(), allowed.clone(), keys.path().to_path_buf());
        Box::pin(async move {
            // Every click, typed field, file picked and command run counts as one step.
            let mut steps = 0;
            v.open("report=reports/signable.json").await;
            v.click("[data-testid=mode-signoff]").await;
            steps += 1;
            assert_eq!(
                v.attr("[data-testid=signoff-view]", "data-step").await.as_deref(),
                Some("decide")
            );
            // Nothing was touched: no error shows.
            assert_eq!(v.count(".form-error, [data-testid=decision-error]").await, 0);
            // Decide: the first open item's form is open; a justification and "record" each.
            v.wait_count("[data-testid=open-item]", 2).await;
            for (i, why) in ["memory is capped by the VM", "verified on the host"]
                .into_iter()
                .enumerate()
            {
                v.find("[data-testid=open-item] [data-testid=decision-form]").await;
                v.type_into("[data-testid=open-item] [data-testid=decision-justification]", why)
                    .await;
                v.click("[data-testid=open-item] [data-testid=decision-record]").await;
                steps += 2;
                v.wait_count("[data-testid=open-item]", 1 - i).await;
            }
            // The last open item decided, the flow moves on to Review by itself.
            v.eventually("the review step", || async {
                (v.attr("[data-testid=signoff-view]", "data-step").await.as_deref() == Some("review")).then_some(())
            })
            .await;
            v.wait_count("[data-testid=decision-row]", 2).await;
            // Review: the overall decision offered is one that can be signed; the button says why
            // it is disabled until name and role are typed.
            v.find("[data-testid=signing-summary]").await;
            let decision = v
                .eval("return document.querySelector('[data-testid=signer-decision]').value;")
                .await;
            assert_eq!(decision, Value::String("approved_with_exceptions".into()));
            assert_eq!(
                v.attr("[data-testid=signer-submit]", "disabled").await.as_deref(),
                Some("true")
            );
            assert_eq!(
                v.text("[data-testid=sign-hint]").await.trim(),
                "Type your name and role."
            );
            v.shots("signoff-review").await;
            v.type_into("[data-testid=signer-name]", "Ada Reviewer").await;
            v.type_into("[data-testid=signer-role]", "Security lead").await;
            steps += 2;
            // The form is kept as typed: a reload brings it back.
            v.client.refresh().await.expect("reload");
            v.click("[data-testid=step-review]").await;
            let name = v
                .find("[data-testid=signer-name]")
                .await
                .prop("value")
                .await
                .expect("value");
            assert_eq!(name.as_deref(), Some("Ada Reviewer"));
            v.click("[data-testid=signer-submit]").await;
            steps += 1;
            // Sign: the file was saved; run the command the viewer prints (with the test key).
            v.find("[data-testid=sign-step]").await;
            let command = v.text("[data-testid=sign-command]").await;
            let file = v.rig.downloads.join("signoff-node-7-2026-01-09.json");
            v.eventually("the file to sign", || async {
                std::fs::read_to_string(&file).ok().filter(|t| t.ends_with('\n'))
            })
            .await;
            let mut words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
            assert_eq!(words.first().map(String::as_str), Some("dockaudit"), "{command}");
            words.remove(0);
            for w in &mut words {
                if w == "~/.ssh/id_ed25519" {
                    *w = key.display().to_string();
                }
            }
            let (code, out) = run(Command::new(dockaudit_bin())
                .args(&words)
                .current_dir(v.rig.downloads.path()));
            steps += 1;
            assert_eq!(code, 0, "{command}: {out}");
            let signed = keys.join("signed.json");
            std::fs::rename(&file, &signed).expect("move the signed file");
            v.pick("[data-testid=allowed-import-input]", &allowed).await;
            v.pick("[data-testid=signed-import-input]", &signed).await;
            steps += 1;
            // Loaded back: verified in the browser, and the flow moves on to Export.
            v.find("[data-testid=export-step]").await;
            v.wait_contains("[data-testid=signoff-signature]", "signed by ada@example.org")
                .await;
            v.shots("signoff-export").await;
            v.click("[data-testid=export-download]").await;
            let exported = v
                .eventually("the exported sign-off", || async {
                    std::fs::read_to_string(&file).ok().filter(|t| t.ends_with('\n'))
                })
                .await;
            assert!(load_signoff(&exported).expect("loads").signoff.ssh_signature.is_some());
            let (code, out) = run(Command::new(dockaudit_bin())
                .arg("signoff")
                .arg("verify")
                .arg(keys.join("report.json"))
                .arg(&file)
                .arg("--allowed-signers")
                .arg(&allowed));
            assert_eq!(code, 0, "{out}");
            assert!(out.contains("VALID"), "{out}");
            eprintln!("sign-off flow: {steps} steps from the Sign-off tab to a verified, exported sign-off");
            assert!(steps <= 10, "{steps} steps");
        })
    })
    .await;
}
