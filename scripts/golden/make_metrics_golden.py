#!/usr/bin/env python3
"""Golden classification metrics from scikit-learn for nnj's ClassificationReportTest.

Writes nn-api/src/test/resources/golden/metrics_golden.json. Each case holds integer true and predicted labels
over `classes` classes, float32 scores (one row per sample) and what scikit-learn computes from them:

  report       classification_report(y_true, y_pred, output_dict=True, zero_division=0)
  text         classification_report(y_true, y_pred, digits=digits, zero_division=0)
  confusion    confusion_matrix(y_true, y_pred, labels=range(classes))
  top_k        {k: top_k_accuracy_score(y_true, scores, k=k, labels=range(classes))}
  weighted     the same with sample_weight=w: {sample_weight, report, text, confusion (float64 sums of weights),
               top_k}. With weights scikit-learn's support is the sum of the class's weights, a float, and the
               text prints it as Python's repr (1.5, 33.0); a class whose rows all weigh 0 still has a row
               (support 0.0), since labels=None takes the classes from the labels, not the weights.

The report leaves labels=None, scikit-learn's default: its rows are the classes in y_true or y_pred, as
nnj's ClassificationReport, and target_names is cut to those classes' names (scikit-learn refuses a longer list).
zero_division=0: a precision or recall whose denominator is zero (a class never predicted, a class absent from
y_true) is 0; scikit-learn's default "warn" gives the same 0 and a warning. Cases cover a near-perfect
classifier, a noisy one, a class never predicted, a class absent from the true labels, a class in neither
label list, binary labels, named classes, scores with ties, and values that sit exactly on a rounding boundary (0.125, 0.375).

Regenerate (tests never run this; they read the committed JSON), from the repository root:

    /usr/bin/python3 scripts/golden/make_metrics_golden.py

with Debian's python3-sklearn and python3-numpy. Commit the JSON together with any change to this script.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import classification_report, confusion_matrix, top_k_accuracy_score

# The weights' own stream, so that the labels and scores of the cases stay as they were before weights.
WEIGHTS = np.random.default_rng(20261202)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-api", "src", "test", "resources", "golden",
                   "metrics_golden.json")


def scores_for(rng, y_pred, classes, ties=False):
    """Random float32 scores whose arg-max is y_pred (and, with ties, rows with equal scores)."""
    s = rng.random((len(y_pred), classes)).astype(np.float32)
    for i, p in enumerate(y_pred):
        s[i, p] = s[i].max() + np.float32(0.5)
    if ties:
        s = np.round(s * 4).astype(np.float32) / np.float32(4)
    return s


def sample_weights(rng, n):
    """Weights with zeros (about 15 %), fractions that are not dyadic, and weights above 1."""
    w = rng.random(n) * 3
    w[rng.random(n) < 0.3] = rng.choice([0.25, 0.5, 1.0, 2.0])
    w[rng.random(n) < 0.15] = 0.0
    return w


def reports(y_true, y_pred, classes, digits, target_names, **kw):
    """classification_report as a dict and as text, and the confusion matrix, given **kw (sample_weight)."""
    kwargs = dict(zero_division=0, **kw)
    if target_names is not None:
        kwargs["target_names"] = [target_names[c] for c in sorted(set(y_true) | set(y_pred))]
    return (classification_report(y_true, y_pred, output_dict=True, **kwargs),
            classification_report(y_true, y_pred, digits=digits, **kwargs),
            confusion_matrix(y_true, y_pred, labels=list(range(classes)), **kw).tolist())


def case(name, y_true, y_pred, classes, rng, digits=2, target_names=None, ties=False, w=None):
    y_true = [int(v) for v in y_true]
    y_pred = [int(v) for v in y_pred]
    labels = list(range(classes))
    report, text, confusion = reports(y_true, y_pred, classes, digits, target_names)
    out = {"name": name, "classes": classes, "digits": digits, "y_true": y_true, "y_pred": y_pred,
           "target_names": target_names, "report": report, "text": text, "confusion": confusion}
    w = sample_weights(WEIGHTS, len(y_true)) if w is None else np.asarray(w, dtype=np.float64)
    report, text, confusion = reports(y_true, y_pred, classes, digits, target_names, sample_weight=w)
    out["weighted"] = {"sample_weight": [float(v) for v in w], "report": report, "text": text,
                       "confusion": confusion}
    if classes > 2:
        scores = scores_for(rng, y_pred, classes, ties)
        out["scores"] = [float(v) for v in scores.ravel()]
        out["top_k"] = {str(k): float(top_k_accuracy_score(y_true, scores, k=k, labels=labels))
                        for k in range(1, classes)}
        out["weighted"]["top_k"] = {str(k): float(top_k_accuracy_score(y_true, scores, k=k, labels=labels,
                                                                       sample_weight=w))
                                    for k in range(1, classes)}
    return out


def main():
    rng = np.random.default_rng(20261201)
    cases = []
    # 10 classes, 360 samples, ~95 % right: the digits test split's shape.
    t = rng.integers(0, 10, 360)
    p = np.where(rng.random(360) < 0.95, t, rng.integers(0, 10, 360))
    cases.append(case("digits-like", t, p, 10, rng))
    # a noisy 5-class classifier, 4 digits
    t = rng.integers(0, 5, 200)
    p = np.where(rng.random(200) < 0.5, t, rng.integers(0, 5, 200))
    cases.append(case("noisy-4-digits", t, p, 5, rng, digits=4))
    # class 3 never predicted, class 4 absent from the truth (support 0) but predicted once
    t = rng.integers(0, 4, 50)
    p = np.where(rng.random(50) < 0.7, t, rng.integers(0, 3, 50))
    p = np.where(p == 3, 0, p)
    p[0] = 4
    cases.append(case("zero-division", t, p, 5, rng))
    # exact rounding boundaries: precision 1/8 and 3/8 and recall 1/8
    t = [0] * 8 + [1] * 8 + [2] * 8
    p = [0] + [1] * 7 + [1] * 3 + [2] * 5 + [2] * 4 + [0] * 4
    cases.append(case("rounding-boundaries", t, p, 3, rng, digits=2))
    cases.append(case("rounding-boundaries-1-digit", t, p, 3, rng, digits=1))
    # two classes
    t = rng.integers(0, 2, 40)
    p = np.where(rng.random(40) < 0.8, t, 1 - t)
    cases.append(case("binary", t, p, 2, rng))
    # named classes longer than "weighted avg", and ties in the scores
    t = rng.integers(0, 4, 80)
    p = np.where(rng.random(80) < 0.6, t, rng.integers(0, 4, 80))
    cases.append(case("named-with-ties", t, p, 4, rng,
                      target_names=["cat", "dog", "a rather long class name", "bird"], ties=True))
    # class 2 in neither list (no row, not in the macro average), class 5 predicted but never true
    t = rng.choice([0, 1, 3, 4], 60)
    p = np.where(rng.random(60) < 0.7, t, rng.choice([0, 1, 3, 4, 5], 60))
    cases.append(case("class-in-neither-list", t, p, 6, rng, digits=3))
    # Weights of 1: the numbers are the unweighted ones, but the supports are floats (33.0), as scikit-learn
    # prints them whenever it is given sample_weight.
    t = rng.integers(0, 3, 30)
    p = np.where(rng.random(30) < 0.7, t, rng.integers(0, 3, 30))
    cases.append(case("weights-of-one", t, p, 3, rng, w=np.ones(30)))
    # Class 1's rows all weigh 0: it keeps its row (support 0.0, recall 0) and its 0 in the macro average;
    # class 3 is predicted, never true. Weights sum to a non-dyadic total (0.1 + 0.2 ...).
    t = rng.choice([0, 1, 2], 40)
    p = np.where(rng.random(40) < 0.7, t, rng.choice([0, 1, 2, 3], 40))
    w = np.where(t == 1, 0.0, rng.choice([0.1, 0.2, 0.7, 1.3], 40))
    cases.append(case("class-weighing-nothing", t, p, 4, rng, digits=3, w=w))
    with open(OUT, "w") as f:
        # One case per line: small diffs when a case changes, and still plain JSON.
        f.write('{"sklearn": %s, "cases": [\n' % json.dumps(sklearn.__version__))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    print("wrote", os.path.normpath(OUT), len(cases), "cases")


if __name__ == "__main__":
    main()
