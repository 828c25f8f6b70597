#!/usr/bin/env python3
"""The Bayes-optimal accuracy on curves from the peers' generator: an upper bound for any classifier.

usage: bayes_bound.py CURVES_CSV LABELS_CSV [--draws 40000] [--seed 0] [--priors generator|generic]

The generator (`../shared/peers/gen_synthetic.py`) first draws the chance level, the test-set size
and the scales, which the classifier sees, then a category (uniformly) and that category's shape
parameters from fixed priors, then binomial scores. So the posterior of a category given a curve is
proportional to the marginal likelihood E[P(y | shape)] over that category's prior, and picking the
category with the largest posterior is the best any method can do on these curves. This script
estimates each marginal likelihood by Monte Carlo, drawing shapes exactly as the generator does
(the same priors, re-implemented vectorised; checked against the generator's own `true_curve`
below), and reports the accuracy of that rule next to the labels.

It is an analysis of the generator, not a classifier: it knows the priors the crate must not.

`--priors generic` runs the same rule with priors of our own choosing instead, the kind a method
for real curves could defend (flat at any level; trends of at least 5% of the metric, linear or
concave in log scale; emergent floors within 0.1 of chance, steepness 1-30 per decade, midpoint
anywhere in the range; U and inverted-U parabolas with the turn anywhere inside and arms of at
least 5%), to see whether a Bayesian comparison helps without the generator's knowledge.
numpy only.
"""
import argparse
import csv
import collections
import os
import sys

import numpy as np

CATEGORIES = ["scaling", "emergent", "u_shaped", "inverse", "flat"]
GENERIC_CATEGORIES = ["scaling", "emergent", "u_shaped", "inverted_u", "inverse", "flat"]
MIN_EFFECT = 0.05


def monotone_shapes(rng, t, m):
    """m draws of the generator's `monotone_shape`: linear in t, or a saturating power law."""
    u = (t - t[0]) / (t[-1] - t[0])
    span = t[-1] - t[0]
    linear = rng.random(m) < 0.5
    b = rng.uniform(0.05, 0.25, m)[:, None]
    power = (1 - 10 ** (-b * u[None, :] * span)) / (1 - 10 ** (-b * span))
    return np.where(linear[:, None], u[None, :], power)


def draws(rng, cat, t, yr, m):
    """m noise-free curves p(t) of category `cat`, as the generator draws them (clipped to [0, 1])."""
    T = t[-1] - t[0]
    if cat == "scaling":
        start = np.maximum(0.02, yr + rng.uniform(0, 0.2, m))
        rise = rng.uniform(0.15, np.minimum(0.6, 0.98 - start))
        p = start[:, None] + rise[:, None] * monotone_shapes(rng, t, m)
    elif cat == "inverse":
        start = rng.uniform(yr + 0.2, min(0.95, yr + 0.6), m)
        drop = rng.uniform(0.15, np.minimum(0.5, start - max(0.02, yr - 0.15)))
        p = start[:, None] - drop[:, None] * monotone_shapes(rng, t, m)
    elif cat == "emergent":
        floor = yr + rng.uniform(0.005, 0.03, m)
        ceil = floor + rng.uniform(0.2, np.minimum(0.7, 0.98 - floor))
        k = rng.uniform(3, 15, m)
        t0 = rng.uniform(t[0] + 0.3 * T, t[-1] - 0.3 * T, m)
        p = floor[:, None] + (ceil - floor)[:, None] / (1 + np.exp(-k[:, None] * (t[None, :] - t0[:, None])))
    elif cat == "u_shaped":
        out = []
        while sum(len(o) for o in out) < m:  # the generator's rejection: the curve stays <= 0.98
            tv = rng.uniform(t[0] + 0.3 * T, t[-1] - 0.3 * T, m)
            depth = rng.uniform(0.1, 0.3, m)
            a = depth / np.minimum(tv - t[0], t[-1] - tv) ** 2
            ymin = rng.uniform(max(0.02, yr - 0.1), yr + 0.15, m)
            q = ymin[:, None] + a[:, None] * (t[None, :] - tv[:, None]) ** 2
            out.append(q[q.max(axis=1) <= 0.98])
        p = np.concatenate(out)[:m]
    elif cat == "flat":
        level = yr + (rng.uniform(0.005, 0.03, m) if yr == 0 else rng.uniform(-0.02, 0.02, m))
        p = np.repeat(level[:, None], len(t), axis=1)
    else:
        raise ValueError(cat)
    return np.clip(p, 0.0, 1.0)


def generic_shapes(rng, t, m):
    """Monotone shapes from 0 to 1: linear in t, or concave power laws of any reasonable bend."""
    u = (t - t[0]) / (t[-1] - t[0])
    span = t[-1] - t[0]
    linear = rng.random(m) < 0.5
    b = rng.uniform(0.05, 1.0, m)[:, None]
    power = (1 - 10 ** (-b * u[None, :] * span)) / (1 - 10 ** (-b * span))
    return np.where(linear[:, None], u[None, :], power)


