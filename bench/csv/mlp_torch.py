"""The pipeline `./digits --csv FILE --label label --header --preset keras --hidden H` runs, in PyTorch on the
CPU, for bench/large-csv.sh: numpy's loadtxt, scikit-learn's stratified 80/20 split (random_state=42) and
min-max scaler fitted on the training rows, Dense H relu + Dense 10 (softmax cross-entropy), Adam (1e-3,
eps 1e-7), shuffled batches of 32, test accuracy after each epoch.
usage: mlp_torch.py FILE EPOCHS HIDDEN THREADS"""
import sys
import time

t0 = time.perf_counter()
import numpy as np
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

path, epochs, hidden, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
t1 = time.perf_counter()
y = data[:, 0].astype(np.int64)
x = data[:, 1:]
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42, stratify=y)
scaler = MinMaxScaler().fit(x_train)
x_train = torch.from_numpy(scaler.transform(x_train).astype(np.float32))
x_test = torch.from_numpy(scaler.transform(x_test).astype(np.float32))
y_train, y_test = torch.from_numpy(y_train), torch.from_numpy(y_test)
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
t2 = time.perf_counter()
for epoch in range(epochs):
    order = torch.randperm(len(x_train))
    for i in range(0, len(x_train), 32):
        batch = order[i:i + 32]
        optimizer.zero_grad()
        loss_fn(model(x_train[batch]), y_train[batch]).backward()
        optimizer.step()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
t3 = time.perf_counter()
print(f"mlp-torch rows={len(y)} features={x.shape[1]} epochs={epochs} read_s={t1 - t0:.2f} (imports included) "
      f"prepare_s={t2 - t1:.2f} train_s={t3 - t2:.2f} test_acc={accuracy:.4f}")
