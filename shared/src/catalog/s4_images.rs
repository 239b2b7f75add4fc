//! Section 4 of CIS Docker Benchmark v1.6.0: container images and build files.

use super::{Assessment, CheckMeta, Evaluation, Severity};

/// 4.1: Ensure that a user for the container has been created.
pub static IMAGE_USER: CheckMeta = CheckMeta {
    id: "4.1",
    section: "4",
    subsection: None,
    title: "Ensure that a user for the container has been created",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Medium,
    rationale: "A process running as UID 0 in a container is the host's UID 0 unless user-namespace remapping is active. A kernel bug, a writable host mount or an extra capability then turns a compromise of the application into full control of the host. Declaring an unprivileged user in the image makes least privilege the default for every container started from it.",
    audit: "For every running and stopped container, dockaudit reads `Config.User` from `GET /containers/{id}/json` (the image's USER or the `--user` override) and fails the container when it resolves to UID 0: empty, `0`, `root`, or any `0:<group>` / `root:<group>` form such as `0:0`, `root:root` or `0:1000`.",
    remediation: "Create a dedicated account in the Dockerfile and switch to it, e.g. `RUN useradd --system --uid 10001 app` followed by `USER 10001:10001`, or start the container with `docker run --user 10001:10001`.",
    impact: "Software that expects root at start-up (binding ports below 1024, writing to system paths, changing file ownership) must be adapted, e.g. by setting ownership at build time or adding one specific capability.",
    notes: "docker-bench-security flags only \"\", \"0\" and \"root\", so `0:0`, `root:root` and `0:1000` pass there; Dockle likewise ignores `0` and `0:0`. dockaudit judges the user part before the colon. aqua execs `cat /proc/1/status` inside each container, which is intrusive and needs `cat` in the image. Images that drop root later via gosu or su-exec still report root in `Config.User` and are flagged.",
};

/// 4.2: Ensure that containers use only trusted base images.
pub static TRUSTED_BASE_IMAGES: CheckMeta = CheckMeta {
    id: "4.2",
    section: "4",
    subsection: None,
    title: "Ensure that containers use only trusted base images",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "An image from an unknown publisher can carry malware, backdoors or long-unpatched software, and every image built on top of it inherits that content. Where an image came from cannot be proven from the image alone.",
    audit: "A person decides. dockaudit lists the local images with their tags and digests (`GET /images/json`) and the image each running or stopped container was created from, so the reviewer can compare them with the approved sources.",
    remediation: "Build only from official or verified-publisher images or from an internal curated registry, pin base images by digest (`FROM debian:12@sha256:<digest>`), and verify publisher signatures where they exist.",
    impact: "Curating and mirroring approved base images is ongoing work and can delay adoption of new upstream releases.",
    notes: "No peer can decide trust automatically. docker-bench-security prints only a note; dev-sec checks `DOCKER_CONTENT_TRUST` in the scanner's own environment, which says nothing about the images present.",
};

/// 4.3: Ensure that unnecessary packages are not installed in the container.
pub static UNNECESSARY_PACKAGES: CheckMeta = CheckMeta {
    id: "4.3",
    section: "4",
    subsection: None,
    title: "Ensure that unnecessary packages are not installed in the container",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Low,
    rationale: "Every extra binary, shell or library enlarges the attack surface and the set of components that need patching. Compilers, package managers and network tools left in an image also help an attacker after a compromise.",
    audit: "A person decides what the workload needs. dockaudit reports the image list and each image's build history (`GET /images/{id}/history`) as context; it does not inventory installed packages.",
    remediation: "Start from minimal bases (distroless, `-slim` variants, Alpine or `scratch`), install with `apt-get install --no-install-recommends`, and use multi-stage builds so build tools stay out of the final stage.",
    impact: "Minimal images lack a shell and debugging tools, so troubleshooting needs a separate debug image or sidecar container.",
    notes: "",
};

/// 4.4: Ensure images are scanned and rebuilt to include security patches.
pub static IMAGE_PATCHING: CheckMeta = CheckMeta {
    id: "4.4",
    section: "4",
    subsection: None,
    title: "Ensure images are scanned and rebuilt to include security patches",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "An image freezes the packages present at build time, so known vulnerabilities accumulate as it ages. Patching inside a running container is lost when it is recreated; only rebuilding the image and redeploying removes the flaw for good.",
    audit: "A person decides, using the results of a vulnerability scanner. dockaudit lists local images with their creation time (`Created` in `GET /images/json`) to point out stale images, but does not scan them.",
    remediation: "Scan images in CI and on a schedule (e.g. `trivy image <ref>`), rebuild with `docker build --pull --no-cache` when fixes are published, and recreate the containers from the new images.",
    impact: "Frequent rebuilds need automated tests and a rollout process; updated packages can change application behaviour.",
    notes: "Trivy's compliance mode reduces this to \"no CRITICAL vulnerability\", ignoring rebuild cadence and lower severities. dockaudit leaves the judgement to the reviewer.",
};

