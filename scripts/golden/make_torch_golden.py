#!/usr/bin/env python3
"""Golden values from PyTorch (float64) for nnj's TorchGoldenConformance.

Writes nn-api/src/test/resources/golden/torch_golden.json: small fixed networks (5-7-4, one per hidden
activation and output/loss pair, plus a deeper one ending in a separate softmax layer), their inputs, targets
and weights, and what PyTorch computes for them in float64:

  * the mean loss and the gradient of every parameter, and
  * for several networks, the parameters after 3 steps (forward, backward, step) of each torch.optim optimizer:
    SGD (plain, momentum, dampening, Nesterov, weight decay), Adam and AdamW (with AMSGrad too), RMSprop (plain,
    centered, momentum) and Adagrad (with lr_decay, with initial_accumulator_value).

Every input, weight and hyper-parameter is a float32 number (drawn with a fixed numpy seed, then rounded to
float32), so nnj loads exactly the numbers PyTorch used and what the test compares is nnj's float32 arithmetic
against PyTorch's float64 result.

Layouts: nnj's Dense weight is (in, out) with z = x W + b; torch.nn.Linear.weight is (out, in). The networks are
built from torch.nn.Linear (weight set to the transpose of the drawn (in, out) matrix); the JSON holds nnj's
layout (Linear.weight and its gradient transposed back), row-major, under nnj's parameter names
(dense_1.weight, dense_1.bias, dense_2.weight, ...).

Losses are PyTorch's, with reduction='mean':
  MSE                        torch.nn.functional.mse_loss
  BINARY_CROSS_ENTROPY       torch.nn.functional.binary_cross_entropy on sigmoid outputs
  CATEGORICAL_CROSS_ENTROPY  torch.nn.functional.cross_entropy on the logits with probability targets
                             (= mean over rows of -sum_j y_j log softmax(z)_j, nnj's CCE of softmax outputs)

Regenerate (tests never run this; they read the committed JSON):

    /usr/bin/python3 scripts/golden/make_torch_golden.py

from the repository root, with numpy and torch installed (Debian: python3-numpy, python3-torch). The output
is deterministic for a given torch version; commit the JSON together with any change to this script.
"""

import json
import os
import re
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240611
BATCH = 9
STEPS = 3
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "nn-api", "src", "test", "resources",
                   "golden", "torch_golden.json")

torch.set_default_dtype(torch.float64)
rng = np.random.RandomState(SEED)


def f32(a):
    """Rounds to float32 and returns float64 values (what both sides start from)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def h(v):
    """A float32-representable hyper-parameter."""
    return float(np.float32(v))


def activate(name, alpha, z):
    if name == "identity":
        return z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return F.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, negative_slope=alpha)
    if name == "elu":
        return F.elu(z, alpha=alpha)
    if name == "softmax":
        return torch.softmax(z, dim=1)
    raise ValueError(name)


HAS_KINK = {"relu", "leaky_relu", "elu"}


class Net:
    """layers: dicts {type: dense, units, activation, alpha} or {type: activation, activation, alpha}."""

    def __init__(self, input_width, layers, loss):
        self.input_width = input_width
        self.layers = layers
        self.loss = loss
        self.linears = []         # one torch.nn.Linear per dense layer, weight (out, in)
        width = input_width
        for layer in layers:
            if layer["type"] == "dense":
                units = layer["units"]
                limit = 1.5 / np.sqrt(width)
                w = f32(rng.uniform(-limit, limit, size=(width, units)))     # nnj layout (in, out)
                b = f32(rng.normal(0, 0.3, size=units))
                linear = torch.nn.Linear(width, units)
                with torch.no_grad():
                    linear.weight.copy_(torch.tensor(w.T))                   # torch layout (out, in)
                    linear.bias.copy_(torch.tensor(b))
                self.linears.append(linear)
                width = units
        self.output_width = width

    def parameters(self):
        return [p for linear in self.linears for p in (linear.weight, linear.bias)]

    def named(self, weight, bias):
        """nnj's names and layouts: dense_k.weight is Linear.weight transposed to (in, out)."""
        out = {}
        for k, linear in enumerate(self.linears):
            out["dense_%d.weight" % (k + 1)] = weight(linear).t()
            out["dense_%d.bias" % (k + 1)] = bias(linear)
        return out

    def values(self):
        return self.named(lambda l: l.weight, lambda l: l.bias)

    def gradients(self):
        return self.named(lambda l: l.weight.grad, lambda l: l.bias.grad)

    def forward(self, x, kinks):
        """Returns the output, and the last layer's pre-activation (logits) for the losses that take them."""
        a = x
        dense = 0
        z = None
        for layer in self.layers:
            if layer["type"] == "dense":
                z = self.linears[dense](a)
                dense += 1
                if layer["activation"] in HAS_KINK:
                    kinks.append(float(z.detach().abs().min()))
                a = activate(layer["activation"], layer["alpha"], z)
            else:
                z = a
                a = activate(layer["activation"], layer["alpha"], a)
        return a, z

    def loss_value(self, x, y, kinks):
        out, logits = self.forward(x, kinks)
        if self.loss == "MSE":
            return F.mse_loss(out, y)
        if self.loss == "BINARY_CROSS_ENTROPY":
            return F.binary_cross_entropy(out, y)
        return F.cross_entropy(logits, y)


