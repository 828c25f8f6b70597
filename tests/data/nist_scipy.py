"""The NIST StRD nonlinear problems with scipy's MINPACK wrapper (`scipy.optimize.leastsq`, analytic
Jacobian, default tolerances) from both starting points: the digits reached, for the comparison in
BENCHMARKS.md.

usage: python3 tests/data/nist_scipy.py [tests/data/nist]
"""

import math
import os
import sys

import numpy as np
from scipy.optimize import leastsq


def parse(path):
    starts1, starts2, cert, data, in_data = [], [], [], [], False
    for line in open(path):
        t = line.strip()
        if in_data:
            v = t.split()
            if len(v) >= 2:
                data.append([float(w) for w in v])
            continue
        if t.startswith("b") and "=" in t and not t.startswith("b1 to"):
            v = t.split("=", 1)[1].split()
            if len(v) == 4:
                starts1.append(float(v[0]))
                starts2.append(float(v[1]))
                cert.append(float(v[2]))
        elif t.startswith("Data:") and "Response" not in t:
            in_data = True
    d = np.array(data)
    return starts1, starts2, cert, d[:, 0], d[:, 1:]


def model(name, b, X):
    x = X[:, 0]
    e = np.exp
    if name in ("Misra1a", "BoxBOD"):
        v = b[0] * (1 - e(-b[1] * x))
        J = [1 - e(-b[1] * x), b[0] * x * e(-b[1] * x)]
    elif name == "Misra1b":
        u = 1 + b[1] * x / 2
        v = b[0] * (1 - u**-2)
        J = [1 - u**-2, b[0] * x * u**-3]
    elif name == "Misra1c":
        u = 1 + 2 * b[1] * x
        v = b[0] * (1 - u**-0.5)
        J = [1 - u**-0.5, b[0] * x * u**-1.5]
    elif name == "Misra1d":
        u = 1 + b[1] * x
        v = b[0] * b[1] * x / u
        J = [b[1] * x / u, b[0] * x / u**2]
    elif name in ("Chwirut1", "Chwirut2"):
        q, d = e(-b[0] * x), b[1] + b[2] * x
        v = q / d
        J = [-x * q / d, -q / d**2, -x * q / d**2]
    elif name.startswith("Lanczos"):
        v, J = 0, []
        for k in range(3):
            q = e(-b[2 * k + 1] * x)
            v = v + b[2 * k] * q
            J += [q, -b[2 * k] * x * q]
    elif name.startswith("Gauss"):
        q = e(-b[1] * x)
        v, J = b[0] * q, [q, -b[0] * x * q, None, None, None, None, None, None]
        for a, m, w in ((2, 3, 4), (5, 6, 7)):
            d = x - b[m]
            g = e(-(d**2) / b[w] ** 2)
            v = v + b[a] * g
            J[a], J[m], J[w] = g, b[a] * g * 2 * d / b[w] ** 2, b[a] * g * 2 * d**2 / b[w] ** 3
    elif name == "DanWood":
        v = b[0] * x ** b[1]
        J = [x ** b[1], v * np.log(x)]
    elif name == "Kirby2":
        n, d = b[0] + b[1] * x + b[2] * x**2, 1 + b[3] * x + b[4] * x**2
        v = n / d
        J = [1 / d, x / d, x**2 / d, -n * x / d**2, -n * x**2 / d**2]
    elif name in ("Hahn1", "Thurber"):
        n = b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3
        d = 1 + b[4] * x + b[5] * x**2 + b[6] * x**3
        v = n / d
        J = [1 / d, x / d, x**2 / d, x**3 / d, -n * x / d**2, -n * x**2 / d**2, -n * x**3 / d**2]
    elif name == "Nelson":
        x1, x2 = X[:, 0], X[:, 1]
        q = e(-b[2] * x2)
        v = b[0] - b[1] * x1 * q
        J = [np.ones_like(x1), -x1 * q, b[1] * x1 * x2 * q]
    elif name == "MGH17":
        q4, q5 = e(-x * b[3]), e(-x * b[4])
        v = b[0] + b[1] * q4 + b[2] * q5
        J = [np.ones_like(x), q4, q5, -b[1] * x * q4, -b[2] * x * q5]
    elif name == "Roszman1":
        d = x - b[3]
        s = 1 / (1 + (b[2] / d) ** 2)
        v = b[0] - b[1] * x - np.arctan(b[2] / d) / math.pi
        J = [np.ones_like(x), -x, -s / (d * math.pi), -s * b[2] / (d**2 * math.pi)]
    elif name == "ENSO":
        w = 2 * math.pi * x
        c12, s12 = np.cos(w / 12), np.sin(w / 12)
        c4, s4, c7, s7 = np.cos(w / b[3]), np.sin(w / b[3]), np.cos(w / b[6]), np.sin(w / b[6])
        v = b[0] + b[1] * c12 + b[2] * s12 + b[4] * c4 + b[5] * s4 + b[7] * c7 + b[8] * s7
        J = [np.ones_like(x), c12, s12, (b[4] * s4 - b[5] * c4) * w / b[3] ** 2, c4, s4,
             (b[7] * s7 - b[8] * c7) * w / b[6] ** 2, c7, s7]
    elif name == "MGH09":
        n, d = x**2 + x * b[1], x**2 + x * b[2] + b[3]
        v = b[0] * n / d
        J = [n / d, b[0] * x / d, -b[0] * n * x / d**2, -b[0] * n / d**2]
    elif name == "Rat42":
        q = e(b[1] - b[2] * x)
        v = b[0] / (1 + q)
        J = [1 / (1 + q), -b[0] * q / (1 + q) ** 2, b[0] * x * q / (1 + q) ** 2]
    elif name == "MGH10":
        q = e(b[1] / (x + b[2]))
        v = b[0] * q
        J = [q, b[0] * q / (x + b[2]), -b[0] * q * b[1] / (x + b[2]) ** 2]
    elif name == "Eckerle4":
        z = (x - b[2]) / b[1]
        q = e(-0.5 * z**2)
        v = b[0] / b[1] * q
        J = [q / b[1], v * (z**2 - 1) / b[1], v * z / b[1]]
    elif name == "Rat43":
        q = e(b[1] - b[2] * x)
        d = 1 + q
        v = b[0] * d ** (-1 / b[3])
        J = [d ** (-1 / b[3]), -v * q / (b[3] * d), v * x * q / (b[3] * d), v * np.log(d) / b[3] ** 2]
    elif name == "Bennett5":
        u = b[1] + x
        v = b[0] * u ** (-1 / b[2])
        J = [u ** (-1 / b[2]), -v / (b[2] * u), v * np.log(u) / b[2] ** 2]
    else:
        raise ValueError(name)
    return v, np.array(J).T