/// 4.5: Ensure Content trust for Docker is Enabled.
pub static CONTENT_TRUST: CheckMeta = CheckMeta {
    id: "4.5",
    section: "4",
    subsection: None,
    title: "Ensure Content trust for Docker is Enabled",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Without signature verification, a compromised registry or a network attacker can serve tampered image tags that the client accepts silently. Content trust makes the Docker client refuse unsigned or wrongly signed tags when pulling, building, creating and running.",
    audit: "A person decides. Content trust is a client-side setting, so dockaudit only reports whether `DOCKER_CONTENT_TRUST=1` was set in the environment the scan ran in, which may differ from the environments of the users and pipelines that actually pull images.",
    remediation: "Set `export DOCKER_CONTENT_TRUST=1` in the shells, CI jobs and service environments that run `docker pull` or `docker run`, or enforce signatures centrally with a signing and admission tool such as Notation or cosign policies.",
    impact: "Unsigned images, including many community images, can no longer be pulled by that client. Notary v1 is deprecated, so signing infrastructure needs planning.",
    notes: "docker-bench-security scores the variable as seen in its own process, which is meaningless inside its container unless passed with `-e`; dockaudit reports it only as context and never scores it.",
};

/// 4.6: Ensure that HEALTHCHECK instructions have been added to container images.
pub static IMAGE_HEALTHCHECK: CheckMeta = CheckMeta {
    id: "4.6",
    section: "4",
    subsection: None,
    title: "Ensure that HEALTHCHECK instructions have been added to container images",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "Without a health check the engine only knows that the main process exists, not that the service responds. A hung or degraded service then stays in use, hurting availability, and orchestrators cannot replace it automatically.",
    audit: "For every local image (except one used only by dockaudit's own container), dockaudit reads `Config.Healthcheck` from `GET /images/{id}/json` and fails the image when it is absent, empty or its test is `NONE` (`HEALTHCHECK NONE`).",
    remediation: "Add a probe to the Dockerfile, e.g. `HEALTHCHECK --interval=30s --timeout=5s CMD wget -qO- http://localhost:8080/health || exit 1`.",
    impact: "Probes use a little CPU and need a suitable binary in the image; a poorly chosen probe can mark a working container unhealthy.",
    notes: "docker-bench-security and Dockle accept `HEALTHCHECK NONE`, which explicitly switches checking off; dockaudit treats it as missing. docker-bench-security also judges every local image, including ones no container uses.",
};

/// 4.7: Ensure update instructions are not used alone in Dockerfiles.
pub static LONE_UPDATE_INSTRUCTIONS: CheckMeta = CheckMeta {
    id: "4.7",
    section: "4",
    subsection: None,
    title: "Ensure update instructions are not used alone in Dockerfiles",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "A RUN step that only refreshes the package index is cached as its own layer. Later builds reuse the stale index, so an install in a following step may get outdated package versions or fail, and security fixes are silently missed.",
    audit: "For every local image, dockaudit reads the full `CreatedBy` text of every step in `GET /images/{id}/history` and fails the image when a RUN step only refreshes a package index (e.g. `apt-get update`, `apk update`, `yum`/`dnf makecache`, `zypper refresh`) with no install or upgrade later in the same step. `yum update`/`dnf update` install packages and count as upgrades; `update-ca-certificates` is not an index refresh.",
    remediation: "Refresh and install in one RUN, e.g. `RUN apt-get update && apt-get install -y --no-install-recommends <pkg> && rm -rf /var/lib/apt/lists/*`, or use `apk add --no-cache <pkg>`.",
    impact: "The combined step is rebuilt whenever its package list changes, so builds take slightly longer.",
    notes: "docker-bench-security greps \"update\" in truncated `docker history` output: it misses long lines and flags both `update-ca-certificates` and the recommended `update && install` pattern. Dockle only understands apt. History cannot tell steps inherited from the base image apart, so a finding may come from upstream.",
};

/// 4.8: Ensure setuid and setgid permissions are removed.
pub static SETUID_BINARIES: CheckMeta = CheckMeta {
    id: "4.8",
    section: "4",
    subsection: None,
    title: "Ensure setuid and setgid permissions are removed",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Executables with the setuid or setgid bit run with their owner's or group's rights, so a flaw in any of them can lift an unprivileged user to root inside the container. Most services need none of them.",
    audit: "A person decides. Finding these files needs the image layers to be exported and unpacked, which dockaudit does not do; the reviewer can list them with `docker run --rm --entrypoint find <image> / -xdev -perm /6000 -type f`.",
    remediation: "Clear the bits at build time, keeping only those the workload needs, e.g. `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, and run containers with `--security-opt no-new-privileges` so any left cannot raise privileges.",
    impact: "Tools that rely on the bits, such as `su`, `passwd` or `sudo`, stop working for non-root users.",
    notes: "docker-bench-security only prints a note. Dockle (CIS-DI-0008) lists such files at INFO level.",
};

