#!/usr/bin/env bash
# Build the offline test base image: a minimal Debian bookworm with python3, pytest, pip and
# setuptools (for repos installed in the image, as SWE-bench's are), git and patch. Skipped
# when the tag exists with this recipe's label (an image from an older recipe is rebuilt).
# Two recipes:
#  - debootstrap (no registry needed, only Debian's package mirror): the default here;
#  - docker build FROM debian:bookworm-slim (docker/base/Dockerfile) where a registry is
#    reachable and debootstrap is not available (e.g. Docker Desktop on a laptop).
# Usage: scripts/build-base-image.sh [TAG]   (env SWERL_BASE_RECIPE=debootstrap|dockerfile)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tag=${1:-${SWERL_BASE_IMAGE:-swerl/base:bookworm}}
packages="python3,python3-pytest,python3-pip,python3-setuptools,python-is-python3,git,patch,ca-certificates,procps"
# Bump when the image's content changes (packages, files): images with another value are rebuilt.
recipe_version="2"

have=$(docker image inspect -f '{{ index .Config.Labels "swerl.base.recipe" }}' "$tag" 2>/dev/null || true)
if [ "$have" = "$recipe_version" ]; then
  echo "build-base-image: $tag exists, skipping"
  exit 0
fi
[ -z "$have" ] || echo "build-base-image: $tag is from recipe ${have:-unknown}, rebuilding (recipe $recipe_version)"

recipe=${SWERL_BASE_RECIPE:-}
if [ -z "$recipe" ]; then
  if command -v debootstrap >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }; then
    recipe=debootstrap
  else
    recipe=dockerfile
  fi
fi

if [ "$recipe" = dockerfile ]; then
  echo "build-base-image: docker build $tag from docker/base/Dockerfile"
  docker build --label "swerl.base.recipe=$recipe_version" -t "$tag" "$here/docker/base"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap >/dev/null
fi

# Use the Debian mirror apt is already configured with (the only one reachable here).
mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
fi
[ -n "$mirror" ] || { echo "build-base-image: no Debian mirror found in apt sources; set DEBIAN_MIRROR" >&2; exit 1; }

root=$(mktemp -d /tmp/swerl-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "build-base-image: debootstrap bookworm into $root"
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >/tmp/swerl-debootstrap.log 2>&1 || {
  echo "build-base-image: debootstrap failed; last log lines:" >&2; tail -30 /tmp/swerl-debootstrap.log >&2; exit 1; }
# Keep the image small: no apt lists or caches, no docs.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
# A test environment, not a system Python to protect: pip may install into it (PEP 668's marker
# would make `pip install -e .` refuse, as it does not in SWE-bench's conda envs).
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
git_identity='[user]\n\tname = swerl\n\temail = swerl@localhost\n'
printf "$git_identity" > "$root/root/.gitconfig"
echo "build-base-image: docker import -> $tag"
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV LANG=C.UTF-8' -c 'WORKDIR /' -c 'CMD ["/bin/bash"]' -c "LABEL swerl.base.recipe=$recipe_version" - "$tag" >/dev/null
echo "build-base-image: built $tag"
