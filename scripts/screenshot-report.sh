#!/usr/bin/env bash
# Renders an HTML report to a PNG with headless Chromium (Debian: apt-get install -y chromium fonts-dejavu-core),
# fully offline: a fresh profile, no background networking, no component updates.
# Usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH [HEIGHT]]
set -euo pipefail
html="$(realpath "$1")"
png="$(realpath -m "$2")"
width="${3:-1400}"
height="${4:-2400}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --no-first-run --user-data-dir="$profile" --hide-scrollbars --window-size="$width,$height" \
  --screenshot="$png" "file://$html" 2>/dev/null
echo "$png"
