#!/usr/bin/env bash
# Runs every test: unit tests, the collector against a real dockerd, the viewer in a real Chromium.
# Installs what is missing first (scripts/setup.sh test) and starts dockerd when none answers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/start-dockerd.sh
cargo xtask build-viewer
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
cargo test --workspace --all-targets --no-fail-fast
cargo test --workspace --doc
