#!/usr/bin/env bash
# Times the multilingual demo's setup and evaluation on this machine and prints the numbers:
# the toolchain images (only with --toolchains: it removes and rebuilds them), the six instance
# images (rebuilt with --force), then `swerl evaluate` with gold and with empty predictions.
# Usage: bash bench/demo-multilingual.sh [--toolchains]   (after `npm run build`)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cli="node $here/dist/cli/main.cjs"
results=$(mktemp -d /tmp/swerl-bench-mldemo.XXXXXX)
trap 'rm -rf "$results"' EXIT
secs() { local t0=$1; echo $(( $(date +%s) - t0 )); }

if [ "${1:-}" = "--toolchains" ]; then
  for lang in go rust node; do
    docker image rm "swerl/$lang:bookworm" >/dev/null 2>&1 || true
    t0=$(date +%s); bash "$here/scripts/build-toolchain-images.sh" "$lang" >/dev/null
    echo "toolchain image swerl/$lang:bookworm: $(secs "$t0") s, $(docker image inspect -f '{{.Size}}' "swerl/$lang:bookworm" | awk '{printf "%.0f MB", $1/1e6}')"
  done
fi
t0=$(date +%s)
$cli images build --dataset demo-multilingual --namespace none --force --max-workers 2 >/dev/null 2>"$results/images.log"
echo "instance images (6, 2 at a time, --force): $(secs "$t0") s"
grep -o 'built [^ ]* {"seconds":[0-9.]*}' "$results/images.log" | sed 's/built sweb.eval.x86_64.swerl-demo__/  /; s/:latest {"seconds":/ /; s/}/ s/'
for preds in gold empty; do
  t0=$(date +%s)
  out=$($cli evaluate --dataset demo-multilingual --predictions "$preds" --namespace none --run-id "$preds" \
        --results-dir "$results" --max-workers 2 2>/dev/null | grep -E "Instances (resolved|completed)" | tr '\n' ' ')
  echo "evaluate --predictions $preds: $(secs "$t0") s; $out"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
