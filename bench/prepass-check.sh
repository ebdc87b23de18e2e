#!/usr/bin/env bash
# Proves the lexical pre-pass (issue #11) changes nothing but speed: scans each folder with and
# without it (`--no-prepass`) and compares the JSON reports byte for byte. Also runs the light
# front-end against the full one on every Rust file (`examples/light_check.rs`).
#
#   bench/prepass-check.sh [DIR ...]     # default: the dev corpus and the bench corpora
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
BENCH_DIR=${BENCH_DIR:-/tmp/liability-bench}
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    for d in /tmp/corpus-dev "$BENCH_DIR/rust-small" "$BENCH_DIR/rust-large" "$BENCH_DIR/mixed"; do
        [ -d "$d" ] && dirs+=("$d")
    done
fi
cargo build --release -q -p liability-cli
cargo build --release -q --example light_check -p liability-scanner
bin=target/release/liability
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for d in "${dirs[@]}"; do
    "$bin" scan "$d" --format json --no-history --min-confidence low -o "$work/with.json" || [ $? -eq 1 ]
    "$bin" scan "$d" --format json --no-history --min-confidence low --no-prepass -o "$work/without.json" || [ $? -eq 1 ]
    if cmp -s "$work/with.json" "$work/without.json"; then
        echo "same report with and without the pre-pass: $d"
    else
        echo "DIFFERENT reports with and without the pre-pass: $d" >&2
        diff <(python3 -m json.tool "$work/with.json") <(python3 -m json.tool "$work/without.json") | head -40 >&2 || true
        status=1
    fi
    target/release/examples/light_check "$d" | tail -3
done
exit $status
