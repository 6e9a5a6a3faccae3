#!/usr/bin/env python3
"""Golden regression metrics from scikit-learn for nnj's RegressionReportTest.

Writes nn-api/src/test/resources/golden/regression_golden.json. Each case holds float32 predictions and targets
(`outputs` columns per row, row-major), sample weights, and what scikit-learn computes from the same numbers (the
float32 values widened to float64), with no weights ("plain") and with sample_weight=w ("weighted"):

  mse   mean_squared_error(y, p)                       rmse  mean_squared_error(y, p, squared=False)
  mae   mean_absolute_error(y, p)                      r2    r2_score(y, p)
  ev    explained_variance_score(y, p)
  columns  the same per output column (multioutput='raw_values'), as {mse, rmse, mae, r2, ev} lists

r2 of fewer than two rows is NaN in scikit-learn; JSON has no NaN, so it is written as null. Cases: two noisy
outputs; constant target columns predicted exactly and off (force_finite's 1 and 0); targets that vary only on rows
weighing 0 (constant once weighted); predictions off by a constant (explained variance 1, R² below it); one row.

Regenerate (tests never run this; they read the committed JSON), from the repository root:

    /usr/bin/python3 scripts/golden/make_regression_golden.py

with Debian's python3-sklearn (1.2.1) and python3-numpy. Commit the JSON together with any change to this script.
"""

import json
import math
import os

import numpy as np
import sklearn
from sklearn.metrics import explained_variance_score, mean_absolute_error, mean_squared_error, r2_score

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-api", "src", "test", "resources", "golden",
                   "regression_golden.json")


def finite(v):
    return None if math.isnan(v) else float(v)


def figures(y, p, **kw):
    raw = dict(multioutput="raw_values", **kw)
    return {"mse": float(mean_squared_error(y, p, **kw)),
            "rmse": float(mean_squared_error(y, p, squared=False, **kw)),
            "mae": float(mean_absolute_error(y, p, **kw)),
            "r2": finite(r2_score(y, p, **kw)),
            "ev": float(explained_variance_score(y, p, **kw)),
            "columns": {"mse": [float(v) for v in mean_squared_error(y, p, **raw)],
                        "rmse": [float(v) for v in mean_squared_error(y, p, squared=False, **raw)],
                        "mae": [float(v) for v in mean_absolute_error(y, p, **raw)],
                        "r2": [finite(v) for v in np.atleast_1d(r2_score(y, p, **raw))],
                        "ev": [float(v) for v in explained_variance_score(y, p, **raw)]}}


def case(name, predicted, targets, outputs, w):
    p32 = np.asarray(predicted, dtype=np.float32).reshape(-1, outputs)
    y32 = np.asarray(targets, dtype=np.float32).reshape(-1, outputs)
    p, y = p32.astype(np.float64), y32.astype(np.float64)
    w = np.asarray(w, dtype=np.float64)
    return {"name": name, "outputs": outputs, "predicted": [float(v) for v in p32.ravel()],
            "targets": [float(v) for v in y32.ravel()], "sample_weight": [float(v) for v in w],
            "plain": figures(y, p), "weighted": figures(y, p, sample_weight=w)}


def sample_weights(rng, n):
    """Weights with zeros (about 15 %), fractions that are not dyadic, and weights above 1."""
    w = rng.random(n) * 3
    w[rng.random(n) < 0.3] = rng.choice([0.25, 0.5, 1.0, 2.0])
    w[rng.random(n) < 0.15] = 0.0
    return w


def main():
    rng = np.random.default_rng(20261203)
    cases = []
    # Two noisy outputs of different scales, 50 rows.
    y = rng.normal(0, 1, (50, 2)) * [1.0, 40.0] + [0.0, 100.0]
    p = y + rng.normal(0, 1, (50, 2)) * [0.6, 25.0]
    cases.append(case("two-outputs", p, y, 2, sample_weights(rng, 50)))
    # A varying column, a constant column predicted exactly, a constant column predicted off.
    y = np.c_[rng.normal(0, 1, 12), np.full(12, 2.0), np.full(12, -3.0)]
    p = np.c_[y[:, 0] + rng.normal(0, 0.3, 12), np.full(12, 2.0), np.full(12, -3.0) + rng.normal(0, 0.5, 12)]
    cases.append(case("constant-columns", p, y, 3, sample_weights(rng, 12)))
    # Targets vary only on the rows weighing 0: constant once weighted. Column 0 is predicted exactly on the
    # weighted rows (R² and explained variance 1), column 1 off (0).
    y = np.array([[1, 1], [1, 1], [1, 1], [5, 5], [1, 1], [-2, -2]], dtype=np.float64)
    p = np.array([[1, 1.5], [1, 0.5], [1, 1], [0, 0], [1, 1.25], [3, 3]], dtype=np.float64)
    cases.append(case("constant-once-weighted", p, y, 2, [1.0, 2.0, 0.5, 0.0, 0.3, 0.0]))
    # Predictions off by a constant (a dyadic 0.5, exact in float32): explained variance 1, R² below it.
    y = np.round(rng.normal(0, 2, 20) * 8) / 8
    cases.append(case("constant-offset", y + 0.5, y, 1, np.round(sample_weights(rng, 20) * 4) / 4))
    # One row: R² is NaN, explained variance 1 (no variance left over), the errors are defined.
    cases.append(case("one-row", [4.0], [5.0], 1, [0.7]))
    with open(OUT, "w") as f:
        f.write('{"sklearn": %s, "cases": [\n' % json.dumps(sklearn.__version__))
        f.write(",\n".join(json.dumps(c, allow_nan=False) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.normpath(OUT), len(cases), "cases")
    for c in cases:
        print(c["name"], {k: c["weighted"][k] for k in ("mse", "mae", "r2", "ev")})


if __name__ == "__main__":
    main()
