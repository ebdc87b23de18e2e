#!/usr/bin/env bash
# bench/run.sh - time `liability scan` against `tokei` on the shared real-world corpora.
#
# Usage:   bench/run.sh                     (from anywhere inside the repository)
# Env:     BENCH_DIR=/tmp/liability-bench   corpora, tools and results (outside the repo)
#          ONLY="rust-small rust-large python js-ts mixed"   corpora to run (default: all five)
#          RUNS=5                           timed runs per tool and corpus (after one warm-up)
#          TIMEOUT=1800                     seconds before one run is killed (0: never)
#          SHARED_DIR=<repo>/../shared      where bench/make-corpus.sh lives
#
# Prints a table (also written to $BENCH_DIR/results.md). Exits non-zero only when something
# really failed (corpus build, tool install, cargo build, a tool crashing or timing out), never
# because liability is slower than tokei: the numbers are for people to read, not a gate.
# See bench/README.md for how to read them.
set -euo pipefail

ALL_CORPORA="rust-small rust-large python js-ts mixed"
TOKEI_VERSION=15.0.0

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- Locations ---------------------------------------------------------------------------
# Resolve everything from the script's own repository, not the caller's working directory,
# so `bash bench/run.sh` and `cd /elsewhere && /path/to/bench/run.sh` behave alike. CI clones
# the repository somewhere else with shared/ beside it, hence "../shared" relative to the top.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(git -C "$HERE" rev-parse --show-toplevel) || die "bench/run.sh must live in a git work tree"
SHARED_DIR=${SHARED_DIR:-$REPO/../shared}
MAKE_CORPUS="$SHARED_DIR/bench/make-corpus.sh"
[ -f "$MAKE_CORPUS" ] || die "$MAKE_CORPUS not found (set SHARED_DIR to the folder holding bench/make-corpus.sh)"

BENCH_DIR=${BENCH_DIR:-/tmp/liability-bench}
RUNS=${RUNS:-5}
TIMEOUT=${TIMEOUT:-1800}
ONLY=${ONLY:-$ALL_CORPORA}
case $RUNS in ''|*[!0-9]*|0) die "RUNS must be a positive integer (got '$RUNS')";; esac
case $TIMEOUT in ''|*[!0-9]*) die "TIMEOUT must be a number of seconds (got '$TIMEOUT')";; esac
for c in $ONLY; do
  case " $ALL_CORPORA " in *" $c "*) ;; *) die "unknown corpus '$c' in ONLY (known: $ALL_CORPORA)";; esac
done
mkdir -p "$BENCH_DIR"; BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
WORK="$BENCH_DIR/work"; mkdir -p "$WORK"   # per-run scratch: GNU time output, stderr, reports

# --- Corpora -----------------------------------------------------------------------------
# make-corpus.sh is idempotent (stamped, cached downloads), so calling it every time costs a
# few seconds once the corpora exist; it also refuses a folder that git would commit.
log "corpora: $ONLY -> $BENCH_DIR"
ONLY="$ONLY" bash "$MAKE_CORPUS" "$BENCH_DIR" >&2 || die "make-corpus.sh failed"

# --- tokei (the baseline) ----------------------------------------------------------------
# The pinned version matters: tokei's speed changes between releases. A matching tokei on
# PATH is used as is; otherwise it is installed once under $BENCH_DIR/tools (not ~/.cargo,
# so the benchmark never replaces someone's own tokei).
tokei_ok() { "$1" --version 2>/dev/null | grep -q "^tokei $TOKEI_VERSION\b"; }
TOKEI=""
if command -v tokei >/dev/null 2>&1 && tokei_ok tokei; then
  TOKEI=$(command -v tokei)
elif tokei_ok "$BENCH_DIR/tools/bin/tokei"; then
  TOKEI="$BENCH_DIR/tools/bin/tokei"
else
  log "installing tokei $TOKEI_VERSION into $BENCH_DIR/tools (one-time, a few minutes)"
  cargo install --locked "tokei@$TOKEI_VERSION" --root "$BENCH_DIR/tools" >&2 || die "cargo install tokei failed"
  tokei_ok "$BENCH_DIR/tools/bin/tokei" || die "installed tokei does not report version $TOKEI_VERSION"
  TOKEI="$BENCH_DIR/tools/bin/tokei"
fi
log "tokei: $TOKEI ($("$TOKEI" --version | head -1))"

