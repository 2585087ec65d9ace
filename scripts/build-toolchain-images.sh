#!/usr/bin/env bash
# Build the offline toolchain images of the multilingual demo benchmark, each a layer on the
# base image (scripts/build-base-image.sh) with Debian bookworm's own toolchain:
#   swerl/go:bookworm    golang-go (1.19; stdlib only, no module downloads)
#   swerl/rust:bookworm  rustc + cargo (1.63; std only, no crates)
#   swerl/node:bookworm  nodejs (18; `node --test`, no npm packages)
# The host resolves and downloads the packages from Debian's mirror (apt-get against the base
# image's dpkg status, so only what the base lacks); dpkg installs them in a container with
# no network, which is committed. Skipped when the tag exists with this recipe and was built
# on the present base image (a rebuilt base image rebuilds them).
# Usage: scripts/build-toolchain-images.sh [go|rust|node ...]   (default: all three)
set -euo pipefail
base=${SWERL_BASE_IMAGE:-swerl/base:bookworm}
# Bump a toolchain's recipe when its image's content changes (packages, env, warm-up): images
# with another value are rebuilt.
recipe_of() { case "$1" in go) echo 2 ;; *) echo 1 ;; esac; }
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(go rust node)

packages_of() {
  case "$1" in
    go) echo "golang-go" ;;
    rust) echo "rustc cargo" ;;
    node) echo "nodejs" ;;
    *) echo "build-toolchain-images: unknown toolchain '$1' (go, rust or node)" >&2; return 1 ;;
  esac
}
# Offline by construction: no proxy, no toolchain switch, no cgo (no C compiler in the Go image).
env_of() {
  case "$1" in
    go) echo "GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOTELEMETRY=off" ;;
    rust) echo "CARGO_NET_OFFLINE=true CARGO_TERM_COLOR=never" ;;
    node) echo "NO_COLOR=1 NODE_DISABLE_COLORS=1" ;;
  esac
}
# Run once in the image after the packages: Go's standard library compiled into the build
# cache without cgo (Debian ships it built with cgo), so each instance image does not redo it.
warmup_of() {
  case "$1" in
    go) echo "env $(env_of go) go build std" ;;
    *) echo "true" ;;
  esac
}

base_id=$(docker image inspect -f '{{.Id}}' "$base" 2>/dev/null) || {
  echo "build-toolchain-images: base image $base is missing (run scripts/build-base-image.sh first)" >&2; exit 1; }

todo=()
for lang in "${langs[@]}"; do
  packages_of "$lang" >/dev/null
  tag="swerl/$lang:bookworm"
  have=$(docker image inspect -f '{{ index .Config.Labels "swerl.toolchain.recipe" }}' "$tag" 2>/dev/null || true)
  if [ "$have" = "$(recipe_of "$lang")@$base_id" ]; then echo "build-toolchain-images: $tag exists, skipping"; else todo+=("$lang"); fi
done
[ ${#todo[@]} -gt 0 ] || exit 0

work=$(mktemp -d /tmp/swerl-toolchain.XXXXXX)
container=""
cleanup() { [ -z "$container" ] || docker rm -f "$container" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# apt on the host must know bookworm's packages (the image's release).
if ! ls /var/lib/apt/lists/*bookworm*Packages* >/dev/null 2>&1; then apt-get update -qq; fi
docker run --rm --network none "$base" cat /var/lib/dpkg/status > "$work/status"

for lang in "${todo[@]}"; do
  started=$(date +%s)
  tag="swerl/$lang:bookworm"
  debs="$work/$lang"
  mkdir -p "$debs/partial"
  # What the base image lacks for these packages, downloaded into $debs (no install on the host).
  # shellcheck disable=SC2046
  apt-get -qq -o Dir::State::status="$work/status" -o Dir::Cache::archives="$debs" -o Debug::NoLocking=1 \
    -o APT::Sandbox::User=root install -y -d --no-install-recommends $(packages_of "$lang") >"$work/apt-$lang.log" 2>&1 || {
    echo "build-toolchain-images: downloading $lang packages failed:" >&2; tail -20 "$work/apt-$lang.log" >&2; exit 1; }
  rm -rf "$debs/partial" "$debs/lock"
  count=$(ls "$debs"/*.deb | wc -l)
  size=$(du -sm "$debs" | cut -f1)
  container="swerl-toolchain-build-$lang-$$"
  docker create --name "$container" --network none "$base" bash -c \
    'dpkg -i /tmp/debs/*.deb >/tmp/dpkg.log 2>&1 || { tail -30 /tmp/dpkg.log; exit 1; }
     rm -rf /tmp/debs /tmp/dpkg.log /usr/share/doc/* /usr/share/man/* /usr/share/locale/* /var/cache/apt/archives/*.deb
     '"$(warmup_of "$lang")" >/dev/null
  docker cp "$debs/." "$container:/tmp/debs" >/dev/null
  docker start -a "$container"
  changes=(-c "LABEL swerl.toolchain.recipe=$(recipe_of "$lang")@$base_id swerl.toolchain=$lang" -c 'CMD ["/bin/bash"]')
  for kv in $(env_of "$lang"); do changes+=(-c "ENV $kv"); done
  docker commit "${changes[@]}" "$container" "$tag" >/dev/null
  docker rm -f "$container" >/dev/null
  container=""
  echo "build-toolchain-images: built $tag ($count packages, $size MB downloaded) in $(( $(date +%s) - started )) s"
done
