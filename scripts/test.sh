#!/usr/bin/env bash
# Runs every test: unit tests, the collector against a real dockerd, the viewer in a real Chromium.
# Installs what is missing first (scripts/setup.sh test) and starts dockerd when none answers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/start-dockerd.sh
# The shared crate is the contract for the wasm viewer too: it must build for both targets.
cargo build --quiet -p dockaudit-shared --target wasm32-unknown-unknown
cargo xtask build-viewer
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
cargo test --workspace --all-targets --no-fail-fast
cargo test --workspace --doc
