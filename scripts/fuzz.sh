#!/usr/bin/env bash
# Fuzzes the parsers that read outside input (fuzz/, cargo-fuzz with libFuzzer; see FUZZING.md).
#   scripts/fuzz.sh                  every target in turn, FUZZ_SECONDS each
#   scripts/fuzz.sh url_view …       only the named targets
# Environment: FUZZ_SECONDS (per target, default 20), FUZZ_TIMEOUT (seconds one input may take,
# default 1), FUZZ_TOOLCHAIN (default nightly).
# Installs what is missing (g++, a nightly toolchain, cargo-fuzz; quiet, and a no-op when present),
# seeds each target's corpus from tests/fixtures and fuzz/seeds at run time, builds, then runs the
# targets one after another. Exits non-zero on the first crash, failed assertion, timeout, leak or
# out-of-memory; the input that caused it is left in fuzz/artifacts/<target>/. .ci/run runs it with
# FUZZ_SECONDS=10.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
seconds="${FUZZ_SECONDS:-20}"
timeout="${FUZZ_TIMEOUT:-1}"

log() { printf 'fuzz: %s\n' "$*" >&2; }

# Runs an install step with its output kept aside, shown only when the step fails.
quietly() {
  local out
  out=$(mktemp)
  if ! "$@" >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    return 1
  fi
  rm -f "$out"
}

# libFuzzer itself is C++, built by libfuzzer-sys.
if ! command -v c++ >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    log "a C++ compiler is needed to build libFuzzer (run as root or: sudo apt-get install g++)"
    exit 1
  fi
  log "installing g++ (to build libFuzzer)"
  quietly apt-get update -qq
  quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends g++
fi
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  log "installing the $toolchain toolchain (cargo-fuzz needs nightly for sanitizer instrumentation)"
  quietly rustup toolchain install "$toolchain" --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  quietly cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# Seeds per target: its hand-written fuzz/seeds/<target>/ plus the repository fixtures it reads.
# A new target needs only its file in fuzz/fuzz_targets and its [[bin]] entry; fixtures are optional.
fixtures_for() {
  case "$1" in
    load_report) echo tests/fixtures/reports/*.json tests/fixtures/dbs/*.json ;;
    import_dbs) echo tests/fixtures/dbs/*.json ;;
    facts_replay) echo tests/fixtures/facts/debian12-docker20.10.json ;;
  esac
}
dict_for() {
  case "$1" in
    load_report | import_dbs | load_signoff | fleet_files) echo fuzz/dicts/json.dict ;;
    url_view) echo fuzz/dicts/url.dict ;;
    signoff_dates) echo fuzz/dicts/dates.dict ;;
    facts_replay) echo fuzz/dicts/facts.dict ;;
    daemon_config) echo fuzz/dicts/flags.dict ;;
    audit_rules) echo fuzz/dicts/audit.dict ;;
    image_history) echo fuzz/dicts/history.dict ;;
    inventory) echo fuzz/dicts/inventory.dict ;;
    docker_context) echo fuzz/dicts/context.dict ;;
  esac
}

mapfile -t all_targets < <(cd fuzz && cargo "+$toolchain" fuzz list)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi
for t in "${targets[@]}"; do
  if ! printf '%s\n' "${all_targets[@]}" | grep -qx -- "$t"; then
    log "no fuzz target named $t (there are: ${all_targets[*]})"
    exit 2
  fi
done

log "building the fuzz targets"
build_log=$(mktemp)
if ! (cd fuzz && cargo "+$toolchain" fuzz build --debug-assertions) >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  log "the fuzz targets do not build"
  exit 1
fi
rm -f "$build_log"

total=0
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  for seed in fuzz/seeds/"$t"/* $(fixtures_for "$t"); do
    if [ -f "$seed" ]; then cp "$seed" "$corpus/seed-$(basename "$seed")"; fi
  done
  args=(-max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1)
  dict=$(dict_for "$t")
  if [ -n "$dict" ]; then args+=(-dict="$PWD/$dict"); fi
  log "$t: ${seconds}s, timeout ${timeout}s per input"
  out="fuzz/artifacts/$t.log"
  mkdir -p fuzz/artifacts
  if ! (cd fuzz && cargo "+$toolchain" fuzz run --debug-assertions "$t" -- "${args[@]}") >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    log "$t FAILED (full output: $out)"
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$out" | tail -n 1)
  # libFuzzer sometimes ends at the time limit without its final statistics; its last status line counts too.
  if [ -z "$runs" ]; then runs=$(grep -oE '^#[0-9]+' "$out" | tail -n 1 | tr -d '#' || true); fi
  log "$t: ${runs:-?} executions, no crash"
  total=$((total + ${runs:-0}))
done
log "all ${#targets[@]} target(s) passed: $total executions in total"
