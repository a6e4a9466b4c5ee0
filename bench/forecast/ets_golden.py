# Reference ETS fits for the golden checks of tests/cpp/forecast_ets_test.cpp: statsmodels ETSModel
# (maximum likelihood, initial states estimated) on the same four series. Run with Debian's packages:
#   /usr/bin/python3 bench/forecast/ets_golden.py   (python3-statsmodels 0.13.5, python3-numpy 1.24)
import math, warnings
import numpy as np
warnings.simplefilter("ignore")
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

def noise(n, seed):
    s, out = seed, []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append((s >> 11) / 4503599627370496.0 - 1.0)
    return out

def series():
    e, w = noise(60, 7), noise(60, 8)
    yield "level", dict(error="add"), [round(50 + 3 * sum(w[:t + 1]) + 2 * e[t], 2) for t in range(40)]
    e, w = noise(60, 11), noise(60, 12)
    yield "trend", dict(error="add", trend="add"), [
        round(100 + 1.5 * t + 3 * sum(w[:t + 1]) + 2 * e[t], 2) for t in range(48)]
    yield "damped", dict(error="add", trend="add", damped_trend=True), [
        round(100 + 30 * (1 - 0.9 ** t) + 3 * sum(w[:t + 1]) + 2 * e[t], 2) for t in range(48)]
    e = noise(60, 13)
    yield "seasonal", dict(error="add", seasonal="add", seasonal_periods=4), [
        round(200 + 0.5 * t + 12 * [1, -1, 2, -2][t % 4] + 3 * e[t], 2) for t in range(48)]

for name, kw, y in series():
    r = ETSModel(np.array(y), **kw).fit(disp=False)
    print(name, kw)
    print("  y =", y)
    print("  params", {k: float(v) for k, v in zip(r.param_names, r.params)})
    print("  llf", repr(r.llf), "aicc", repr(r.aicc), "k", r.df_model)
