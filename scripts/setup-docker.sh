#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine. No-op when one already does;
# otherwise install Debian's docker.io (if dockerd is missing) and start dockerd in the
# background, then wait until it answers. Needs root (as on CI and dev machines here).
set -euo pipefail

engine_answers() { docker info >/dev/null 2>&1 || curl -sf --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; }

if engine_answers; then
  echo "setup-docker: engine already running"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "setup-docker: installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

log=${DOCKERD_LOG:-/tmp/swerl-dockerd.log}
echo "setup-docker: starting dockerd (log: $log)"
nohup dockerd >"$log" 2>&1 &

for _ in $(seq 1 60); do
  if engine_answers; then echo "setup-docker: engine ready"; exit 0; fi
  sleep 1
done
echo "setup-docker: dockerd did not answer within 60 s; last log lines:" >&2
tail -20 "$log" >&2
exit 1
