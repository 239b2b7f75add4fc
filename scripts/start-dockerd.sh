#!/usr/bin/env bash
# Starts dockerd when no daemon answers (tests need one) and waits until it does.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "start-dockerd: no Docker daemon answers and this is not root; start dockerd first" >&2
  exit 1
fi
mkdir -p target
echo "start-dockerd: starting dockerd (log: target/dockerd.log)" >&2
nohup dockerd >target/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "start-dockerd: dockerd did not answer within 60 s; see target/dockerd.log" >&2
tail -n 20 target/dockerd.log >&2 || true
exit 1
