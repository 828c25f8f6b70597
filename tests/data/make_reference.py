#!/usr/bin/env python3
"""Reference fits for the crate's built-in families, made with scipy.optimize.curve_fit.

usage: python3 make_reference.py        (writes reference_curves.csv and reference_fits.csv here)

Each family gets one deterministic noisy curve (numpy seed 7) in t = log10(x), per-point sigma
given explicitly; curve_fit (method 'lm', absolute_sigma, tight tolerances) fits the same
parameterisation as the crate:
  constant   y = c
  linear     y = a + b t
  quadratic  y = a + b t + c t^2
  power_law  y = c - a 10^(-b (t - 9))
  broken_power_law  y = a + b exp(-ln10 c0 (t - 9) - c1 f1 softplus(ln10 (t - t1) / f1))
  hinge      y = base + slope max(0, t - t0)
  logistic   y = floor + (ceil - floor) / (1 + exp(-k (t - t0)))
  double_logistic  y = base + a1 / (1 + exp(-k (t - t1))) + a2 / (1 + exp(-k (t - t2)))
Tested in tests/reference.rs to 1e-4 relative on every parameter.
"""
import csv
import os

import numpy as np
from scipy.optimize import curve_fit

LN10 = np.log(10.0)


def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


FAMILIES = {
    "constant": (lambda t, c: np.full_like(t, c), [0.4], [0.41]),
    "linear": (lambda t, a, b: a + b * t, [-0.9, 0.13], [-0.8, 0.1]),
    "quadratic": (lambda t, a, b, c: a + b * t + c * t * t, [4.5, -0.9, 0.047], [4.0, -0.8, 0.04]),
    "power_law": (lambda t, c, a, b: c - a * 10 ** (-b * (t - 9)), [0.8, 0.3, 0.35], [0.75, 0.25, 0.3]),
    "broken_power_law": (
        lambda t, a, b, c0, c1, t1, f1: a + b * np.exp(-LN10 * c0 * (t - 9) - c1 * f1 * softplus(LN10 * (t - t1) / f1)),
        [0.9, -0.5, -0.05, 0.8, 9.5, 0.3], [0.85, -0.45, -0.03, 0.7, 9.4, 0.35]),
    "hinge": (lambda t, base, slope, t0: base + slope * np.maximum(0, t - t0), [0.25, 0.15, 9.3], [0.25, 0.12, 9.1]),
    "logistic": (lambda t, fl, ce, k, t0: fl + (ce - fl) / (1 + np.exp(-k * (t - t0))),
                 [0.25, 0.8, 3.0, 9.8], [0.3, 0.7, 2.0, 9.5]),
    "double_logistic": (
        lambda t, base, a1, t1, a2, t2, k: base + a1 / (1 + np.exp(-k * (t - t1))) + a2 / (1 + np.exp(-k * (t - t2))),
        [0.1, 0.6, 8.8, -0.3, 10.6, 4.0], [0.12, 0.55, 8.9, -0.25, 10.5, 3.5]),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = np.random.default_rng(7)
    curves, fits = [], []
    for name, (f, truth, p0) in FAMILIES.items():
        n = 16 if name in ("broken_power_law", "double_logistic") else 12
        t = np.sort(np.linspace(7.0, 12.0, n) + rng.uniform(-0.08, 0.08, n))
        sigma = rng.uniform(0.01, 0.03, n)
        y = f(t, *truth) + sigma * rng.standard_normal(n)
        popt, _ = curve_fit(f, t, y, p0=p0, sigma=sigma, absolute_sigma=True, method="lm",
                            ftol=1e-15, xtol=1e-15, gtol=0.0, maxfev=100000)
        chi2 = float(np.sum(((f(t, *popt) - y) / sigma) ** 2))
        for ti, yi, si in zip(t, y, sigma):
            curves.append([name, repr(float(10 ** ti)), repr(float(yi)), repr(float(si))])
        for j, v in enumerate(popt):
            fits.append([name, j, repr(float(v))])
        fits.append([name, "chi2", repr(chi2)])
    with open(os.path.join(here, "reference_curves.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["family", "x", "y", "sigma"])
        w.writerows(curves)
    with open(os.path.join(here, "reference_fits.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["family", "param", "value"])
        w.writerows(fits)


if __name__ == "__main__":
    main()
