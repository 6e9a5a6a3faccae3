#!/usr/bin/env python3
"""Golden values of PyTorch's gradient clipping for nnj's GradientClippingConformance.

Writes nn-api/src/test/resources/golden/clipping_golden.json with two kinds of case.

  ops       lists of float32 "gradients" of odd sizes (1, 3, 17, 65x3, 257) with a threshold, and what
            torch.nn.utils.clip_grad_norm_(params, max_norm) (2-norm, float32) leaves in them and
            returns (the total norm), or what torch.nn.utils.clip_grad_value_(params, clip_value) leaves. The
            thresholds put the norm above the limit (the scale max_norm / (total + 1e-6) applies), far below
            it (the scale is clamped to 1) and the gradients at zero.
  training  a 5-7-4 network (tanh hidden, softmax output, categorical cross-entropy = F.cross_entropy on the
            logits with one-hot targets), trained for 3 full-batch steps of SGD with clipping between
            backward and step, in float64 from float32 inputs and weights; the parameters after the steps.
            nnj runs the same through Trainer (batch 0 = full batch, no shuffling).

nnj's Dense weight is (in, out); torch's Linear.weight is (out, in): the JSON holds nnj's layout.

Regenerate (tests never run this; they read the committed JSON), from the repository root:

    /usr/bin/python3 scripts/golden/make_clipping_golden.py

with Debian's python3-torch. Commit the JSON together with any change to this script.
"""

import json
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "nn-api", "src", "test", "resources", "golden",
                   "clipping_golden.json")

rng = np.random.default_rng(20261201)
SHAPES = [[1], [3], [17], [65, 3], [257]]


def f32(a):
    return np.asarray(a, dtype=np.float32)


def grads(scale):
    return [f32(rng.normal(0.0, scale, size=s)) for s in SHAPES]


def op_case(name, kind, threshold, gs):
    params = []
    for g in gs:
        p = torch.zeros(g.shape, dtype=torch.float32, requires_grad=True)
        p.grad = torch.tensor(g.copy(), dtype=torch.float32)
        params.append(p)
    total = None
    if kind == "norm":
        total = float(torch.nn.utils.clip_grad_norm_(params, max_norm=threshold, norm_type=2.0))
    else:
        torch.nn.utils.clip_grad_value_(params, clip_value=threshold)
    return {
        "name": name,
        "kind": kind,
        "threshold": float(np.float32(threshold)),
        "shapes": SHAPES,
        "gradients": [g.reshape(-1).astype(float).tolist() for g in gs],
        "clipped": [p.grad.detach().numpy().reshape(-1).astype(float).tolist() for p in params],
        "total_norm": total,
    }


def training_case(name, kind, threshold, lr, steps=3):
    x = f32(rng.uniform(-1.5, 1.5, size=(9, 5)))
    labels = rng.integers(0, 4, size=9)
    y = np.zeros((9, 4), dtype=np.float32)
    y[np.arange(9), labels] = 1
    w1 = f32(rng.normal(0, 0.8, size=(5, 7)))
    b1 = f32(rng.normal(0, 0.2, size=7))
    w2 = f32(rng.normal(0, 0.8, size=(7, 4)))
    b2 = f32(rng.normal(0, 0.2, size=4))
    l1 = torch.nn.Linear(5, 7).double()
    l2 = torch.nn.Linear(7, 4).double()
    with torch.no_grad():
        l1.weight.copy_(torch.tensor(w1.T.astype(np.float64)))
        l1.bias.copy_(torch.tensor(b1.astype(np.float64)))
        l2.weight.copy_(torch.tensor(w2.T.astype(np.float64)))
        l2.bias.copy_(torch.tensor(b2.astype(np.float64)))
    params = [l1.weight, l1.bias, l2.weight, l2.bias]
    opt = torch.optim.SGD(params, lr=float(np.float32(lr)))
    tx = torch.tensor(x.astype(np.float64))
    ty = torch.tensor(y.astype(np.float64))
    norms = []
    for _ in range(steps):
        opt.zero_grad()
        logits = l2(torch.tanh(l1(tx)))
        loss = torch.nn.functional.cross_entropy(logits, ty)
        loss.backward()
        if kind == "norm":
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, max_norm=threshold)))
        else:
            torch.nn.utils.clip_grad_value_(params, clip_value=threshold)
        opt.step()
    return {
        "name": name,
        "kind": kind,
        "threshold": float(np.float32(threshold)),
        "lr": float(np.float32(lr)),
        "steps": steps,
        "x": x.reshape(-1).astype(float).tolist(),
        "y": y.reshape(-1).astype(float).tolist(),
        "initial": {
            "dense_1.weight": w1.reshape(-1).astype(float).tolist(),
            "dense_1.bias": b1.astype(float).tolist(),
            "dense_2.weight": w2.reshape(-1).astype(float).tolist(),
            "dense_2.bias": b2.astype(float).tolist(),
        },
        "final": {
            "dense_1.weight": l1.weight.detach().numpy().T.reshape(-1).tolist(),
            "dense_1.bias": l1.bias.detach().numpy().tolist(),
            "dense_2.weight": l2.weight.detach().numpy().T.reshape(-1).tolist(),
            "dense_2.bias": l2.bias.detach().numpy().tolist(),
        },
        "norms_before_clipping": norms,
    }


def main():
    ops = [
        op_case("norm above the limit", "norm", 0.5, grads(1.0)),
        op_case("norm below the limit", "norm", 1000.0, grads(1.0)),
        op_case("norm of tiny gradients", "norm", 1e-3, grads(1e-4)),
        op_case("zero gradients", "norm", 1.0, [np.zeros(s, dtype=np.float32) for s in SHAPES]),
        op_case("value clamp", "value", 0.3, grads(1.0)),
        op_case("value clamp wider than every element", "value", 100.0, grads(1.0)),
    ]
    training = [
        training_case("sgd with norm clipping", "norm", 0.25, 0.5),
        training_case("sgd with value clipping", "value", 0.02, 0.5),
    ]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "ops": ops, "training": training}, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT), len(ops), "op cases,", len(training), "training cases")


if __name__ == "__main__":
    main()
