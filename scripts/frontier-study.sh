#!/usr/bin/env bash
# Starts (or resumes) the compute-frontier study (`bus study --preset frontier`, docs/study.md) in the background, from
# ONE build: the commit recorded in docs/results/frontier/build.txt when the folder already holds runs (so a resume never
# mixes builds), else HEAD. That commit is checked out in a separate worktree ($BUILD_DIR), built there, and each worker
# runs its bus.dll with one torch thread; workers share the folder through run claims. Logs: $OUT/worker-<n>.log.
#   scripts/frontier-study.sh [workers=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKERS="${1:-2}"
OUT="$ROOT/docs/results/frontier"
BUILD_DIR="${BUILD_DIR:-/tmp/bus-frontier-build}"
cd "$ROOT"
[[ -f data/full/brown.txt ]] || scripts/fetch-brown.sh
if [[ -f "$OUT/build.txt" ]]; then
  COMMIT="$(sed -E 's/.*\+([0-9a-f]{40}).*/\1/' "$OUT/build.txt")"
else
  COMMIT="$(git rev-parse HEAD)"
  [[ -z "$(git status --porcelain -- src)" ]] || { echo "src/ has uncommitted changes: commit them first (the study records the commit)" >&2; exit 1; }
fi
if [[ ! -d "$BUILD_DIR" ]]; then git worktree add --detach "$BUILD_DIR" "$COMMIT"; fi
[[ "$(git -C "$BUILD_DIR" rev-parse HEAD)" == "$COMMIT" ]] || { echo "$BUILD_DIR is not at $COMMIT; remove it (git worktree remove --force $BUILD_DIR)" >&2; exit 1; }
dotnet build "$BUILD_DIR/src/Bus.Cli" -c Release -nologo -v q
mkdir -p "$OUT"
for n in $(seq 1 "$WORKERS"); do
  nohup nice -n 19 dotnet "$BUILD_DIR/src/Bus.Cli/bin/Release/net10.0/bus.dll" study --preset frontier --threads 1 \
    --corpus "$ROOT/data/full/brown.txt" --out "$OUT" >> "$OUT/worker-$n.log" 2>&1 &
  echo "worker $n: pid $! (log $OUT/worker-$n.log), build $COMMIT"
  sleep 20
done
