#!/usr/bin/env bash
# Proves the lexical pre-pass (issue #11) changes nothing but speed: scans each folder with and
# without it (`--no-prepass`) and compares the JSON reports: byte for byte, or else findings
# and suppressions exactly, with parse errors the only allowed difference (a file syn cannot
# parse that no rule needs is read by the light front-end instead). Also runs the light
# front-ends against the full ones on every Rust, Python, JavaScript and TypeScript file
# (`examples/light_check.rs`, `examples/python_light_check.rs`, which also compare the
# complexity the light Rust and Python front-ends give, `examples/js_light_check.rs`), and
# checks that the doc comments handed to syn as bare attributes leave
# every other token on its line (`light_check`).
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
cargo build --release -q --example light_check --example python_light_check --example js_light_check -p liability-scanner
bin=target/release/liability
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
# light_check EXAMPLE SUMMARY_RE DIFF_RE WHAT DIR: runs a light front-end check on DIR, prints
# its summary lines, and fails the script when it prints a difference.
light_check() {
    local out
    out=$("target/release/examples/$1" "$5")
    grep -E "$2" <<<"$out"
    if grep -qE "$3" <<<"$out"; then
        grep -E "$3" <<<"$out" >&2
        echo "$4 DIFFERS from the full one: $5" >&2
        status=1
    fi
}
for d in "${dirs[@]}"; do
    "$bin" scan "$d" --format json --no-history --min-confidence low -o "$work/with.json" || [ $? -eq 1 ]
    "$bin" scan "$d" --format json --no-history --min-confidence low --no-prepass -o "$work/without.json" || [ $? -eq 1 ]
    if cmp -s "$work/with.json" "$work/without.json"; then
        echo "same report with and without the pre-pass: $d"
    elif python3 - "$work/with.json" "$work/without.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
same = all(a.get(k) == b.get(k) for k in ("findings", "suppressed", "next_best_action"))
# The allowed difference: files syn cannot parse that no rule needs are read by the light
# front-end instead of being listed as parse errors.
only_full = [s for s in b["skipped"] if s not in a["skipped"]]
only_light = [s for s in a["skipped"] if s not in b["skipped"]]
print(f"  findings and suppressed {'identical' if same else 'DIFFERENT'}; "
      f"parse errors only without the pre-pass: {[s['path'] for s in only_full]}; "
      f"skips only with it: {[s['path'] for s in only_light]}")
sys.exit(0 if same and not only_light and all(s["reason"] == "parse-error" for s in only_full) else 1)
PY
    then
        echo "same findings with and without the pre-pass: $d"
    else
        echo "DIFFERENT findings with and without the pre-pass: $d" >&2
        status=1
    fi
    light_check light_check '^(light |doc comments|needing the parse|complexity given)' \
        '^((CX-)?DIFF|BARE-DOCS-DIFFER)' "light Rust front-end (or bare doc comments)" "$d"
    light_check python_light_check '^(light [0-9]|complexity given)' '^(CX-)?DIFF' \
        "light Python front-end" "$d"
    light_check js_light_check '^light [0-9]' '^DIFF' \
        "light JavaScript and TypeScript front-end" "$d"
done
exit $status
