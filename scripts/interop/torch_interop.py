#!/usr/bin/env python3
"""PyTorch interop for nnj model files, with Debian's python3-torch and numpy only.

  load   Loads an nnj model file (either weight layout) into a torch.nn.Sequential, predicts the article's 360
         digits test images (applying the preprocessing saved in the file) and, with --expect, checks the
         probabilities against nnj's own (the CSV of `./digits predict --model FILE --output FILE.csv`) to 1e-5.
         --write-predictions saves torch's probabilities as a safetensors file (tensor "probabilities", 360x10).

  train  Trains a 64-32-10 network in PyTorch (ReLU, softmax; Adam, batches of 32) on the article's split and
         writes it as an nnj model file: PyTorch's (out, in) weight layout, nnj's architecture and the min-max
         scaler as metadata, so `./digits predict --model FILE` and ModelFiles.load read it. Also writes torch's
         test-set probabilities beside it (FILE with .torch-predictions.safetensors).

Mapping (docs/models.md): nnj Dense(units, f) = nn.Linear(in, units) followed by f's module; nnj's weight
dense_k.weight is (in, out), Linear.weight is (out, in), the transpose; biases are equal. Softmax is
nn.Softmax(dim=1), LeakyReLU(alpha) is nn.LeakyReLU(alpha), ELU(alpha) is nn.ELU(alpha), Dropout(rate) is
nn.Dropout(rate) (identity in eval mode).

Run from the repository root:
    /usr/bin/python3 scripts/interop/torch_interop.py load model.safetensors --expect nnj-predictions.csv
    /usr/bin/python3 scripts/interop/torch_interop.py train torch-digits.safetensors
"""
import argparse
import csv
import gzip
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnj_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(ROOT, "nn-api", "src", "main", "resources", "dev", "nnj", "api", "data", "digits")


def digits():
    """(raw pixels float32 (1797, 64), labels, train indices, test indices) of the bundled data and split."""
    with gzip.open(os.path.join(DIGITS, "digits.csv.gz"), "rt") as f:
        rows = np.array([[float(v) for v in line.split(",")] for line in f if line.strip()])
    split = {}
    with open(os.path.join(DIGITS, "digits-split-sklearn-rs42.csv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, *values = line.strip().split(",")
            split[name] = np.array([int(v) for v in values])
    return rows[:, :64].astype(np.float32), rows[:, 64].astype(int), split["train"], split["test"]


def min_max(raw, scaler):
    """nnj's MinMaxScaler transform, in float64 then rounded to float32 as nnj does."""
    lo, hi = scaler["low"], scaler["high"]
    dmin, dmax = np.array(scaler["data_min"]), np.array(scaler["data_max"])
    rng = dmax - dmin
    rng[rng < 10 * np.finfo(np.float64).eps] = 1.0
    scale = (hi - lo) / rng
    offset = lo - dmin * scale
    return (raw.astype(np.float64) * scale + offset).astype(np.float32)


def standard(raw, scaler):
    """nnj's StandardScaler transform, in float64 then rounded to float32 as nnj does."""
    x = raw.astype(np.float64)
    if scaler["with_mean"]:
        x = x - np.array(scaler["mean"])
    if scaler["with_std"]:
        x = x / np.array(scaler["scale"])
    return x.astype(np.float32)


def fitted_min_max(raw):
    return {"type": "min_max", "low": 0.0, "high": 1.0,
            "data_min": raw.min(axis=0).astype(np.float64).tolist(),
            "data_max": raw.max(axis=0).astype(np.float64).tolist()}


ACTIVATIONS = {
    "identity": lambda a: torch.nn.Identity(),
    "sigmoid": lambda a: torch.nn.Sigmoid(),
    "tanh": lambda a: torch.nn.Tanh(),
    "relu": lambda a: torch.nn.ReLU(),
    "leaky_relu": lambda a: torch.nn.LeakyReLU(a),
    "elu": lambda a: torch.nn.ELU(a),
    "softmax": lambda a: torch.nn.Softmax(dim=1),
}


def to_torch(metadata, tensors):
    """An nnj model file as a torch.nn.Sequential of float32 modules, in eval mode."""
    arch = json.loads(metadata["nnj.architecture"])
    layout = metadata.get("nnj.weight_layout", "in_out")
    modules = []
    width = arch["input_width"]
    for layer in arch["layers"]:
        kind, name, config = layer["type"], layer["name"], layer["config"]
        if kind == "dense":
            linear = torch.nn.Linear(width, config["units"])
            w = tensors[name + ".weight"]
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(w if layout == "out_in" else w.T)))
                linear.bias.copy_(torch.from_numpy(tensors[name + ".bias"]))
            modules.append(linear)
            modules.append(ACTIVATIONS[config["activation"]](config.get("alpha", 1.0)))
            width = config["units"]
        elif kind == "dropout":
            modules.append(torch.nn.Dropout(config["rate"]))
        else:
            modules.append(ACTIVATIONS[kind](config.get("alpha", 0.0)))
    return torch.nn.Sequential(*modules).eval()


def test_inputs(metadata, raw, test):
    pre = json.loads(metadata.get("nnj.preprocessing", "{}"))
    scaler = pre.get("scaler")
    if scaler is None:
        scaler = fitted_min_max(raw)   # the article's scaling, fitted on all images
    if scaler["type"] == "standard":
        return standard(raw, scaler)[test]
    if scaler["type"] != "min_max":
        raise SystemExit("scaler type " + str(scaler["type"]) + ": only min-max and standard are implemented here")
    return min_max(raw, scaler)[test]


