#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium is at /usr/bin/chromium (the report test opens
# report.html in it). No-op when it is there; otherwise install the `chromium` package with
# apt-get. Needs root (as on CI and dev machines here).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "setup-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

echo "setup-chromium: installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-chromium: apt-get finished but /usr/bin/chromium is missing" >&2
  exit 1
fi
echo "setup-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