def generic_draws(rng, cat, t, yr, m):
    """m curves of `cat` under generic priors (metric in [0, 1], effects of at least MIN_EFFECT)."""
    e, lo, hi = MIN_EFFECT, t[0], t[-1]
    if cat == "flat":
        p = np.repeat(rng.uniform(0, 1, m)[:, None], len(t), axis=1)
    elif cat == "scaling":
        start = rng.uniform(0, 1 - e, m)
        rise = rng.uniform(e, 1 - start)
        p = start[:, None] + rise[:, None] * generic_shapes(rng, t, m)
    elif cat == "inverse":
        start = rng.uniform(e, 1, m)
        drop = rng.uniform(e, start)
        p = start[:, None] - drop[:, None] * generic_shapes(rng, t, m)
    elif cat == "emergent":
        floor = np.clip(yr + rng.uniform(-0.02, 0.1, m), 0, 1)
        ceil = floor + rng.uniform(e, np.maximum(e, 1 - floor))
        k = np.exp(rng.uniform(np.log(1.0), np.log(30.0), m))
        t0 = rng.uniform(lo, hi, m)
        p = floor[:, None] + (ceil - floor)[:, None] / (1 + np.exp(-k[:, None] * (t[None, :] - t0[:, None])))
    else:  # u_shaped, inverted_u: a parabola turning inside the range, shorter arm >= e
        sign = 1.0 if cat == "u_shaped" else -1.0
        out = []
        while sum(len(o) for o in out) < m:
            tv = rng.uniform(lo, hi, m)
            depth = rng.uniform(e, 1, m)
            a = depth / np.maximum(np.minimum(tv - lo, hi - tv), 1e-9) ** 2
            q = rng.uniform(0, 1, m)[:, None] + sign * a[:, None] * (t[None, :] - tv[:, None]) ** 2
            out.append(q[(q.max(axis=1) <= 1) & (q.min(axis=1) >= 0)])
        p = np.concatenate(out)[:m]
    return np.clip(p, 0.0, 1.0)


def log_marginal(k, n, p):
    """log E[prod_i Binomial(k_i | n, p_i)] over the rows of p (the binomial coefficient cancels)."""
    eps = 1e-300
    ll = (k[None, :] * np.log(np.maximum(p, eps)) + (n - k)[None, :] * np.log(np.maximum(1 - p, eps))).sum(axis=1)
    top = ll.max()
    return top + np.log(np.mean(np.exp(ll - top)))


def check_against_generator(rng):
    """The vectorised priors give the same distribution of shapes as the generator's own code."""
    here = os.path.dirname(os.path.abspath(__file__))
    peers = os.path.join(here, "..", "..", "..", "shared", "peers")
    if not os.path.exists(os.path.join(peers, "gen_synthetic.py")):
        return "generator not found: check skipped"
    sys.path.insert(0, peers)
    import gen_synthetic  # noqa: E402

    t = np.linspace(7.2, 11.8, 6)
    worst = 0.0
    for cat in CATEGORIES:
        for yr in (0.0, 0.25, 0.5):
            ours = draws(rng, cat, t, yr, 20000)
            theirs = np.array([np.clip(gen_synthetic.true_curve(rng, cat, t, yr), 0, 1) for _ in range(20000)])
            for q in (0.1, 0.5, 0.9):
                worst = max(worst, np.abs(np.quantile(ours, q, axis=0) - np.quantile(theirs, q, axis=0)).max())
    return f"largest quantile difference from the generator's own draws: {worst:.4f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("curves")
    ap.add_argument("labels")
    ap.add_argument("--draws", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--priors", choices=["generator", "generic"], default="generator")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    if a.priors == "generator":
        print(check_against_generator(rng))
        cats, sample = CATEGORIES, draws
    else:
        cats, sample = GENERIC_CATEGORIES, generic_draws
    points = collections.defaultdict(list)
    for r in csv.DictReader(open(a.curves)):
        points[r["curve_id"]].append(r)
    labels = {r["curve_id"]: r["label"] for r in csv.DictReader(open(a.labels))}
    confusion = collections.Counter()
    for cid, rows in points.items():
        if cid not in labels:
            continue
        rows.sort(key=lambda r: float(r["x_params"]))
        t = np.log10([float(r["x_params"]) for r in rows])
        y = np.array([float(r["y"]) for r in rows])
        n = float(rows[0]["n_examples"])
        yr = float(rows[0]["y_random"])
        k = np.round(y * n)
        best = max(cats, key=lambda c: log_marginal(k, n, sample(rng, c, t, yr, a.draws)))
        confusion[(labels[cid], best)] += 1
    total = sum(confusion.values())
    right = sum(v for (l, p), v in confusion.items() if l == p)
    print(f"Bayes rule with {a.priors} priors: accuracy {right / total:.3f} ({right}/{total}), "
          f"{a.draws} prior draws per category")
    print("true\\pred  " + " ".join(f"{c:>10}" for c in cats) + "   recall")
    for l in cats:
        row = [confusion[(l, p)] for p in cats]
        if sum(row):
            print(f"{l:10} " + " ".join(f"{v:10d}" for v in row) + f"   {row[cats.index(l)] / sum(row):.3f}")


if __name__ == "__main__":
    main()
