#!/usr/bin/env bash
# Renders the HTML report of a scan to a PNG with headless Chromium, to look at it.
#
# Usage: bench/screenshot.sh [PATH_TO_SCAN] [OUT_PNG] [WIDTHxHEIGHT]
#   defaults: fixtures/demo-monolith, /tmp/liability-report.png, 1400x2400
# Needs Debian's chromium (`apt-get install -y chromium`). The page makes no network request;
# the flags below also keep Chromium itself off the network.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-fixtures/demo-monolith}"
png="${2:-/tmp/liability-report.png}"
size="${3:-1400x2400}"
html="${png%.png}.html"

cargo build --quiet --release --bin liability
./target/release/liability scan "$target" --no-history --min-confidence low -o "html=$html"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --screenshot="$png" --window-size="${size/x/,}" "file://$(realpath "$html")" \
  2>/dev/null
echo "wrote $png (from $html)"
