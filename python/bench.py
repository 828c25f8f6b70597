"""Classify the same curves from Python with this package and with the scipy pipeline of the
comparison kit, in one run, and print the ratio (BENCHMARKS.md).

    python bench.py CURVES.csv PEERS_DIR [--trials 3]

PEERS_DIR holds `common.py` and `scipy_baseline.py` of the comparison kit (numpy and scipy
needed). The package is timed with intervals off and on, one curve at a time and with
`classify_all`; conversions from Python lists are inside the timing.
"""
import argparse
import csv
import statistics
import sys
import time

import emergence_detect as ed


def load(path):
    points = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            points.setdefault(r["curve_id"], []).append(
                (float(r["x_params"]), float(r["y"]), float(r["n_examples"]), float(r["y_random"]))
            )
    return points


def rate(fn, n, trials):
    rates = []
    for _ in range(trials):
        t0 = time.perf_counter()
        fn()
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("curves")
    ap.add_argument("peers")
    ap.add_argument("--trials", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, a.peers)
    import common  # noqa: E402
    import scipy_baseline  # noqa: E402

    points = load(a.curves)

    def build():
        out = []
        for p in points.values():
            p = sorted(p)
            out.append(ed.Curve([q[0] for q in p], [q[1] for q in p],
                                n_examples=[q[2] for q in p], chance=p[0][3]))
        return out

    curves = build()
    n = len(curves)
    one_by_one = rate(lambda: [ed.classify(c) for c in build()], n, a.trials)
    batch = rate(lambda: ed.classify_all(build()), n, a.trials)
    peer_curves = common.load_curves(a.curves)
    fitter = scipy_baseline.make_fitter("lm")
    scipy_rate = rate(lambda: [common.classify(c, fitter) for c in peer_curves.values()], n, a.trials)
    print(f"{n} curves, median of {a.trials} trials, in one run")
    print(f"scipy pipeline (curve_fit lm):            {scipy_rate:10.1f} curves/s")
    print(f"emergence_detect.classify, one by one:    {one_by_one:10.1f} curves/s  ({one_by_one / scipy_rate:.0f}x)")
    print(f"emergence_detect.classify_all:            {batch:10.1f} curves/s  ({batch / scipy_rate:.0f}x)")


if __name__ == "__main__":
    main()
