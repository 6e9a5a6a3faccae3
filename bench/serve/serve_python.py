"""The anchor of bench/serve-cold-start.sh: what nnj's ServeColdStart does, in Python. Loads an nnj model file (a
safetensors file: an 8-byte header length, a JSON header, the raw float32 tensors), with the scaler saved in its
metadata, then predicts one row per call, as a request handler would, with numpy or PyTorch, and prints one line:

  serve program=numpy load_ms=... first_call_us=... first_1000_ms=... warm_median_us=... classes_sum=...

load_ms counts from the start of this script (imports included); first_1000_ms is the first thousand calls
together; warm_median_us the median of the last thousand; classes_sum the predicted classes summed over all calls.
Rows are the CSV's columns but the last (a label), taken in turn.
usage: serve_python.py numpy|torch MODEL ROWS.csv CALLS THREADS"""
import json
import struct
import sys
import time

t0 = time.perf_counter()
framework, model_path, rows_path, calls, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
import numpy as np

if framework == "torch":
    import torch
    torch.set_num_threads(threads)


def read_model(path):
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    meta = header.pop("__metadata__")
    if meta.get("nnj.weight_layout", "in_out") != "in_out":
        sys.exit("only the in_out weight layout is read here")
    tensors = {name: np.frombuffer(data, dtype="<f4", count=int(np.prod(t["shape"])), offset=t["data_offsets"][0])
               .reshape(t["shape"]) for name, t in header.items()}
    arch = json.loads(meta["nnj.architecture"])
    layers = []
    for layer in arch["layers"]:
        if layer["type"] != "dense":
            sys.exit("only dense layers are read here, not " + layer["type"])
        cfg = layer["config"]
        layers.append((tensors[layer["name"] + ".weight"], tensors[layer["name"] + ".bias"], cfg["activation"],
                       cfg.get("alpha", 1.0)))
    scaler = json.loads(meta.get("nnj.preprocessing", "{}")).get("scaler")
    return layers, scaler


def scale_function(scaler):
    """scikit-learn's transforms, as nnj saves their statistics."""
    if scaler is None:
        return lambda x: x.astype(np.float32)
    if scaler["type"] == "min_max":
        lo, hi = scaler["low"], scaler["high"]
        dmin, dmax = np.array(scaler["data_min"]), np.array(scaler["data_max"])
        rng = dmax - dmin
        rng[rng == 0] = 1.0
        scale = (hi - lo) / rng
        shift = lo - dmin * scale
        return lambda x: (x * scale + shift).astype(np.float32)
    if scaler["type"] == "standard":
        mean = np.array(scaler["mean"]) if scaler.get("with_mean", True) else 0.0
        std = np.array(scaler["scale"]) if scaler.get("with_std", True) else 1.0
        return lambda x: ((x - mean) / std).astype(np.float32)
    sys.exit("unknown scaler " + scaler["type"])


def numpy_activation(name, alpha):
    if name == "relu":
        return lambda z: np.maximum(z, 0)
    if name == "sigmoid":
        return lambda z: 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh
    if name == "identity":
        return lambda z: z
    if name == "softmax":
        def softmax(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return softmax
    if name == "leaky_relu":
        return lambda z: np.where(z > 0, z, alpha * z)
    if name == "elu":
        return lambda z: np.where(z > 0, z, alpha * np.expm1(z))
    sys.exit("unknown activation " + name)


def torch_activation(name, alpha):
    table = {"relu": torch.nn.ReLU(), "sigmoid": torch.nn.Sigmoid(), "tanh": torch.nn.Tanh(),
             "identity": torch.nn.Identity(), "softmax": torch.nn.Softmax(dim=1),
             "leaky_relu": torch.nn.LeakyReLU(alpha), "elu": torch.nn.ELU(alpha)}
    if name not in table:
        sys.exit("unknown activation " + name)
    return table[name]


layers, scaler = read_model(model_path)
scale = scale_function(scaler)
rows = np.loadtxt(rows_path, delimiter=",", dtype=np.float64)[:, :-1]

if framework == "numpy":
    steps = [(w, b, numpy_activation(act, alpha)) for w, b, act, alpha in layers]

    def predict_class(raw):
        a = scale(raw.reshape(1, -1))
        for w, b, f in steps:
            a = f(a @ w + b)
        return int(a.argmax(axis=1)[0])
else:
    modules = []
    for w, b, act, alpha in layers:
        linear = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b.copy()))
        modules += [linear, torch_activation(act, alpha)]
    net = torch.nn.Sequential(*modules).eval()

    def predict_class(raw):
        with torch.no_grad():
            return int(net(torch.from_numpy(scale(raw.reshape(1, -1)))).argmax(dim=1)[0])

load_ms = (time.perf_counter() - t0) * 1e3
latency = []
classes_sum = 0
for i in range(calls):
    row = rows[i % len(rows)]
    s = time.perf_counter_ns()
    classes_sum += predict_class(row)
    latency.append(time.perf_counter_ns() - s)
warm = sorted(latency[-1000:])
print("serve program=%s load_ms=%.1f first_call_us=%.0f first_1000_ms=%.1f warm_median_us=%.1f classes_sum=%d"
      % (framework, load_ms, latency[0] / 1e3, sum(latency[:1000]) / 1e6, warm[500] / 1e3, classes_sum))
