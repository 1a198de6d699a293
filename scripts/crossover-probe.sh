#!/usr/bin/env bash
# Probe beyond the frontier study's largest budget (docs/study.md, "Status"): where does the full model become the
# compute-optimal size at the gpt-d80 scale? At 3x that scale's largest budget (3 x 373 = 1119 reference seconds,
# docs/results/frontier/scale-gpt-d80.json) train the GPT (d=80, 4 heads, context 64, batch 32, lr 4e-3: the tuned best
# of both sizes in docs/results/frontier/report.md) with 2 and with 4 layers for the steps that budget buys at the
# study's calibrated per-step costs (docs/results/frontier/cost-gpt-d80.json: 0.0477364 s and 0.1223237 s per step),
# one thread, and write each run's last line to docs/results/crossover-probe/results.tsv. Resumes: a finished
# (layers, seed) is skipped, an unfinished one goes on from its checkpoint (runs/crossover-probe/, not committed).
# Several instances may run side by side on different layer counts.
#   scripts/crossover-probe.sh LAYERS [seeds=1]      (LAYERS: 2 or 4)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs/results/crossover-probe"; mkdir -p "$OUT"
LAYERS="${1:?usage: scripts/crossover-probe.sh LAYERS [seeds=1]}"
SEEDS="${2:-1}"
case "$LAYERS" in
  2) STEPS=23441 ;;
  4) STEPS=9148 ;;
  *) echo "LAYERS must be 2 or 4, got '$LAYERS'" >&2; exit 2 ;;
esac
cd "$ROOT"
[[ -f data/full/brown.txt ]] || scripts/fetch-brown.sh
BUS="${BUS:-dotnet $ROOT/src/Bus.Cli/bin/Release/net10.0/bus.dll}"
touch "$OUT/results.tsv"
for seed in $(seq 0 $((SEEDS - 1))); do
  key="layers=$LAYERS lr=0.004 seed=$seed"
  grep -q "^$key	" "$OUT/results.tsv" && continue
  log="$OUT/layers$LAYERS-seed$seed.log"
  $BUS train --checkpoint-dir "$ROOT/runs/crossover-probe/layers$LAYERS-seed$seed" --checkpoint-every 500 \
    --task charlm --corpus data/full/brown.txt --d 80 --heads 4 --layers "$LAYERS" --context 64 --batch 32 \
    --steps "$STEPS" --lr 0.004 --seed "$seed" --threads 1 --max-eval 4096 --progress-every 1000 >> "$log" 2>&1
  printf '%s\t%s\t%s\n' "$key" "$STEPS" "$(grep -E '^done:' "$log" | tail -1)" >> "$OUT/results.tsv"
done
