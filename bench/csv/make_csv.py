"""Writes a synthetic MNIST-sized CSV for bench/large-csv.sh: a header, then ROWS rows of a class label 0-9
and FEATURES integer "pixels" 0-255 (each row 35 % its class's fixed random pattern, 65 % noise).
usage: make_csv.py OUT ROWS FEATURES"""
import sys
import numpy as np

out, rows, features = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
centers = rng.integers(0, 256, size=(10, features)).astype(np.float32)
with open(out, "w") as f:
    f.write("label," + ",".join(f"px{i}" for i in range(features)) + "\n")
    for start in range(0, rows, 5000):
        n = min(5000, rows - start)
        y = rng.integers(0, 10, size=n)
        x = np.clip(centers[y] * 0.35 + rng.integers(0, 256, size=(n, features)) * 0.65, 0, 255).astype(np.int32)
        f.write("".join(str(y[i]) + "," + ",".join(map(str, x[i])) + "\n" for i in range(n)))