/// 4.9: Ensure that COPY is used instead of ADD in Dockerfiles.
pub static ADD_INSTRUCTIONS: CheckMeta = CheckMeta {
    id: "4.9",
    section: "4",
    subsection: None,
    title: "Ensure that COPY is used instead of ADD in Dockerfiles",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Automatic,
    severity: Severity::Low,
    rationale: "ADD can fetch remote URLs and silently unpack local archives, so content can enter the image without review and extraction adds path-traversal and decompression risks. COPY only copies files from the build context and is predictable.",
    audit: "For every local image, dockaudit reads the full `CreatedBy` text of every step in `GET /images/{id}/history` and fails the image when any step is an ADD instruction other than the base root filesystem layer (the oldest non-empty layer when it adds into `/`, e.g. `ADD file:<hash> in /`).",
    remediation: "Replace `ADD` with `COPY` for local files. Download remote content in a RUN step with a checksum check (`curl -fsSLo app.tgz <url> && echo \"<sha256>  app.tgz\" | sha256sum -c -`) and unpack it explicitly.",
    impact: "Archives must be unpacked explicitly, which may need curl or tar in a build stage.",
    notes: "docker-bench-security ignores only the oldest history line and matches \"ADD\" anywhere (e.g. in \"ADDRESS\"), so base images built from several ADD layers are flagged; Dockle and Trivy have similar base-layer false positives. BuildKit `ADD --checksum` cannot be recognised in history and is still reported.",
};

/// 4.10: Ensure secrets are not stored in Dockerfiles.
pub static SECRETS_IN_HISTORY: CheckMeta = CheckMeta {
    id: "4.10",
    section: "4",
    subsection: None,
    title: "Ensure secrets are not stored in Dockerfiles",
    level: 1,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::High,
    rationale: "Anything written into a Dockerfile, build argument, ENV or layer can be read by anyone able to pull the image, through `docker history` or by unpacking the layers, even if a later step deletes it. Leaked credentials outlive the image and are hard to trace.",
    audit: "A person decides. dockaudit lists `Config.Env` variable names (never their values) and image history steps (`GET /images/{id}/history`) whose names or text look like credentials, such as PASSWORD, SECRET, TOKEN or KEY, for the reviewer to confirm.",
    remediation: "Pass build-time secrets with BuildKit (`RUN --mount=type=secret,id=npmrc ...` and `docker build --secret id=npmrc,src=$HOME/.npmrc`) and runtime secrets as Docker secrets or mounted files; rotate any credential already baked into an image.",
    impact: "Build pipelines must supply secrets through the builder, and images that relied on baked-in configuration need a runtime secret source.",
    notes: "Dockle (CIS-DI-0010) and Trivy's secret scanner decide this automatically but are very noisy (e.g. `GPG_KEY`, test fixtures); dockaudit only surfaces candidates.",
};

/// 4.11: Ensure only verified packages are installed.
pub static UNVERIFIED_PACKAGES: CheckMeta = CheckMeta {
    id: "4.11",
    section: "4",
    subsection: None,
    title: "Ensure only verified packages are installed",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "Packages installed without signature or checksum verification can be swapped in transit or on a compromised mirror, placing malicious code in every image built from them.",
    audit: "A person decides by reviewing the build files and package sources. dockaudit has no data source for this beyond the image history (`GET /images/{id}/history`), which it shows as context.",
    remediation: "Install only from repositories with signature checking on (apt `signed-by` keyrings, `gpgcheck=1` for yum/dnf), never use `--allow-unauthenticated` or `--nogpgcheck`, and verify checksums of anything downloaded directly.",
    impact: "Signing keys must be distributed and rotated, and sources without signatures need an alternative.",
    notes: "",
};

/// 4.12: Ensure all signed artifacts are validated.
pub static SIGNED_ARTIFACTS: CheckMeta = CheckMeta {
    id: "4.12",
    section: "4",
    subsection: None,
    title: "Ensure all signed artifacts are validated",
    level: 2,
    assessment: Assessment::Manual,
    evaluation: Evaluation::Review,
    severity: Severity::Medium,
    rationale: "A signature protects only if someone checks it. Artifacts that are signed but used without verification give a false sense of integrity and let tampered files into images.",
    audit: "A person decides by confirming that build pipelines verify the signatures of downloaded artifacts before use; dockaudit has no data source for this.",
    remediation: "Verify signatures in the build and stop on failure, e.g. `gpg --verify app.tar.gz.asc app.tar.gz` or `cosign verify-blob --key cosign.pub --signature app.sig app.tar.gz`.",
    impact: "Builds depend on the publishers' public keys and on verification tools being available.",
    notes: "",
};

/// This section's recommendations in benchmark order.
pub(super) static CHECKS: [&CheckMeta; 12] = [
    &IMAGE_USER,
    &TRUSTED_BASE_IMAGES,
    &UNNECESSARY_PACKAGES,
    &IMAGE_PATCHING,
    &CONTENT_TRUST,
    &IMAGE_HEALTHCHECK,
    &LONE_UPDATE_INSTRUCTIONS,
    &SETUID_BINARIES,
    &ADD_INSTRUCTIONS,
    &SECRETS_IN_HISTORY,
    &UNVERIFIED_PACKAGES,
    &SIGNED_ARTIFACTS,
];
