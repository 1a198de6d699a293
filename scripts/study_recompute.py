#!/usr/bin/env python3
"""Recomputes the growth study's statistics from its committed raw files (issue 24, item 1).

Reads docs/results/study/runs/*.json (one file per run; FinalMetric is the final dev bpc, History the dev
evaluations) and prints, as Markdown:
  1. per arm: final dev bpc mean +- sd (sample sd, n-1), n, delta vs tuned scratch, Welch t, df, two-sided p, and the
     Holm-corrected p over every comparison made against tuned scratch (all other arms, LR-grid arms included);
  2. stack-depth@0.5: each seed's last dev evaluation before growth (the 2-layer model) against the target;
  3. checks of other numbers quoted in issue 24 (growth timing, LR grid steps, time-to-target with the target moved
     to its 95% CI ends, LR at growth, the dev bpc jump after growth, the d=128 AdamW step costs);
and compares the per-arm numbers with results.csv (written by `bus study`).

Standard library only (no numpy/scipy): Student's t CDF via the regularised incomplete beta function.
Usage: python3 scripts/study_recompute.py [docs/results/study] > docs/results/study/recomputed.md
"""
import csv
import glob
import json
import math
import os
import sys

STUDY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "docs", "results", "study")
TUNED = "scratch-lr0.004"   # report.md: "Scratch peak LR tuned over 0.001, 0.002, 0.004: 0.004"
BUDGET = 240.0              # reference seconds per run (report.md)
WARMUP = 0.05               # 5% warm-up, then linear decay to 0 at the budget (report.md)


# ---- statistics (stdlib only) --------------------------------------------------------------------------------
def _betacf(a, b, x):
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            return h
    raise RuntimeError("betacf did not converge")


def betainc(a, b, x):
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1 - x) / b


def t_two_sided_p(t, df):
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(q, df):
    """Inverse CDF of Student's t by bisection (q in (0.5, 1))."""
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1 - t_two_sided_p(mid, df) / 2 < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def mean_sd(xs):
    n = len(xs)
    m = sum(xs) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)) if n > 1 else float("nan")
    return m, sd, n


def welch(a, b):
    ma, sa, na = mean_sd(a)
    mb, sb, nb = mean_sd(b)
    va, vb = sa * sa / na, sb * sb / nb
    t = (ma - mb) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
    return t, df, t_two_sided_p(t, df)


