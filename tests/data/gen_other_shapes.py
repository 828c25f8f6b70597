#!/usr/bin/env python3
"""Labelled curves from shape processes other than the peers' generator, for EVALUATION.md.

usage: python3 gen_other_shapes.py SEED N_PER_SHAPE OUTDIR [--unknown-noise]

Shapes (label in brackets), on real model-size ladders (Pythia, OPT, GPT-Neo/J, Qwen1.5, LLaMA,
BLOOM; 4-8 sizes) or log-spaced grids:
  hinge          [emergent]   flat at chance until a threshold (30-60% of the range), then linear
  exact_match    [emergent]   p^L with per-token accuracy p linear in log x (Schaeffer et al. 2023)
  double_u       [u_shaped]   a logistic fall then a logistic rise (double logistic)
  double_inv_u   [inverted_u] a logistic rise then a logistic fall
  power_scaling  [scaling]    c - a x^-b with a visible bend
  sqrt_inverse   [inverse]    a concave fall
  flat           [flat]       constant near chance
Noise is binomial with 100-2000 examples per point, or (--unknown-noise) Gaussian with a standard
deviation of 0.01-0.03 and no example counts in the file.
"""
import csv
import os
import sys

import numpy as np

LADDERS = {
    "Pythia": [7e7, 1.6e8, 4.1e8, 1e9, 1.4e9, 2.8e9, 6.9e9, 1.2e10],
    "OPT": [1.25e8, 3.5e8, 1.3e9, 2.7e9, 6.7e9, 1.3e10, 3e10, 6.6e10],
    "GPT-Neo/J": [1.25e8, 1.3e9, 2.7e9, 6.05e9, 2e10],
    "Qwen1.5": [5e8, 1.8e9, 4e9, 7e9, 1.4e10, 3.2e10, 7.2e10, 1.1e11],
    "LLaMA": [6.7e9, 1.3e10, 3.25e10, 6.52e10],
    "BLOOM": [5.6e8, 1.1e9, 1.7e9, 3e9, 7.1e9, 1.76e11],
}


def sizes(rng):
    if rng.random() < 0.6:
        name = list(LADDERS)[rng.integers(len(LADDERS))]
        return name, np.log10(np.array(LADDERS[name]))
    n = int(rng.integers(5, 11))
    lo = 7 + rng.uniform(0, 1)
    return "grid", np.linspace(lo, lo + rng.uniform(3, 5), n)


def sig(z):
    return 1 / (1 + np.exp(-z))


def shape(rng, kind, t, chance):
    lo, hi = t[0], t[-1]
    span = hi - lo
    u = (t - lo) / span
    if kind == "hinge":
        t0 = rng.uniform(0.3, 0.6)
        rise = rng.uniform(0.25, min(0.6, 0.95 - chance))
        return chance + rise * np.maximum(0, u - t0) / (1 - t0)
    if kind == "exact_match":
        length = int(rng.choice([3, 5, 8]))
        p = 0.2 + (0.97 - 0.2) * u
        return np.maximum(chance, p ** length)
    if kind == "double_u":
        top = rng.uniform(chance + 0.2, min(0.95, chance + 0.5))
        depth = rng.uniform(0.15, min(0.35, top - 0.02))
        a, b = rng.uniform(0.15, 0.35), rng.uniform(0.65, 0.85)
        k = rng.uniform(8, 20) / 1.0
        return top - depth * sig(k * (u - a)) + depth * rng.uniform(0.8, 1.0) * sig(k * (u - b))
    if kind == "double_inv_u":
        base = chance + rng.uniform(0.0, 0.05)
        height = rng.uniform(0.2, min(0.5, 0.95 - base))
        a, b = rng.uniform(0.15, 0.35), rng.uniform(0.65, 0.85)
        k = rng.uniform(8, 20)
        return base + height * sig(k * (u - a)) - height * rng.uniform(0.8, 1.0) * sig(k * (u - b))
    if kind == "power_scaling":
        start = chance + rng.uniform(0.0, 0.15)
        gain = rng.uniform(0.2, min(0.6, 0.95 - start))
        b = rng.uniform(0.3, 1.0) / span * 2.3
        return start + gain * (1 - np.exp(-b * (t - lo))) / (1 - np.exp(-b * span))
    if kind == "sqrt_inverse":
        start = rng.uniform(chance + 0.25, min(0.95, chance + 0.6))
        drop = rng.uniform(0.15, min(0.4, start - chance))
        return start - drop * np.sqrt(u)
    if kind == "flat":
        return np.full_like(t, chance + rng.uniform(0.0, 0.02))
    raise ValueError(kind)


LABELS = {"hinge": "emergent", "exact_match": "emergent", "double_u": "u_shaped",
          "double_inv_u": "inverted_u", "power_scaling": "scaling", "sqrt_inverse": "inverse",
          "flat": "flat"}


def main():
    seed, per, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    unknown = "--unknown-noise" in sys.argv
    rng = np.random.default_rng(seed)
    kinds = np.repeat(list(LABELS), per)
    rng.shuffle(kinds)
    rows, labels = [], []
    for i, kind in enumerate(kinds):
        cid = f"o{i:05d}"
        family, t = sizes(rng)
        chance = float(rng.choice([0.0, 0.25, 0.5])) if kind != "exact_match" else 0.0
        p = np.clip(shape(rng, kind, t, chance), 0.0, 1.0)
        if unknown:
            y = np.clip(p + rng.normal(0, rng.uniform(0.01, 0.03), len(t)), 0, 1)
            n = ""
        else:
            n = int(rng.choice([100, 300, 1000, 2000]))
            y = rng.binomial(n, p) / n
        for ti, yi in zip(t, y):
            rows.append([cid, family, f"task{i:05d}", "accuracy", 0, f"{10 ** ti:.6e}", repr(float(yi)), chance, n])
        labels.append([cid, LABELS[kind], kind])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "curves.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["curve_id", "family", "task", "metric", "shots", "x_params", "y", "y_random", "n_examples"])
        w.writerows(rows)
    with open(os.path.join(out, "labels.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["curve_id", "label", "shape"])
        w.writerows(labels)
    print(f"wrote {len(labels)} curves to {out}")


if __name__ == "__main__":
    main()
