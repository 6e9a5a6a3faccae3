#!/usr/bin/env python3
"""Writes blobs.csv: a small numeric CSV with a header and text labels, for the --csv end-to-end test.

Three Gaussian blobs in four dimensions, 30 rows each, labelled red, green and blue; the label column sits
between the features so that the test finds it by name. Seeded, so the file is reproducible:
    python3 make-blobs.py > blobs.csv
"""
import random

random.seed(11)
centres = {"red": (0.0, 0.0, 5.0, 1.0), "green": (3.0, 3.0, 5.0, 1.0), "blue": (0.0, 3.0, 8.0, 2.0)}
print("x1,x2,colour,x3,x4")
rows = []
for name, centre in centres.items():
    for _ in range(30):
        x = [c + random.gauss(0, 0.7) for c in centre]
        rows.append("%.3f,%.3f,%s,%.3f,%.3f" % (x[0], x[1], name, x[2], x[3]))
random.shuffle(rows)
print("\n".join(rows))
