#!/usr/bin/env bash
# The main job: audit this machine's Docker host, then open the report in the viewer.
#   scripts/audit.sh [extra `dockaudit scan` flags…]
# Writes reports/<host>-<UTC time>.json and serves the viewer on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh audit
cargo build --quiet --release -p dockaudit
cargo xtask build-viewer
bin="${CARGO_TARGET_DIR:-target}/release/dockaudit"
mkdir -p reports
report="reports/$(hostname)-$(date -u +%Y%m%dT%H%M%SZ).json"
status=0
"$bin" scan --json-out "$report" "$@" || status=$?
if [ "$status" -ge 2 ]; then
  echo "audit: the scan could not run (exit $status); nothing to show" >&2
  exit "$status"
fi
echo "audit: report written to $report"
exec "$bin" serve --port "${PORT:-8080}" --open "$report"
