//! The collector as a `FROM scratch` container image (collector/image/Dockerfile), built offline
//! from the static binary alone, run on the test daemon with the documented run line: it must
//! reach the same verdicts as the native binary run on this host, and leave its own container
//! out of the audit.

use std::collections::BTreeMap;
use std::process::Command;

use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::docker::{docker, docker_ok, require_daemon};
use dockaudit_tests::{dockaudit, workspace_root, TempDir};

/// Removes the test's image and container, also when the test fails.
struct Cleanup {
    image: String,
    container: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", &self.container]);
        let _ = docker(&["rmi", "-f", &self.image]);
    }
}

fn statuses(report: &Report) -> BTreeMap<String, Status> {
    report.results.iter().map(|r| (r.id.clone(), r.status)).collect()
}

/// The containers a report names in any finding.
fn named_containers(report: &Report) -> Vec<String> {
    report
        .results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.target.kind.as_str() == "container")
        .map(|f| f.target.name.clone())
        .collect()
}

#[test]
fn the_image_judges_the_host_as_the_native_binary_does() {
    require_daemon();
    let built = Command::new(workspace_root().join("scripts/build-static.sh"))
        .arg("x86_64")
        .output()
        .expect("scripts/build-static.sh runs");
    assert!(
        built.status.success(),
        "static build failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let binary = String::from_utf8_lossy(&built.stdout).trim().to_string();

    let pid = std::process::id();
    let cleanup = Cleanup {
        image: format!("dockaudit-fleet-test/collector:{pid}"),
        container: format!("dockaudit-fleet-test-collector-{pid}"),
    };
    // Offline: the build context is a directory holding the binary and nothing else.
    let context = TempDir::new("collector-image");
    std::fs::copy(&binary, context.join("dockaudit")).unwrap();
    let dockerfile = workspace_root().join("collector/image/Dockerfile");
    docker_ok(&[
        "build",
        "--quiet",
        "-t",
        &cleanup.image,
        "-f",
        dockerfile.to_str().unwrap(),
        context.path().to_str().unwrap(),
    ]);
    // `docker history` also lists the metadata-only steps (LABEL, ENTRYPOINT, CMD); the filesystem
    // is what must hold the binary alone: one layer on top of nothing.
    let layers = docker_ok(&["image", "inspect", "--format", "{{len .RootFS.Layers}}", &cleanup.image]);
    assert_eq!(layers.trim(), "1", "FROM scratch and one COPY: {layers}");

    // Section 4 judges images. The collector leaves its own container out, and with it the image
    // it runs from; when that image is the only one on the daemon, the image run rightly finds no
    // image to judge (`not_applicable`) where the native run judged the collector's image.
    let only_own_image = docker_ok(&["images", "--quiet"]).lines().count() == 1;

    // The native binary on this host first, while the collector's container does not exist.
    let native = dockaudit(&["scan", "--format", "json"]);
    let code = native.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "{}", String::from_utf8_lossy(&native.stderr));
    let native: Report = serde_json::from_slice(&native.stdout).unwrap();

    // The documented run line (README "Audit a fleet").
    let run = docker(&[
        "run",
        "--name",
        &cleanup.container,
        "--pid",
        "host",
        "--cap-add",
        "SYS_PTRACE",
        "--network",
        "none",
        "-v",
        "/:/host:ro",
        "-v",
        "/var/run/docker.sock:/var/run/docker.sock:ro",
        &cleanup.image,
        "scan",
        "--host-root",
        "/host",
        "--format",
        "json",
    ]);
    let in_image: Report = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "the image printed no report ({e}): {}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    assert_eq!(
        run.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // It recognised its own container and left it out …
    let own = in_image
        .run
        .selection
        .excluded
        .iter()
        .find(|e| e.reason.starts_with("dockaudit's own container"))
        .unwrap_or_else(|| panic!("own container not excluded: {:?}", in_image.run.selection.excluded));
    assert_eq!(own.target.name, cleanup.container);
    assert!(!named_containers(&in_image).contains(&cleanup.container));

    // … and otherwise judged every check as the native binary did: host files through /host,
    // processes through the host's PID namespace, the daemon through the socket.
    let differ: Vec<String> = statuses(&native)
        .into_iter()
        .zip(statuses(&in_image))
        .filter(|(a, b)| a != b)
        .filter(|(a, b)| !(only_own_image && a.0.starts_with("4.") && b.1 == Status::NotApplicable))
        .map(|(a, b)| format!("{}: native {:?}, image {:?}", a.0, a.1, b.1))
        .collect();
    assert!(differ.is_empty(), "verdicts differ:\n{}", differ.join("\n"));
    assert!(in_image.host.daemon.is_some() == native.host.daemon.is_some());
    drop(cleanup);
}