def lre(est, cert):
    rel = abs((est - cert) / cert)
    if not math.isfinite(rel):
        return 0.0
    return 11.0 if rel == 0 else min(11.0, max(0.0, -math.log10(rel)))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "nist")
    names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".dat"))
    print(f"{'problem':<10} {'k':>3} {'LRE 1':>6} {'nfev':>5} {'LRE 2':>6} {'nfev':>5}")
    four = six = 0
    for name in names:
        s1, s2, cert, y, X = parse(os.path.join(folder, name + ".dat"))
        if name == "Nelson":
            y = np.log(y)
        row = [f"{name:<10} {len(cert):>3}"]
        for k, start in enumerate((s1, s2)):
            res = lambda b: model(name, b, X)[0] - y
            jac = lambda b: model(name, b, X)[1]
            with np.errstate(all="ignore"):
                b, _, info, _, _ = leastsq(res, np.array(start), Dfun=jac, full_output=True)
            digits = min(lre(e_, c) for e_, c in zip(b, cert))
            four += k == 0 and digits >= 4
            six += k == 1 and digits >= 6
            row.append(f"{digits:>6.1f} {info['nfev']:>5}")
        print(" ".join(row))
    print(f"LRE >= 4 from start 1: {four} of {len(names)}; LRE >= 6 from start 2: {six} of {len(names)}")


if __name__ == "__main__":
    main()
