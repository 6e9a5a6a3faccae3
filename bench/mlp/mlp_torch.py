#!/usr/bin/python3
"""The training speed of one multilayer perceptron in PyTorch, as nnj's dev.nnj.bench.MlpShapes measures it.

The same network and timing as MlpShapes (see its javadoc), on data drawn alike (numpy's generator, where nnj uses
Java's; PyTorch's default initial weights): x ~ N(0, 1) of (rows, in), Linear layers with the
activation between them, softmax cross-entropy (ce: the last Linear's logits into CrossEntropyLoss) or mean squared
error (mse); classes floor(3 x0 + 2 x1) mod out, a regression's target x0 / 2 + N(0, 0.01); SGD at 0.01 or Adam at
1e-3; shuffled batches, no evaluation. Epochs are timed one by one: the first WARM_S seconds are warm-up (the first
epoch's time is reported), the epochs of the next MEASURE_S seconds give the median. One line, key=value:

  mlp program=torch shape=784-256-10 activation=relu loss=ce optimizer=adam batch=128 rows=20000 threads=1
      first_epoch_ms=400.1 median_epoch_ms=312.0 epochs=17 samples_per_s=64102 loss_first=2.3 loss_last=1.1

usage: mlp_torch.py SHAPE ACTIVATION ce|mse sgd|adam BATCH ROWS WARM_S MEASURE_S THREADS
"""
import sys
import time

import numpy as np
import torch


def main(argv):
    if len(argv) != 9:
        sys.exit(__doc__.split("usage: ")[1])
    shape, activation, loss_name, optimizer_name = argv[0], argv[1], argv[2], argv[3]
    batch, rows = int(argv[4]), int(argv[5])
    warm_s, measure_s, threads = float(argv[6]), float(argv[7]), int(argv[8])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    widths = [int(w) for w in shape.split("-")]
    inputs, outputs = widths[0], widths[-1]
    rng = np.random.default_rng(1)
    x = torch.from_numpy(rng.standard_normal((rows, inputs), dtype=np.float32))
    if loss_name == "mse":
        y = x[:, :1].repeat(1, outputs) * 0.5 + torch.from_numpy(
            rng.standard_normal((rows, outputs), dtype=np.float32)) * 0.1
        loss_fn = torch.nn.MSELoss()
    else:
        second = x[:, 1] if inputs > 1 else torch.zeros(rows)
        y = torch.remainder(torch.floor(3 * x[:, 0] + 2 * second).long(), outputs)
        loss_fn = torch.nn.CrossEntropyLoss()
    act = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "elu": torch.nn.ELU,
           "leaky_relu": torch.nn.LeakyReLU, "identity": torch.nn.Identity}[activation]
    layers = []
    for i in range(1, len(widths) - 1):
        layers += [torch.nn.Linear(widths[i - 1], widths[i]), act()]
    layers.append(torch.nn.Linear(widths[-2], outputs))
    model = torch.nn.Sequential(*layers)
    optimizer = (torch.optim.Adam(model.parameters(), 1e-3) if optimizer_name == "adam"
                 else torch.optim.SGD(model.parameters(), 0.01))
    generator = torch.Generator().manual_seed(1)

    def epoch():
        order = torch.randperm(rows, generator=generator)
        total = 0.0
        for start in range(0, rows, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)   # a float: no tensor arithmetic beside the step's own
        return total / rows

    millis, losses = [], []
    start = last = time.perf_counter()
    first_timed, timed_from = -1, 0.0
    while True:
        losses.append(epoch())
        now = time.perf_counter()
        millis.append((now - last) * 1000)
        last = now
        if first_timed < 0:
            if now - start >= warm_s and len(millis) >= 2:
                first_timed, timed_from = len(millis), now
        elif now - timed_from >= measure_s and len(millis) - first_timed >= 3:
            break
    timed = sorted(millis[first_timed:])
    median = timed[len(timed) // 2]
    print(f"mlp program=torch shape={shape} activation={activation} loss={loss_name} optimizer={optimizer_name} "
          f"batch={batch} rows={rows} threads={threads} first_epoch_ms={millis[0]:.1f} median_epoch_ms={median:.2f} "
          f"epochs={len(timed)} samples_per_s={rows / (median / 1000):.0f} loss_first={losses[0]:.4f} "
          f"loss_last={losses[-1]:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
