#!/usr/bin/env bash
# Benchmark: liability-history's read_history (gix, in-process) against
# `git log --numstat --no-renames HEAD` on a generated repository.
#
# Generates (once, then reuses) a repository under /tmp/liability-history-bench with
# $COMMITS commits over $FILES files (git fast-import; needs python3 to write the stream),
# builds the example binary in release mode, then runs each side 3 times, alternating,
# and prints both medians and the ratio (ours / git).
#
# Usage: bench/history.sh [--regenerate] [extra args for the example, e.g. --threads 1]
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=/tmp/liability-history-bench
REPO="$BENCH_DIR/repo"
COMMITS=${COMMITS:-20000}
FILES=${FILES:-300}
RUNS=3

if [[ "${1:-}" == "--regenerate" ]]; then
  rm -rf "$REPO"
  shift
fi

if [[ ! -d "$REPO/.git" ]]; then
  echo "== generating $COMMITS commits over $FILES files in $REPO"
  mkdir -p "$BENCH_DIR"
  rm -rf "$REPO"
  git init -q -b main "$REPO"
  python3 - "$COMMITS" "$FILES" <<'PY' | git -C "$REPO" fast-import --quiet
import random, sys

commits, nfiles = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
out = sys.stdout.buffer
words = ("let fn match self return value index count buffer state error result parse "
         "write read config path option some none into from iter map filter push len").split()
authors = [(f"Dev {i}", f"dev{i}@example.com") for i in range(12)]

def line():
    return " ".join(rng.choice(words) for _ in range(rng.randint(2, 9)))

paths = [f"src/mod{i % 17}/file{i}.rs" for i in range(nfiles)]
files = {p: [line() for _ in range(rng.randint(20, 200))] for p in paths}
time = 1_500_000_000
mark = 0

def data(b):
    out.write(b"data %d\n" % len(b))
    out.write(b)
    out.write(b"\n")

for c in range(commits):
    time += rng.randint(60, 7200)
    name, email = rng.choice(authors)
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer {name} <{email}> {time} +0000\n".encode())
    data(f"commit {c}".encode())
    if c == 0:
        for p in paths:
            out.write(f"M 100644 inline {p}\n".encode())
            data(("\n".join(files[p]) + "\n").encode())
        continue
    if rng.random() < 0.002:
        # An occasional rename with a small edit.
        old = rng.choice(paths)
        new = old.replace(".rs", f"_r{c}.rs")
        lines = files.pop(old)
        lines[rng.randrange(len(lines))] = line()
        paths[paths.index(old)] = new
        files[new] = lines
        out.write(f"D {old}\n".encode())
        out.write(f"M 100644 inline {new}\n".encode())
        data(("\n".join(lines) + "\n").encode())
        continue
    for p in rng.sample(paths, rng.randint(1, 4)):
        lines = files[p]
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            at = rng.randrange(len(lines) + 1)
            if r < 0.25 and len(lines) > 10 and at < len(lines):
                del lines[at]
            elif r < 0.55 and at < len(lines):
                lines[at] = line()
            else:
                for _ in range(rng.randint(1, 6)):
                    lines.insert(at, line())
        if len(lines) > 600:
            del lines[rng.randrange(len(lines) - 100):][:100]
        out.write(f"M 100644 inline {p}\n".encode())
        data(("\n".join(lines) + "\n").encode())
PY
  git -C "$REPO" -c gc.auto=0 gc -q
  git -C "$REPO" checkout -q main
fi

echo "== building the example (release)"
cargo build --release --example history -p liability-history --quiet
OURS=target/release/examples/history

commits=$(git -C "$REPO" rev-list --count HEAD)
files=$(git -C "$REPO" ls-files | wc -l)
size=$(du -sh "$REPO/.git" | cut -f1)
echo "== repository: $commits commits, $files files, .git $size"

# Wall and CPU (user + sys) seconds of one command, via bash's `time` keyword.
TIMEFORMAT='%R %U %S'
measure() { { time "$@" >/dev/null; } 2>&1 | tail -1; }
git_wall=(); git_cpu=(); our_wall=(); our_cpu=()
for run in $(seq 1 $RUNS); do
  read -r w u s < <(measure git -C "$REPO" log --numstat --no-renames HEAD)
  git_wall+=("$w"); git_cpu+=("$(echo "$u + $s" | bc)")
  read -r w u s < <(measure "$OURS" "$REPO" --window-days 100000 --top 0 "$@")
  our_wall+=("$w"); our_cpu+=("$(echo "$u + $s" | bc)")
  echo "run $run: git log ${git_wall[-1]} s (cpu ${git_cpu[-1]} s), read_history ${our_wall[-1]} s (cpu ${our_cpu[-1]} s)"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
gw=$(median "${git_wall[@]}"); gc=$(median "${git_cpu[@]}")
ow=$(median "${our_wall[@]}"); oc=$(median "${our_cpu[@]}")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ours:  $("$OURS" "$REPO" --window-days 100000 --top 0 "$@" | head -1)"
echo "git log totals: $(git -C "$REPO" log --numstat --no-renames --format= HEAD | awk '{a+=$1; r+=$2} END {print "+" a " -" r}') (more than ours by the renamed files, which --no-renames counts as deleted + added)"
printf 'median wall: git log %.2f s, read_history %.2f s, ratio (ours/git) %.2f\n' "$gw" "$ow" "$(echo "$ow / $gw" | bc -l)"
printf 'median cpu:  git log %.2f s, read_history %.2f s, ratio (ours/git) %.2f\n' "$gc" "$oc" "$(echo "$oc / $gc" | bc -l)"
