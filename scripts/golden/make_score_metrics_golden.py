#!/usr/bin/env python3
"""Golden probability and ranking metrics from scikit-learn for nnj's ScoreMetricsTest.

Writes nn-api/src/test/resources/golden/score_metrics_golden.json. Each case holds float32 model outputs
(`outputs` columns per row: 1 for a sigmoid's class-1 probability, else one per class, softmax rows), the true
classes, and what scikit-learn computes from the same numbers (the float32 values widened to float64):

  y_pred             the predicted class: arg-max (first maximum), or p > 0.5 for one output (the threshold of
                     LabelBinarizer.inverse_transform, which MLPClassifier.predict uses: 0.5 itself is class 0)
  balanced_accuracy  balanced_accuracy_score(y_true, y_pred)
  log_loss           {eps: log_loss(y_true, P, eps=eps, labels=range(K))}, P the (N, outputs) float64 array
                     (1-D for one output)
  roc_auc            score:    roc_auc_score(y_true, s1) for two classes (s1 = p, or column 1),
                               roc_auc_score(y_true, P, multi_class='ovr') for more
                     macro, weighted: roc_auc_score(onehot(y_true), S, average=...) over every class's column
                               (S = [1 - p, p] for one output); for K > 2 also multi_class='ovr', average=...
                     per_class: roc_auc_score(y_true == c, S[:, c])
  average_precision  the same with average_precision_score (score: average_precision_score(y_true, s1) for two
                     classes, the macro average for more)

  weighted           the same figures with sample_weight=w: {sample_weight, balanced_accuracy, log_loss,
                     roc_auc, average_precision (as above, each call given sample_weight=w), top_k:
                     {k: top_k_accuracy_score(y_true, P, k=k, labels=range(K), sample_weight=w)} for K > 2}.
                     The weights hold zeros (rows that count for nothing, some on saturated or tied scores),
                     fractions that are not dyadic, and weights above 1; every class keeps a positive weight.

Cases where a class has no true rows have no roc_auc / average_precision (scikit-learn raises or warns; nnj
refuses, ScoreMetricsTest checks that). Cases: a sigmoid binary set with 5 % positives, ties and saturated
outputs (0, 1e-30, 1 - 1e-9) so the clipping eps matters; a two-column softmax; a 4-class softmax with many tied
scores; a 10-class digits-like set; a set where a class is predicted but never true (balanced accuracy only).

Regenerate (tests never run this; they read the committed JSON), from the repository root:

    /usr/bin/python3 scripts/golden/make_score_metrics_golden.py

with Debian's python3-sklearn (1.2.1) and python3-numpy. Commit the JSON together with any change to this script.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, balanced_accuracy_score, log_loss, roc_auc_score,
                             top_k_accuracy_score)
from sklearn.preprocessing import LabelBinarizer

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-api", "src", "test", "resources", "golden",
                   "score_metrics_golden.json")
EPS = {"float64": float(np.finfo(np.float64).eps), "float32": float(np.finfo(np.float32).eps), "1e-7": 1e-7,
       "1e-12": 1e-12}


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def sample_weights(rng, n):
    """Weights with zeros (about 15 %), fractions that are not dyadic, and weights above 1."""
    w = rng.random(n) * 3
    w[rng.random(n) < 0.3] = rng.choice([0.25, 0.5, 1.0, 2.0])
    w[rng.random(n) < 0.15] = 0.0
    return w


def scores_of(y, S, P, k, w, kw):
    """roc_auc / average_precision of one case, each call given **kw (sample_weight=w, or nothing)."""
    onehot = np.eye(k)[y]
    out = {}
    for key, fn in (("roc_auc", roc_auc_score), ("average_precision", average_precision_score)):
        d = {"macro": float(fn(onehot, S, average="macro", **kw)),
             "weighted": float(fn(onehot, S, average="weighted", **kw)),
             "per_class": [float(fn(y == c, S[:, c], **kw)) for c in range(k)]}
        if k == 2:
            d["score"] = float(fn(y, S[:, 1], **kw))
        elif key == "roc_auc":
            d["score"] = float(fn(y, P, multi_class="ovr", **kw))
            d["ovr_macro"] = d["score"]
            d["ovr_weighted"] = float(fn(y, P, multi_class="ovr", average="weighted", **kw))
        else:
            d["score"] = d["macro"]
        out[key] = d
    return out


def case(name, y, probs, outputs, w):
    y = np.asarray(y, dtype=int)
    p32 = np.asarray(probs, dtype=np.float32).reshape(len(y), outputs)
    P = p32.astype(np.float64)
    k = max(outputs, 2)
    if outputs == 1:
        y_pred = LabelBinarizer().fit([0, 1]).inverse_transform(P[:, :1], threshold=0.5).astype(int)
        S = np.c_[1.0 - P[:, 0], P[:, 0]]
        P_in = P[:, 0]
    else:
        y_pred = P.argmax(axis=1)
        S = P
        P_in = P
    out = {"name": name, "outputs": outputs, "y_true": y.tolist(), "scores": [float(v) for v in p32.ravel()],
           "y_pred": y_pred.tolist(), "balanced_accuracy": float(balanced_accuracy_score(y, y_pred)),
           "log_loss": {key: float(log_loss(y, P_in, eps=e, labels=list(range(k)))) for key, e in EPS.items()}}
    if len(set(y.tolist())) == k:
        out.update(scores_of(y, S, P, k, None, {}))
    kw = {"sample_weight": w}
    weighted = {"sample_weight": [float(v) for v in w],
                "balanced_accuracy": float(balanced_accuracy_score(y, y_pred, **kw)),
                "log_loss": {key: float(log_loss(y, P_in, eps=e, labels=list(range(k)), **kw))
                             for key, e in EPS.items()}}
    if k > 2:
        weighted["top_k"] = {str(t): float(top_k_accuracy_score(y, P, k=t, labels=list(range(k)), **kw))
                             for t in range(1, k)}
    if len(set(y.tolist())) == k:
        assert all(w[y == c].sum() > 0 for c in range(k)), name + ": a class weighs nothing"
        weighted.update(scores_of(y, S, P, k, w, kw))
    out["weighted"] = weighted
    return out


def main():
    rng = np.random.default_rng(20261210)
    wrng = np.random.default_rng(20261211)   # the weights: their own stream, so the cases stay as they were
    cases = []
    # Sigmoid, 200 rows, 5 % positives; ties (rounded outputs) and saturated outputs.
    n = 200
    y = (rng.random(n) < 0.05).astype(int)
    y[:3] = 1
    z = rng.normal(0, 1.5, n) + 2.0 * y
    p = (1 / (1 + np.exp(-z))).astype(np.float32)
    p[10:60] = np.round(p[10:60] * 8) / 8          # ties
    p[3] = 0.0                                      # a positive with probability 0: clipping decides its term
    p[4] = 1e-30                                    # a negative: fine
    p[5] = np.float32(1 - 1e-9)                     # rounds to 1.0 in float32
    p[0] = 1e-20                                    # a positive scored below every eps
    w = sample_weights(wrng, n)
    w[3] = 0.0                                      # the positive at probability 0 counts for nothing
    w[0] = 2.5                                      # the one below every eps counts more
    cases.append(case("sigmoid-imbalanced-ties-saturated", y, p, 1, w))
    # Two-column softmax, 60 rows.
    y = rng.integers(0, 2, 60)
    cases.append(case("softmax-binary", y, softmax(rng.normal(0, 1, (60, 2)) + 1.2 * np.eye(2)[y]), 2,
                      sample_weights(wrng, 60)))
    # Four classes with many ties.
    y = rng.integers(0, 4, 120)
    s = softmax(np.round(rng.normal(0, 1, (120, 4)) + 1.0 * np.eye(4)[y]))   # integer logits: repeated scores
    cases.append(case("four-classes-ties", y, s, 4, sample_weights(wrng, 120)))
    # Ten classes, 360 rows, confident: the digits test split's shape; one row's true class at 0 in float32.
    y = rng.integers(0, 10, 360)
    s = softmax(rng.normal(0, 1, (360, 10)) + 6.0 * np.eye(10)[y])
    s[7] = 0
    s[7, (y[7] + 1) % 10] = 1
    cases.append(case("ten-classes", y, s, 10, sample_weights(wrng, 360)))
    # Class 2 predicted but never true: balanced accuracy leaves it out; AUC is undefined.
    y = rng.choice([0, 1, 3], 40)
    s = softmax(rng.normal(0, 1, (40, 4)) + 1.5 * np.eye(4)[y])
    s[0] = [0.1, 0.1, 0.7, 0.1]
    w = sample_weights(wrng, 40)
    w[y == 3] = np.where(np.arange(40)[y == 3] % 2 == 0, 0.0, w[y == 3])   # class 3 keeps only some weight
    cases.append(case("predicted-never-true", y, s, 4, w))
    with open(OUT, "w") as f:
        f.write('{"sklearn": %s, "cases": [\n' % json.dumps(sklearn.__version__))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.normpath(OUT), len(cases), "cases")
    for c in cases:
        print(c["name"], c["balanced_accuracy"], c["log_loss"], c.get("roc_auc", {}).get("score"),
              c.get("average_precision", {}).get("score"))
        print("  weighted", c["weighted"]["balanced_accuracy"], c["weighted"]["log_loss"]["float64"],
              c["weighted"].get("roc_auc", {}).get("score"), c["weighted"].get("average_precision", {}).get("score"))


if __name__ == "__main__":
    main()
