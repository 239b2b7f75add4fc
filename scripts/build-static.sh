#!/usr/bin/env bash
# Builds dockaudit as a static (musl) Linux executable that runs on any Linux host of its
# architecture: no glibc, no OpenSSL (TLS is rustls), no loader.
#
#   scripts/build-static.sh [x86_64|aarch64|all]    (default: x86_64)
#   scripts/build-static.sh image [TAG]               the collector image (default dockaudit:local)
#
# Prints the path of each binary built, one per line, on standard output (progress goes to
# standard error); `image` prints the image's tag. The image is `FROM scratch` with the x86_64
# binary (collector/image/Dockerfile), built offline from a context holding only that binary. Needs the rustup targets and Debian packages `scripts/setup.sh static` installs:
# musl-tools (x86_64) and gcc-aarch64-linux-gnu (aarch64: only ring's C code is compiled with it;
# linking uses rustc's own rust-lld and the musl the Rust target ships).
# DOCKAUDIT_STATIC_PROFILE=dev builds unoptimised (faster to build, larger, slower).
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${DOCKAUDIT_STATIC_PROFILE:-release}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$profile" in
  release) out_profile=release ;;
  dev) out_profile=debug ;;
  *) echo "build-static: DOCKAUDIT_STATIC_PROFILE must be release or dev" >&2; exit 2 ;;
esac

log() { printf 'build-static: %s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null || { log "$1 is missing: run scripts/setup.sh static ($2)"; exit 2; }
}

build() {
  local arch="$1" triple
  triple="$arch-unknown-linux-musl"
  if ! rustup target list --installed | grep -qx "$triple"; then
    log "the Rust target $triple is missing: run scripts/setup.sh static (rustup target add $triple)"
    exit 2
  fi
  case "$arch" in
    x86_64)
      need musl-gcc musl-tools
      export CC_x86_64_unknown_linux_musl=musl-gcc
      ;;
    aarch64)
      need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
      export CC_aarch64_unknown_linux_musl=aarch64-linux-gnu-gcc
      export AR_aarch64_unknown_linux_musl=aarch64-linux-gnu-ar
      export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld
      ;;
  esac
  log "cargo build --profile $profile --target $triple -p dockaudit"
  # Static executables without a loader; the flags are per target so host builds are untouched.
  local flags_var
  flags_var="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
  env "$flags_var=-C target-feature=+crt-static" \
    cargo build --quiet --locked --profile "$profile" --target "$triple" -p dockaudit --bin dockaudit >&2
  local bin="$target_dir/$triple/$out_profile/dockaudit"
  # Refuse a binary that would need a loader or shared libraries on the target host.
  if readelf -l "$bin" | grep -q 'INTERP' || readelf -d "$bin" 2>/dev/null | grep -q 'NEEDED'; then
    log "$bin is not static"
    exit 1
  fi
  echo "$bin"
}

image() {
  local tag="${1:-dockaudit:local}" bin context
  bin=$(build x86_64)
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  cp "$bin" "$context/dockaudit"
  log "docker build -t $tag (context: the binary alone)"
  docker build --quiet -t "$tag" -f collector/image/Dockerfile "$context" >&2
  echo "$tag"
}

case "${1:-x86_64}" in
  x86_64 | aarch64) build "$1" ;;
  all) build x86_64; build aarch64 ;;
  image) image "${2:-}" ;;
  *) echo "usage: scripts/build-static.sh [x86_64|aarch64|all] | image [TAG]" >&2; exit 2 ;;
esac
