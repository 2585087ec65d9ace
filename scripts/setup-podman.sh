#!/usr/bin/env bash
# Make sure Podman's Docker-compatible API answers on this machine (for swerl's Podman engine and
# its tests), and that swerl's base image is in Podman's storage. No-op for the service when the
# socket already answers; the image step is skipped when the image with this recipe is there.
# Otherwise: install Debian's podman (+ catatonit, the init binary `--init` / HostConfig.Init
# needs), write /etc/containers/containers.conf, start `podman system service` in the background
# and wait until the socket answers /_ping. Needs root (as on CI and dev machines here).
# Env: SWERL_PODMAN_SOCKET (default /run/podman/podman.sock), PODMAN_LOG, SWERL_BASE_IMAGE.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
socket=${SWERL_PODMAN_SOCKET:-/run/podman/podman.sock}
tag=${SWERL_BASE_IMAGE:-swerl/base:bookworm}

api_answers() { [ "$(curl -s --max-time 5 --unix-socket "$socket" http://d/_ping 2>/dev/null || true)" = OK ]; }

# As root without CAP_SYS_RESOURCE, runc cannot raise an rlimit above what its parent holds, and
# Podman's defaults are above that (nofile 1048576; nproc: podman caps its own hard nproc at
# 32768, so anything higher fails even when the host allows it): every container then fails with
# "error setting rlimit". Defaults no higher than what we hold make containers start.
# Also shortens how long finished API execs keep their conmon processes (see below).
write_containers_conf() {
  local conf=/etc/containers/containers.conf nofile nproc
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nofile" -gt 1048576 ] && nofile=1048576
  nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] && nproc=32768
  [ "$nproc" -gt 32768 ] && nproc=32768
  if [ -f "$conf" ] && ! grep -q 'written by swerl' "$conf"; then
    if grep -qE '^\s*default_ulimits' "$conf"; then echo "setup-podman: keeping $conf (it sets default_ulimits)"; return; fi
    echo "setup-podman: $conf exists without default_ulimits; containers may fail with 'error setting rlimit'" >&2
    return
  fi
  mkdir -p /etc/containers
  cat >"$conf" <<EOF
# written by swerl's scripts/setup-podman.sh: rlimits no higher than the host's hard limits
# (root without CAP_SYS_RESOURCE cannot raise them; Podman's defaults are higher).
[containers]
default_ulimits = [
  "nofile=$nofile:$nofile",
  "nproc=$nproc:$nproc",
]

[engine]
# Each API exec keeps two conmon processes (~1.7 MB each) until this many seconds pass after it
# ends (default 300); swerl reads an exec's exit code right after its output ends.
exit_command_delay = 30
EOF
  echo "setup-podman: wrote $conf (nofile=$nofile nproc=$nproc)"
}

start_service() {
  if ! command -v podman >/dev/null 2>&1 || [ ! -x /usr/libexec/podman/catatonit ]; then
    echo "setup-podman: installing podman catatonit"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends podman catatonit >/dev/null
  fi
  write_containers_conf
  mkdir -p "$(dirname "$socket")"
  rm -f "$socket"
  local log=${PODMAN_LOG:-/tmp/swerl-podman.log}
  echo "setup-podman: starting podman system service (log: $log)"
  # --time=0: the service never exits for being idle. Started from the socket's directory: conmon
  # writes an empty "oom" file into its working directory when an exec is OOM-killed.
  (cd "$(dirname "$socket")" && nohup podman system service --time=0 "unix://$socket" >"$log" 2>&1 &)
  for _ in $(seq 1 60); do
    if api_answers; then echo "setup-podman: API ready at unix://$socket"; return 0; fi
    sleep 1
  done
  echo "setup-podman: podman did not answer within 60 s; last log lines:" >&2
  tail -20 "$log" >&2
  exit 1
}

# The base image in Podman's storage (tagged localhost/<name>; short names resolve to it). From
# the Docker engine when it has it (docker save | podman load), else built offline the same way
# scripts/build-base-image.sh does, with podman as the docker CLI.
ensure_base_image() {
  local want have
  want=$(sed -n 's/^recipe_version="\(.*\)"$/\1/p' "$here/scripts/build-base-image.sh")
  have=$(podman image inspect -f '{{ index .Config.Labels "swerl.base.recipe" }}' "$tag" 2>/dev/null || true)
  if [ -n "$want" ] && [ "$have" = "$want" ]; then echo "setup-podman: $tag in podman storage, skipping"; return; fi
  local docker_has
  docker_has=$(docker image inspect -f '{{ index .Config.Labels "swerl.base.recipe" }}' "$tag" 2>/dev/null || true)
  if [ -n "$docker_has" ] && [ "$docker_has" = "$want" ]; then
    echo "setup-podman: docker save $tag | podman load"
    docker save "$tag" | podman load -q >/dev/null
  else
    echo "setup-podman: building $tag with podman (scripts/build-base-image.sh)"
    local shim; shim=$(mktemp -d /tmp/swerl-podman-shim.XXXXXX)
    ln -s "$(command -v podman)" "$shim/docker"
    PATH="$shim:$PATH" bash "$here/scripts/build-base-image.sh" "$tag"
    rm -rf "$shim"
  fi
  have=$(podman image inspect -f '{{ index .Config.Labels "swerl.base.recipe" }}' "$tag" 2>/dev/null || true)
  [ "$have" = "$want" ] || { echo "setup-podman: $tag is not in podman storage after loading it" >&2; exit 1; }
  echo "setup-podman: $tag ready in podman storage"
}

if api_answers; then
  echo "setup-podman: API already answers at unix://$socket"
else
  start_service
fi
ensure_base_image
