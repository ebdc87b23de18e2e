#!/usr/bin/env bash
# Validates the SARIF report of the demo repository with Microsoft's SARIF Multitool, with
# the SARIF and GitHub rule sets (`--rule-kind "Sarif;Gh"`), and fails on any `error` result.
#
# Idempotent: the npm install is cached outside the repository, in
# $LIABILITY_TOOL_CACHE (default: ${XDG_CACHE_HOME:-$HOME/.cache}/liability-ci), and reused.
# Needs node/npm on PATH. Usage: .ci/validate-sarif.sh [SARIF_FILE]
# (without an argument it scans fixtures/demo-monolith with the debug binary).
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${LIABILITY_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liability-ci}/sarif-multitool"
tool="$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -e "$tool" ]; then
  echo "== installing @microsoft/sarif-multitool into $cache"
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" @microsoft/sarif-multitool >/dev/null
fi
if [ ! -e "$tool" ]; then
  tool="$(find "$cache/node_modules/@microsoft" -type f -name Sarif.Multitool | head -n 1)"
fi
[ -n "$tool" ] && [ -e "$tool" ] || { echo "Sarif.Multitool not found under $cache" >&2; exit 2; }
# npm may skip the package's postinstall (chmod); do it ourselves.
chmod u+x "$tool"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sarif="${1:-}"
if [ -z "$sarif" ]; then
  cargo build --quiet --locked --bin liability
  sarif="$work/demo.sarif"
  ./target/debug/liability scan fixtures/demo-monolith --no-history -o "sarif=$sarif"
fi

echo "== Sarif.Multitool validate $sarif --rule-kind Sarif;Gh"
# .NET wants a writable home and no telemetry.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
"$tool" validate "$sarif" --rule-kind "Sarif;Gh" -o "$work/validation.sarif" --log ForceOverwrite

# The validation log is SARIF too: count its `error` results (and show every result).
node -e '
const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const results = (log.runs || []).flatMap(r => r.results || []);
for (const r of results) {
  console.log(`${r.level || "warning"} ${r.ruleId}: ${(r.message && (r.message.text || r.message.id)) || ""}`);
}
const errors = results.filter(r => (r.level || "warning") === "error").length;
console.log(`${results.length} result(s), ${errors} error(s)`);
process.exit(errors === 0 ? 0 : 1);
' "$work/validation.sarif"
