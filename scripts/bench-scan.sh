#!/usr/bin/env bash
# Measures `dockaudit scan` on the local daemon with N containers (half running, half stopped)
# against the floor: one `docker inspect` of every container in a single process.
#   scripts/bench-scan.sh [N] [RUNS]     (defaults: 50 containers, 7 runs; median reported)
# Creates its containers and image, removes them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-50}"; runs="${2:-7}"
cargo build --quiet --release -p dockaudit
bin=target/release/dockaudit
tag=dockaudit-bench/busybox:1
root=$(mktemp -d)
cleanup() {
  docker ps -aq --filter label=dockaudit-bench=1 | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker rmi -f "$tag" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
mkdir -p "$root/bin"; cp /bin/busybox "$root/bin/"; ln -s busybox "$root/bin/sleep"; ln -s busybox "$root/bin/sh"
tar -C "$root" -c . | docker import - "$tag" >/dev/null
for i in $(seq 1 "$n"); do
  if [ $((i % 2)) -eq 0 ]; then
    docker run -d --label dockaudit-bench=1 --name "bench-$i" -p "127.0.0.1::80" "$tag" sleep 3600 >/dev/null
  else
    docker create --label dockaudit-bench=1 --name "bench-$i" --cap-add NET_ADMIN -v /etc:/srv/etc:ro "$tag" sleep 1 >/dev/null
  fi
done
total=$(docker ps -aq | wc -l)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
scan_ms=(); floor_ms=(); rss=()
for _ in $(seq 1 "$runs"); do
  scan_ms+=("$(ms "$bin" scan --format json --no-progress)")
  floor_ms+=("$(ms sh -c 'docker inspect $(docker ps -aq)')")
  rss+=("$( (/usr/bin/time -f %M "$bin" scan --format json --no-progress 2>&1 >/dev/null || true) | tail -n 1)")
done
s=$(printf '%s\n' "${scan_ms[@]}" | median); f=$(printf '%s\n' "${floor_ms[@]}" | median)
r=$(printf '%s\n' "${rss[@]}" | median)
ratio=$(awk -v s="$s" -v f="$f" 'BEGIN {printf "%.2f", s / f}')
echo "containers on host: $total (created $n: half running, half stopped); runs: $runs"
echo "dockaudit scan (all 117 checks, release): median ${s} ms, peak RSS ${r} KB"
echo "floor (docker inspect of all containers, one process): median ${f} ms"
echo "ratio scan/floor: ${ratio}"