def targets(loss, rows, cols):
    if loss == "MSE":
        return f32(rng.normal(0, 1, size=(rows, cols)))
    if loss == "BINARY_CROSS_ENTROPY":
        return f32(rng.randint(0, 2, size=(rows, cols)))
    y = np.zeros((rows, cols))
    y[np.arange(rows), rng.randint(0, cols, size=rows)] = 1
    return y


OPTIMIZERS = [
    ("SGD(lr=0.1)", "sgd", dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False)),
    ("SGD(lr=0.1, momentum=0.9)", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False)),
    ("SGD(lr=0.1, momentum=0.9, dampening=0.3)", "sgd",
     dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.0, nesterov=False)),
    ("SGD(lr=0.1, momentum=0.9, nesterov)", "sgd",
     dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=True)),
    ("SGD(lr=0.1, weight_decay=0.05)", "sgd", dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.05,
                                                   nesterov=False)),
    ("SGD(lr=0.1, momentum=0.9, weight_decay=0.05, nesterov)", "sgd",
     dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.05, nesterov=True)),
    ("Adam(lr=0.01)", "adam", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0)),
    ("Adam(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05)", "adam",
     dict(lr=0.01, beta1=0.8, beta2=0.95, eps=1e-6, weight_decay=0.05)),
    ("AdamW(lr=0.01, weight_decay=0.1)", "adamw", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)),
    # beta2 = 0.5 forgets within the three steps, so that v falls below its largest value and AMSGrad differs
    ("Adam(lr=0.01, betas=(0.9, 0.5), amsgrad)", "adam",
     dict(lr=0.01, beta1=0.9, beta2=0.5, eps=1e-8, weight_decay=0.0, amsgrad=True)),
    ("AdamW(lr=0.01, betas=(0.8, 0.5), weight_decay=0.1, amsgrad)", "adamw",
     dict(lr=0.01, beta1=0.8, beta2=0.5, eps=1e-8, weight_decay=0.1, amsgrad=True)),
    ("RMSprop(lr=0.01)", "rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                                         centered=False)),
    ("RMSprop(lr=0.01, centered)", "rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                                                   centered=True)),
    ("RMSprop(lr=0.01, momentum=0.9)", "rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.9,
                                                       centered=False)),
    ("RMSprop(lr=0.01, alpha=0.9, weight_decay=0.05, momentum=0.5, centered)", "rmsprop",
     dict(lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.05, momentum=0.5, centered=True)),
    ("Adagrad(lr=0.1)", "adagrad", dict(lr=0.1, lr_decay=0.0, weight_decay=0.0, eps=1e-10)),
    ("Adagrad(lr=0.1, lr_decay=0.1, weight_decay=0.05)", "adagrad",
     dict(lr=0.1, lr_decay=0.1, weight_decay=0.05, eps=1e-10)),
    ("Adagrad(lr=0.1, initial_accumulator_value=0.1)", "adagrad",
     dict(lr=0.1, lr_decay=0.0, weight_decay=0.0, eps=1e-10, initial_accumulator_value=0.1)),
]


def make_optimizer(kind, hp, params):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"],
                               weight_decay=hp["weight_decay"], nesterov=hp["nesterov"])
    if kind == "adam":
        return torch.optim.Adam(params, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"],
                                weight_decay=hp["weight_decay"], amsgrad=hp.get("amsgrad", False))
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"],
                                 weight_decay=hp["weight_decay"], amsgrad=hp.get("amsgrad", False))
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=hp["lr"], alpha=hp["alpha"], eps=hp["eps"],
                                   weight_decay=hp["weight_decay"], momentum=hp["momentum"],
                                   centered=hp["centered"])
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=hp["lr"], lr_decay=hp["lr_decay"], weight_decay=hp["weight_decay"],
                                   initial_accumulator_value=hp.get("initial_accumulator_value", 0.0), eps=hp["eps"])
    raise ValueError(kind)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def check_margins(name, kinks, grads):
    # float32 and float64 must agree on which side of every kink a pre-activation lies, and on the sign of every
    # gradient element that the normalising optimizers (Adam, RMSprop, Adagrad) turn into a step of about lr.
    if kinks and min(kinks) < 1e-4:
        sys.exit("%s: a pre-activation is within %g of a kink; pick another SEED" % (name, min(kinks)))
    for pname, g in grads.items():
        g = np.abs(np.asarray(g))
        nonzero = g[g > 0]
        if nonzero.size and nonzero.min() < 1e-5 * g.max():
            sys.exit("%s: gradient of %s has an element %g of its largest; pick another SEED"
                     % (name, pname, nonzero.min() / g.max()))