def holm(pvalues):
    """Holm (1979) step-down adjusted p-values, in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


# ---- data --------------------------------------------------------------------------------------------------------
runs = {}
for path in sorted(glob.glob(os.path.join(STUDY, "runs", "*.json"))):
    with open(path) as f:
        doc = json.load(f)
    runs.setdefault(doc["Arm"], []).append(doc["Run"])
for arm in runs:
    runs[arm].sort(key=lambda r: r["Seed"])

ARM_ORDER = ["scratch-lr0.001", "scratch-lr0.002", TUNED, "stack-depth", "fpi-depth-top", "hypercloning",
             "bus-identity", "identity-control", "ligo", "knowledge-inheritance", "stack-depth:map",
             "stack-depth@0.1", "stack-depth@0.5"]
assert sorted(ARM_ORDER) == sorted(runs), sorted(runs)
final = {arm: [r["FinalMetric"] for r in runs[arm]] for arm in ARM_ORDER}
scratch = final[TUNED]
compared = [a for a in ARM_ORDER if a != TUNED]
tests = {a: welch(final[a], scratch) for a in compared}
adjusted = dict(zip(compared, holm([tests[a][2] for a in compared])))
target, target_sd, target_n = mean_sd(scratch)
half = t_quantile(0.975, target_n - 1) * target_sd / math.sqrt(target_n)


def fmt_p(p):
    return f"{p:.2g}" if p < 0.001 else f"{p:.3f}" if p < 0.1 else f"{p:.2f}"


print(f"# Growth study statistics recomputed from {os.path.relpath(STUDY)}/runs/*.json ({sum(map(len, runs.values()))} runs)\n")
print(f"Tuned scratch ({TUNED}) final dev bpc: {target:.4f} +- {target_sd:.4f} (n={target_n}); "
      f"95% t-CI [{target - half:.3f}, {target + half:.3f}]. Welch two-sided p vs tuned scratch; Holm over the "
      f"{len(compared)} comparisons against tuned scratch.\n")
print("| arm | n | final dev bpc (mean ± sd) | Δ vs tuned scratch | Welch t | df | Welch p | Holm p |")
print("|:--|--:|:--|--:|--:|--:|--:|--:|")
for a in ARM_ORDER:
    m, sd, n = mean_sd(final[a])
    if a == TUNED:
        print(f"| {a} (tuned scratch) | {n} | {m:.3f} ± {sd:.3f} | – | – | – | – | – |")
        continue
    t, df, p = tests[a]
    print(f"| {a} | {n} | {m:.3f} ± {sd:.3f} | {m - target:+.3f} | {t:.2f} | {df:.2f} | {fmt_p(p)} | {fmt_p(adjusted[a])} |")

# ---- cross-check with results.csv ---------------------------------------------------------------------------------
mismatches = []
with open(os.path.join(STUDY, "results.csv")) as f:
    for row in csv.DictReader(f):
        arm = TUNED if row["method"] == "baseline" else row["method"]
        m, sd, n = mean_sd(final[arm])
        if int(row["n"]) != n or abs(float(row["metric_mean"]) - m) > 1e-9 or abs(float(row["metric_std"]) - sd) > 1e-9:
            mismatches.append(f"{arm}: mean/sd/n")
        if arm != TUNED and abs(float(row["welch_p"]) - tests[arm][2]) > 1e-6 * max(1.0, tests[arm][2]) + 1e-9:
            mismatches.append(f"{arm}: Welch p {row['welch_p']} vs {tests[arm][2]}")
print(f"\nresults.csv check: {'every mean, sd, n and Welch p matches' if not mismatches else 'MISMATCH ' + '; '.join(mismatches)}.\n")


# ---- stack-depth@0.5 before growth ---------------------------------------------------------------------------------
def before_growth(run):
    rows = [h for h in run["History"] if h.get("Note") and h["Note"].endswith(": before")]
    return rows[0] if rows else None


print(f"## stack-depth@0.5: each seed's last dev evaluation before growth (2-layer model) vs the target {target:.4f}\n")
print("| seed | step | reference s | budget fraction | layers | dev bpc | below target? |")
print("|--:|--:|--:|--:|--:|--:|:--|")
for r in runs["stack-depth@0.5"]:
    h = before_growth(r)
    print(f"| {r['Seed']} | {h['Step']} | {h['ReferenceSeconds']:.1f} | {h['ReferenceSeconds'] / BUDGET:.3f} | {h['Layers']} | "
          f"{h['DevMetric']:.3f} | {'yes' if h['DevMetric'] <= target else 'no'} |")
print()

# ---- other numbers quoted in issue 24 --------------------------------------------------------------------------------
print("## Other numbers quoted in issue 24\n")
m1, m2, m4 = (mean_sd(final[a])[0] for a in ("scratch-lr0.001", "scratch-lr0.002", TUNED))
print(f"- LR grid: 1e-3 -> 2e-3: {m2 - m1:+.3f} bpc; 2e-3 -> 4e-3: {m4 - m2:+.3f} bpc (4e-3 is the top of the grid).")
print("- Growth timing (mean final dev bpc): " + ", ".join(
    f"{a}: {mean_sd(final[a])[0]:.3f}" for a in ("stack-depth@0.1", "stack-depth", "stack-depth@0.5")))


def time_to_target(run, tgt, interpolate=False):
    """Budget fraction at the first dev evaluation at or below tgt (charged setup included; the study's rule), or
    with interpolate=True linearly interpolated between that evaluation and the one before it; None if never."""
    setup = sum(s["ReferenceSeconds"] for s in run.get("Setup", []) if s.get("Charged"))
    prev = None
    for h in run["History"]:
        if h["DevMetric"] <= tgt:
            at = h["ReferenceSeconds"]
            if interpolate and prev is not None and prev["DevMetric"] > h["DevMetric"]:
                w = (prev["DevMetric"] - tgt) / (prev["DevMetric"] - h["DevMetric"])
                at = prev["ReferenceSeconds"] + w * (h["ReferenceSeconds"] - prev["ReferenceSeconds"])
            return (at + setup) / BUDGET
        prev = h
    return None


print(f"- Time to target (budget fraction, mean over seeds) with the target at tuned scratch's mean and at the ends "
      f"of its 95% t-CI [{target - half:.3f}, {target + half:.3f}]; 'first eval' is the study's rule, 'interpolated' "
      f"interpolates linearly between evaluations:")
for arm in ("stack-depth", "fpi-depth-top", "stack-depth:map", "stack-depth@0.5"):
    parts = []
    for rule, interp in (("first eval", False), ("interpolated", True)):
        vals = []
        for tgt in (target + half, target, target - half):
            fr = [time_to_target(r, tgt, interp) for r in runs[arm]]
            got = [x for x in fr if x is not None]
            vals.append(f"{sum(got) / len(got):.3f}" + ("" if len(got) == len(fr) else f" ({len(got)}/{len(fr)})")
                        if got else "never")
        parts.append(f"{rule}: {' / '.join(vals)}")
    print(f"  - {arm} (target CI high / mean / CI low): " + "; ".join(parts))
scr = [time_to_target(r, target) for r in runs[TUNED]]
print(f"- Time to target, tuned scratch per seed: " + ", ".join('-' if x is None else f'{x:.3f}' for x in scr))
for arm in ("stack-depth@0.1", "stack-depth", "stack-depth@0.5"):
    jumps, lrs = [], []
    for r in runs[arm]:
        hist = r["History"]
        i = next(k for k, h in enumerate(hist) if h.get("Note") and h["Note"].endswith(": after"))
        frac = hist[i]["ReferenceSeconds"] / BUDGET
        lrs.append((1 - frac) / (1 - WARMUP))
        jumps.append(f"{hist[i - 1]['DevMetric']:.3f} -> {hist[i]['DevMetric']:.3f} -> {hist[i + 1]['DevMetric']:.3f}")
    print(f"- {arm}: LR at growth {min(lrs):.2f}-{max(lrs):.2f} x peak (by spent fraction, linear decay after 5% "
          f"warm-up); dev bpc before -> right after growth -> next evaluation: " + "; ".join(jumps))
with open(os.path.join(STUDY, "cost-d128.json")) as f:
    cost = json.load(f)
adamw = sorted((e["active_layers"], e["seconds"]) for e in cost["entries"]
               if e["batch_size"] == 32 and e["optimizer"] == "adamw" and not e["forward_only"])
print("- cost-d128.json, batch 32 AdamW step by layers: " + ", ".join(f"{l}: {s:.3f} s" for l, s in adamw))
sd_steps = {a: runs[a][0]["Steps"] for a in (TUNED, "stack-depth@0.5")}
print(f"- Steps: tuned scratch {sd_steps[TUNED]}, stack-depth@0.5 {sd_steps['stack-depth@0.5']}; "
      f"tokens per run at 4,096 tokens/step: {sd_steps[TUNED] * 4096:,}")
