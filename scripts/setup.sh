#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with Rust (rustup) installed.
#   scripts/setup.sh audit   what `scripts/audit.sh` needs (wasm target, wasm-bindgen-cli)
#   scripts/setup.sh test    additionally the test dependencies (docker.io, busybox-static,
#                            chromium, chromium-driver, poppler-utils; needs root for apt)
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-audit}"

log() { printf 'setup: %s\n' "$*" >&2; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})"
    return 1
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "$mode" = test ]; then
  apt_install docker.io busybox-static chromium chromium-driver poppler-utils ca-certificates libxml2-utils \
    rootlesskit slirp4netns uidmap openssh-client
  # ssh:// targets and tcp:// with TLS (tests/tests/{remote_ssh,daemon_tls}.rs): a real sshd, certificates.
  apt_install openssh-server openssl iproute2
fi

# `scripts/setup.sh static`: static (musl) builds of the collector (scripts/build-static.sh), which
# the collector image test (`test`) needs too: the Rust musl targets, musl-gcc and an aarch64 C
# compiler for ring's C code (linking uses rustc's rust-lld).
if [ "$mode" = static ] || [ "$mode" = test ]; then
  apt_install musl-tools gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  for musl_target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
    if ! rustup target list --installed 2>/dev/null | grep -qx "$musl_target"; then
      log "adding the $musl_target target"
      rustup target add "$musl_target"
    fi
  done
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ -z "$wb_version" ]; then
  log "cannot find wasm-bindgen in Cargo.lock"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version (takes a few minutes once)"
  # --locked fails for this crate with current toolchains; the version itself is pinned.
  cargo install --quiet wasm-bindgen-cli --version "$wb_version"
fi

# An independent RFC 8785 (JCS) implementation the tests compare dockaudit's canonical bytes with
# (tests/tests/signatures.rs): npm's `canonicalize`, by one of the RFC's authors.
if [ "$mode" = test ] && command -v npm >/dev/null && [ ! -d target/tools/jcs/node_modules/canonicalize ]; then
  log "installing canonicalize (RFC 8785 reference) from npm into target/tools/jcs"
  mkdir -p target/tools/jcs
  npm install --silent --no-audit --no-fund --prefix target/tools/jcs canonicalize@2.1.0 >/dev/null 2>&1 \
    || log "canonicalize not installed; the JCS interoperability test will fail"
fi

# axe-core, the accessibility rules engine the viewer's browser tests inject into every view
# (tests/tests/viewer_a11y.rs): no serious or critical violation in either theme.
if [ "$mode" = test ] && command -v npm >/dev/null && [ ! -f target/tools/axe/node_modules/axe-core/axe.min.js ]; then
  log "installing axe-core (accessibility checks) from npm into target/tools/axe"
  mkdir -p target/tools/axe
  npm install --silent --no-audit --no-fund --prefix target/tools/axe axe-core@4.11.0 >/dev/null 2>&1 \
    || log "axe-core not installed; the accessibility test will fail"
fi

# wasm-opt from npm's binaryen (Debian's is too old for rustc 1.95's wasm); optional.
if command -v npm >/dev/null && [ ! -x target/tools/binaryen/node_modules/.bin/wasm-opt ]; then
  log "installing binaryen (wasm-opt) from npm into target/tools/binaryen"
  mkdir -p target/tools/binaryen
  npm install --silent --no-audit --no-fund --prefix target/tools/binaryen binaryen@132 >/dev/null 2>&1 \
    || log "binaryen not installed; the viewer's wasm will be built without wasm-opt"
fi

# Garage, a real S3-compatible store, for the publish tests (tests/tests/publish.rs): a debug build
# without SQLite and metrics (about 4 minutes on 2 cores, once), installed into ~/.cargo/bin where
# tests/src/garage.rs finds it. Skipped when this version is already installed.
garage_version=2.5.0
if [ "$mode" = test ] && ! garage --version 2>/dev/null | grep -q "cargo:$garage_version " \
  && ! "${CARGO_HOME:-$HOME/.cargo}/bin/garage" --version 2>/dev/null | grep -q "cargo:$garage_version "; then
  log "installing garage $garage_version (an S3-compatible store for the publish tests; takes a few minutes once)"
  CARGO_PROFILE_DEV_DEBUG=0 cargo install --quiet --locked garage --version "$garage_version" \
    --no-default-features --features lmdb,bundled-libs --debug
fi