def run_case(name, input_width, layers, loss, with_optimizers):
    net = Net(input_width, layers, loss)
    x = torch.tensor(f32(rng.normal(0, 1, size=(BATCH, input_width))))
    y = torch.tensor(targets(loss, BATCH, net.output_width))
    initial = [p.detach().clone() for p in net.parameters()]
    initial_named = {k: flat(v) for k, v in net.values().items()}

    kinks = []
    value = net.loss_value(x, y, kinks)
    value.backward()
    gradients = {k: flat(g) for k, g in net.gradients().items()}
    check_margins(name, kinks, gradients)
    case = {
        "name": name,
        "input_width": input_width,
        "batch": BATCH,
        "layers": layers,
        "loss": loss,
        "x": flat(x),
        "y": flat(y),
        "parameters": initial_named,
        "loss_value": float(value),
        "gradients": gradients,
        "optimizers": [],
    }
    if with_optimizers:
        for opt_name, kind, hp in OPTIMIZERS:
            hp = {k: (h(v) if isinstance(v, float) else v) for k, v in hp.items()}
            with torch.no_grad():
                for p, v in zip(net.parameters(), initial):
                    p.copy_(v)
            opt = make_optimizer(kind, hp, net.parameters())
            for _ in range(STEPS):
                opt.zero_grad()
                kinks = []
                value = net.loss_value(x, y, kinks)
                value.backward()
                check_margins(name + " / " + opt_name, kinks, {k: flat(g) for k, g in net.gradients().items()})
                opt.step()
            entry = {"name": opt_name, "type": kind, "steps": STEPS}
            entry.update(hp)
            entry["parameters"] = {k: flat(v) for k, v in net.values().items()}
            case["optimizers"].append(entry)
    return case


def dense(units, activation, alpha=0.0):
    return {"type": "dense", "units": units, "activation": activation, "alpha": h(alpha)}


def main():
    hidden = [("identity", 0.0), ("sigmoid", 0.0), ("tanh", 0.0), ("relu", 0.0), ("leaky_relu", 0.1),
              ("elu", 0.7)]
    heads = [("softmax", "CATEGORICAL_CROSS_ENTROPY"), ("sigmoid", "BINARY_CROSS_ENTROPY"),
             ("identity", "MSE")]
    # The optimizers run on one network per head, each with another hidden activation.
    optimized = {("relu", "softmax"), ("tanh", "sigmoid"), ("elu", "identity")}
    cases = []
    for act, alpha in hidden:
        for head, loss in heads:
            name = "5-7-4 %s/%s %s" % (act, head, loss)
            cases.append(run_case(name, 5, [dense(7, act, alpha), dense(4, head)], loss, (act, head) in optimized))
    # A deeper network ending in a separate softmax layer (nnj's Softmax, fused with the loss as Dense(softmax)).
    cases.append(run_case("5-7-6-4 tanh/leaky_relu/identity + softmax layer CATEGORICAL_CROSS_ENTROPY", 5,
                          [dense(7, "tanh"), dense(6, "leaky_relu", 0.2), dense(4, "identity"),
                           {"type": "activation", "activation": "softmax", "alpha": 0.0}],
                          "CATEGORICAL_CROSS_ENTROPY", True))
    doc = {
        "generator": "scripts/golden/make_torch_golden.py",
        "torch_version": torch.__version__,
        "numpy_seed": SEED,
        "dtype": "float64",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = json.dumps(doc, indent=1)
    # One line per array of numbers: a readable file whose diffs show which values changed.
    text = re.sub(r"\[\s*(-?[0-9][^\[\]{}]*?)\s*\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print("wrote %s: %d cases, %d optimizer runs" % (os.path.normpath(OUT), len(cases),
                                                     sum(len(c["optimizers"]) for c in cases)))


if __name__ == "__main__":
    main()