# --- GNU time (peak RSS) -----------------------------------------------------------------
# Bash's `time` keyword cannot report memory; GNU time's %M (max resident set, KiB) can.
# Without it the benchmark still runs and reports RSS as n/a.
gnu_time_ok() { [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1; }
if ! gnu_time_ok && command -v apt-get >/dev/null 2>&1; then
  log "GNU time missing; trying apt-get install -y time"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 ||
    log "could not install GNU time"
fi
if gnu_time_ok; then HAVE_TIME=1; else HAVE_TIME=0; log "peak RSS will be reported as n/a"; fi

# --- liability (release build) -----------------------------------------------------------
# Always rebuilt (a no-op when up to date) so the numbers belong to the checked-out code.
# The target directory comes from cargo itself: CARGO_TARGET_DIR or .cargo/config may move it.
log "cargo build --release -p liability-cli"
(cd "$REPO" && cargo build --release -p liability-cli >&2) || die "cargo build failed"
TARGET_DIR=$(cd "$REPO" && cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
LIABILITY="$TARGET_DIR/release/liability"
# Record what was built now: the tree may move on (other people's merges) while we time.
BUILT_REV="$(git -C "$REPO" rev-parse --short=12 HEAD)$(git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
[ -x "$LIABILITY" ] || die "$LIABILITY was not built"

# --- Measuring one run -------------------------------------------------------------------
# measure NAME CMD...  runs CMD with stdout to /dev/null and sets WALL (seconds), RSS (KiB) and
# CPU (user + system seconds; both n/a without GNU time). Wall time comes from bash's
# $EPOCHREALTIME (microseconds, no extra fork) rather than GNU time's %e, which only has
# centisecond resolution. CPU time is recorded too because on a shared machine (other builds
# running) wall time mostly measures the competition; CPU time barely moves with load.
# A non-zero exit or a timeout is a real failure: stderr is shown and the benchmark stops.
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
measure() {
  local name=$1; shift
  local err="$WORK/$name.stderr" mem="$WORK/$name.rss" t0 t1 rc=0
  local cmd=("$@")
  if [ "$TIMEOUT" != 0 ]; then cmd=(timeout "$TIMEOUT" "${cmd[@]}"); fi
  if [ "$HAVE_TIME" = 1 ]; then cmd=(/usr/bin/time -f '%M %U %S' -o "$mem" "${cmd[@]}"); fi
  t0=$(now)
  "${cmd[@]}" >/dev/null 2>"$err" || rc=$?
  t1=$(now)
  if [ "$rc" != 0 ]; then
    if [ "$rc" = 124 ]; then log "$name: timed out after $TIMEOUT s: $*"
    else log "$name: exit status $rc: $*"; fi
    tail -20 "$err" >&2
    return 1
  fi
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  # GNU time may prepend "Command exited..." lines; the number is always the last line.
  if [ "$HAVE_TIME" = 1 ]; then
    read -r RSS CPU < <(tail -1 "$mem" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
  else
    RSS=n/a; CPU=n/a
  fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof()  { sort -g | tail -1; }
kib_to_mb() { if [ "$1" = n/a ]; then echo n/a; else awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; fi; }
# Corpus size: bytes of all regular files (including what .gitignore excludes in `mixed`, since
# both tools must at least walk past it) and, separately, of .rs files, the only ones
# liability analyses today. .git is left out: no tool reads it.
bytes_of() { find "$1" -name .git -prune -o -type f "${@:2}" -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }'; }

# --- The runs ------------------------------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)   # reported with the table: a busy machine inflates wall times
declare -A SIZE RS_SIZE T_TOKEI T_LIAB C_TOKEI C_LIAB R_TOKEI R_LIAB FILES
for corpus in $ALL_CORPORA; do
  case " $ONLY " in *" $corpus "*) ;; *) continue;; esac
  dir="$BENCH_DIR/$corpus"
  [ -d "$dir" ] || die "corpus $dir missing after make-corpus.sh"
  SIZE[$corpus]=$(bytes_of "$dir")
  RS_SIZE[$corpus]=$(bytes_of "$dir" -name '*.rs')
  log "$corpus: ${SIZE[$corpus]} MB (${RS_SIZE[$corpus]} MB .rs), warm-up + $RUNS timed runs each"

  # Warm-up: fills the page cache so both tools read from memory, and checks that each tool
  # succeeds before anything is timed. liability's warm-up keeps its JSON report (the timed
  # runs write to /dev/null) for the files scanned/skipped figures and for later inspection.
  measure "$corpus.tokei.warmup" "$TOKEI" "$dir" || die "tokei failed on $corpus"
  measure "$corpus.liability.warmup" "$LIABILITY" scan "$dir" --format json \
    -o "$WORK/$corpus.liability.json" || die "liability scan failed on $corpus"
  FILES[$corpus]=$(jq -r '"\(.summary.files_scanned // "?") scanned, \(.summary.files_skipped // "?") skipped"' \
    "$WORK/$corpus.liability.json" 2>/dev/null || echo "?")

  # Alternate the tools run by run, so background noise (other builds on this machine,
  # thermal drift) is spread over both instead of landing on whichever ran second.
  tt=(); tl=(); ct=(); cl=(); rt=(); rl=()
  for i in $(seq "$RUNS"); do
    measure "$corpus.tokei" "$TOKEI" "$dir" || die "tokei failed on $corpus"
    tt+=("$WALL"); ct+=("$CPU"); rt+=("$RSS")
    measure "$corpus.liability" "$LIABILITY" scan "$dir" --format json -o /dev/null ||
      die "liability scan failed on $corpus"
    tl+=("$WALL"); cl+=("$CPU"); rl+=("$RSS")
    log "  run $i/$RUNS: tokei ${tt[-1]} s (cpu ${ct[-1]}), liability ${tl[-1]} s (cpu ${cl[-1]})"
  done
  T_TOKEI[$corpus]=$(printf '%s\n' "${tt[@]}" | median)
  T_LIAB[$corpus]=$(printf '%s\n' "${tl[@]}" | median)
  if [ "$HAVE_TIME" = 1 ]; then
    C_TOKEI[$corpus]=$(printf '%s\n' "${ct[@]}" | median)
    C_LIAB[$corpus]=$(printf '%s\n' "${cl[@]}" | median)
    R_TOKEI[$corpus]=$(kib_to_mb "$(printf '%s\n' "${rt[@]}" | maxof)")
    R_LIAB[$corpus]=$(kib_to_mb "$(printf '%s\n' "${rl[@]}" | maxof)")
  else
    R_TOKEI[$corpus]=n/a; R_LIAB[$corpus]=n/a; C_TOKEI[$corpus]=n/a; C_LIAB[$corpus]=n/a
  fi
done

# --- Report ------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
report() {
  echo "# liability vs tokei"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); liability $BUILT_REV (as built); $("$TOKEI" --version | head -1)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average (1/5/15 min) at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $RUNS timed runs per tool after one warm-up, alternating; times are medians (wall time; CPU = user + system), RSS is the largest peak RSS seen"
  echo
  echo "| corpus | size MB | .rs MB | tokei s | liability s | liability/tokei | liability RSS MB | tokei RSS MB | tokei CPU s | liability CPU s | CPU ratio | liability files |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for c in $ALL_CORPORA; do
    [ -n "${T_LIAB[$c]:-}" ] || continue
    printf '| %s | %s | %s | %.3f | %.3f | %s | %s | %s | %s | %s | %s | %s |\n' "$c" "${SIZE[$c]}" "${RS_SIZE[$c]}" \
      "${T_TOKEI[$c]}" "${T_LIAB[$c]}" "$(ratio "${T_LIAB[$c]}" "${T_TOKEI[$c]}")" \
      "${R_LIAB[$c]}" "${R_TOKEI[$c]}" "${C_TOKEI[$c]}" "${C_LIAB[$c]}" \
      "$(ratio "${C_LIAB[$c]}" "${C_TOKEI[$c]}")" "${FILES[$c]}"
  done
  # Linear growth: rust-large is ~13x rust-small; if time per MB stays about the same the
  # scan scales linearly, if it grows something is worse than linear (or a single file is slow).
  # Per MB of .rs as well as of all files: rust-large has proportionally more non-Rust bytes
  # (data, docs), which tokei mostly counts too but liability never parses.
  if [ -n "${T_LIAB[rust-small]:-}" ] && [ -n "${T_LIAB[rust-large]:-}" ]; then
    echo
    echo "Scaling rust-small -> rust-large (milliseconds per MB; large/small 1.0 = linear):"
    echo
    echo "| tool | time | small ms/MB | large ms/MB | large/small | small ms/MB .rs | large ms/MB .rs | large/small (.rs) |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for tool in tokei liability; do
      for what in wall CPU; do
        case $tool/$what in
          tokei/wall)     s=${T_TOKEI[rust-small]}; l=${T_TOKEI[rust-large]} ;;
          tokei/CPU)      s=${C_TOKEI[rust-small]}; l=${C_TOKEI[rust-large]} ;;
          liability/wall) s=${T_LIAB[rust-small]};  l=${T_LIAB[rust-large]} ;;
          liability/CPU)  s=${C_LIAB[rust-small]};  l=${C_LIAB[rust-large]} ;;
        esac
        [ "$s" != n/a ] || continue
        awk -v t="$tool" -v w="$what" -v s="$s" -v l="$l" \
            -v ms="${SIZE[rust-small]}" -v ml="${SIZE[rust-large]}" \
            -v rs="${RS_SIZE[rust-small]}" -v rl="${RS_SIZE[rust-large]}" '
          function r(x, y) { return y > 0 ? sprintf("%.2f", x / y) : "n/a" }
          BEGIN { a = 1000 * s / ms; b = 1000 * l / ml; c = 1000 * s / rs; d = 1000 * l / rl
                  printf "| %s | %s | %.1f | %.1f | %s | %.1f | %.1f | %s |\n", t, w, a, b, r(b, a), c, d, r(d, c) }'
      done
    done
  fi
}
report | tee "$BENCH_DIR/results.md"
log "written $BENCH_DIR/results.md; liability reports from the warm-up runs are in $WORK"
