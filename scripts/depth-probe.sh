#!/usr/bin/env bash
# Probe below the frontier study's smallest size (docs/study.md, "Status"): at the gpt-d48 scale's largest budget
# (72.2 reference seconds, docs/results/frontier/scale-gpt-d48.json) train the 1-layer and the 2-layer GPT (d=48, 4 heads,
# context 64, batch 32) for the steps that budget buys at the study's calibrated per-step costs
# (docs/results/frontier/cost-gpt-d48.json: 0.0130798 s and 0.0241506 s), several learning rates and seeds, one thread,
# and write each run's last line to docs/results/depth-probe/results.tsv. Resumes: a finished (layers, lr, seed) is skipped.
#   scripts/depth-probe.sh [seeds=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs/results/depth-probe"; mkdir -p "$OUT"
SEEDS="${1:-2}"
cd "$ROOT"
[[ -f data/full/brown.txt ]] || scripts/fetch-brown.sh
BUS="${BUS:-dotnet $ROOT/src/Bus.Cli/bin/Release/net10.0/bus.dll}"
touch "$OUT/results.tsv"
for seed in $(seq 0 $((SEEDS - 1))); do
  for spec in "2 2990 0.004" "2 2990 0.008" "1 5520 0.004" "1 5520 0.008" "1 5520 0.016"; do
    read -r layers steps lr <<< "$spec"
    key="layers=$layers lr=$lr seed=$seed"
    grep -q "^$key	" "$OUT/results.tsv" && continue
    log="$OUT/layers$layers-lr$lr-seed$seed.log"
    $BUS train --task charlm --corpus data/full/brown.txt --d 48 --heads 4 --layers "$layers" --context 64 --batch 32 \
      --steps "$steps" --lr "$lr" --seed "$seed" --threads 1 --max-eval 4096 --progress-every 1000 > "$log" 2>&1
    printf '%s\t%s\t%s\n' "$key" "$steps" "$(grep -E '^done:' "$log" | tail -1)" >> "$OUT/results.tsv"
  done
done