def ends_in_logits(metadata):
    """Whether the network's last layer is a Dense without activation, of several outputs: logits, whose softmax
    is what ./digits predict writes as the probabilities."""
    layers = json.loads(metadata["nnj.architecture"])["layers"]
    last = layers[-1]
    return last["type"] == "dense" and last["config"]["activation"] == "identity" and last["config"]["units"] > 1


def load(args):
    metadata, tensors = nnj_safetensors.read(args.model)
    arch = json.loads(metadata["nnj.architecture"])
    outputs = [l for l in arch["layers"] if l["type"] == "dense"][-1]["config"]["units"]
    if arch["input_width"] != 64 or outputs != 10:
        raise SystemExit(f"load runs a digits model on the bundled digits (64 inputs, 10 classes); "
                         f"{args.model} takes {arch['input_width']} inputs and gives {outputs} outputs")
    model = to_torch(metadata, tensors)
    print(model)
    raw, labels, _, test = digits()
    with torch.no_grad():
        p = model(torch.from_numpy(test_inputs(metadata, raw, test)))
        if ends_in_logits(metadata):
            p = torch.softmax(p, dim=1)   # as predict does: the same arg-max, and the probabilities it writes
        p = p.numpy()
    accuracy = float((p.argmax(axis=1) == labels[test]).mean())
    print(f"torch on the {len(test)} test images: accuracy {accuracy:.4f}")
    if args.write_predictions:
        nnj_safetensors.write(args.write_predictions, {"probabilities": p}, {"source": os.path.basename(args.model)})
        print(f"wrote {args.write_predictions}")
    if args.expect:
        with open(args.expect) as f:
            header, *rows = list(csv.reader(f))
        # The p_<class> columns (the file also has the predicted class first and, for labelled rows, the label last).
        columns = [j for j, name in enumerate(header) if name.startswith("p_")]
        nnj = np.array([[float(r[j]) for j in columns] for r in rows], dtype=np.float32)
        diff = float(np.abs(nnj - p).max())
        print(f"max |nnj - torch| over {nnj.size} probabilities: {diff:.3g} (tolerance 1e-5)")
        if nnj.shape != p.shape or diff > 1e-5:
            raise SystemExit("nnj and torch disagree")
    return 0


def train(args):
    torch.manual_seed(args.seed)
    raw, labels, train_rows, test = digits()
    scaler = fitted_min_max(raw)
    x = torch.from_numpy(min_max(raw, scaler))
    y = torch.from_numpy(labels)
    model = torch.nn.Sequential(torch.nn.Linear(64, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_idx = torch.from_numpy(train_rows)
    for epoch in range(args.epochs):
        order = train_idx[torch.randperm(len(train_idx))]
        for b in range(0, len(order), 32):
            rows = order[b:b + 32]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[rows]), y[rows])
            loss.backward()
            optimizer.step()
    model.eval()
    inference = torch.nn.Sequential(*model, torch.nn.Softmax(dim=1)).eval()
    with torch.no_grad():
        p = inference(x[torch.from_numpy(test)]).numpy()
    print(f"torch-trained model, test accuracy {float((p.argmax(axis=1) == labels[test]).mean()):.4f}")
    # nnj fuses the activation into Dense: Linear+ReLU is dense_1 (relu), Linear+Softmax is dense_2 (softmax).
    arch = {"input_width": 64, "layers": [
        {"type": "dense", "name": "dense_1", "config": {"units": args.hidden, "activation": "relu", "alpha": 1.0}},
        {"type": "dense", "name": "dense_2", "config": {"units": 10, "activation": "softmax", "alpha": 1.0}}]}
    tensors = {
        "dense_1.weight": model[0].weight.detach().numpy(), "dense_1.bias": model[0].bias.detach().numpy(),
        "dense_2.weight": model[2].weight.detach().numpy(), "dense_2.bias": model[2].bias.detach().numpy()}
    metadata = {"nnj.format_version": "1", "nnj.architecture": json.dumps(arch), "nnj.weight_layout": "out_in",
                "nnj.preprocessing": json.dumps({"scaler": scaler, "class_names": [str(d) for d in range(10)]}),
                "trained_by": f"PyTorch {torch.__version__}, scripts/interop/torch_interop.py train"}
    nnj_safetensors.write(args.out, tensors, metadata)
    predictions = args.out[:-len(".safetensors")] if args.out.endswith(".safetensors") else args.out
    predictions += ".torch-predictions.safetensors"
    nnj_safetensors.write(predictions, {"probabilities": p}, {"source": os.path.basename(args.out)})
    print(f"wrote {args.out} and {predictions}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="load an nnj model into torch and predict the digits test set")
    p.add_argument("model")
    p.add_argument("--expect", help="CSV of nnj's probabilities (digits predict --output) to compare with, 1e-5")
    p.add_argument("--write-predictions", help="write torch's probabilities to this safetensors file")
    p.set_defaults(run=load)
    t = sub.add_parser("train", help="train in torch and write an nnj model file")
    t.add_argument("out")
    t.add_argument("--epochs", type=int, default=30)
    t.add_argument("--hidden", type=int, default=32)
    t.add_argument("--seed", type=int, default=0)
    t.set_defaults(run=train)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
