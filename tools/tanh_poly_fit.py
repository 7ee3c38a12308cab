#!/usr/bin/env python3
"""Fits FloatMath.TANH_POLY, the polynomial Q of tanh's reduced exponential:

    (1 - e^(-2r)) / 2  ~  r + r^2 Q(r),   |r| <= 0.1734 (ln2/4 and a margin), Q of degree 5,

minimizing the relative error (Remez exchange, 50-digit arithmetic), with Q(0) = -1 held exact
(so that tanh is exactly x for tiny x). The coefficients are then rounded to float32 one at a time
from the lowest power up, refitting the higher ones after each rounding. Prints the Java array
(highest power first) and the relative error of the float coefficients.

Needs mpmath and numpy. Takes about a minute.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
HI = mp.mpf('0.1734')
DEGREE = 5


def target(r):
    return -mp.expm1(-2 * r) / 2


def approx(fixed, free, r):
    q = fixed + free
    return r + r * r * sum(c * r ** j for j, c in enumerate(q))


def remez(fixed, nfree, iters=40):
    """Minimax fit of the free coefficients of Q's powers len(fixed) .. len(fixed)+nfree-1."""
    nf, n = len(fixed), nfree + 1
    xs = [-HI * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / n) for i in range(n)]
    free, worst = [], None
    for _ in range(iters):
        a, b = mp.matrix(n, n), mp.matrix(n, 1)
        for i, x in enumerate(xs):
            ex = target(x)
            for j in range(nfree):
                a[i, j] = x ** (2 + nf + j) / ex
            a[i, nfree] = (-1) ** i
            b[i] = (ex - approx(fixed, [], x)) / ex
        sol = mp.lu_solve(a, b)
        free = [sol[j] for j in range(nfree)]
        grid = [HI * (2 * mp.mpf(i) / 2000 - 1) for i in range(2001) if i != 1000]
        err = [(approx(fixed, free, x) - target(x)) / target(x) for x in grid]
        worst = max(abs(e) for e in err)
        # the new reference: the largest error between consecutive sign changes
        segments = [[0]]
        for i in range(1, len(grid)):
            if mp.sign(err[i]) != mp.sign(err[segments[-1][-1]]):
                segments.append([i])
            else:
                segments[-1].append(i)
        points = [max(s, key=lambda i: abs(err[i])) for s in segments]
        while len(points) > n:
            points.pop(0 if abs(err[points[0]]) < abs(err[points[-1]]) else -1)
        if len(points) < n:
            break
        xs = [grid[i] for i in points]
    return free, worst


fixed = [mp.mpf(-1)]
while len(fixed) <= DEGREE:
    free, worst = remez(fixed, DEGREE + 1 - len(fixed))
    print("%d fixed, %d free: relative error %.3g" % (len(fixed), len(free), float(worst)))
    fixed.append(mp.mpf(float(np.float32(float(free[0])))))
worst = max(abs((approx(fixed, [], x) - target(x)) / target(x)) for x in [HI * (mp.mpf(i) / 5000 - 1) for i in range(10001) if i != 5000])
print("float coefficients: relative error %.3g (%.4f ulp)" % (float(worst), float(worst) / 2 ** -24))
print("{" + ", ".join(np.format_float_positional(np.float32(float(c)), unique=True) + "f" for c in reversed(fixed)) + "}")
