"""Writes the PyTorch-exported ONNX files OnnxImporterTest imports (run from this directory with PyTorch and
scikit-learn; the files are committed, so the tests need neither):

  torch_digits.onnx      Linear(64, 32) ReLU Linear(32, 10) Softmax, trained 30 epochs with Adam on the digits'
                         training split (scikit-learn's, random_state=42, pixels min-max scaled over all images)
  torch_activations.onnx Flatten Linear(64, 24) Tanh Dropout Linear(24, 16) LeakyReLU(0.2) Linear(16, 12) ELU(0.7)
                         Linear(12, 8) Sigmoid Linear(8, 10): random weights, logits out, every activation PyTorch
                         exports that nnj imports
  torch_batchnorm.onnx   Linear(64, 32) BatchNorm1d ReLU Dropout Linear(32, 16) ReLU BatchNorm1d Linear(16, 10)
                         Softmax, trained 30 epochs with Adam as torch_digits: a batch norm after a Linear and one
                         after an activation, each with running statistics of its own
  torch_images.onnx      Flatten Linear(64, 32) ReLU Linear(32, 10) on images of (batch, 1, 8, 8): random weights,
                         logits out, an input of four dimensions flattened first
  torch_logsoftmax.onnx  Linear(64, 32) ReLU Linear(32, 10) LogSoftmax, trained 30 epochs with Adam on the negative
                         log-likelihood of its outputs (NLLLoss), as PyTorch's MNIST example trains its classifier
  torch_prelu.onnx       Linear(64, 32) PReLU Linear(32, 10) Softmax, trained 30 epochs as torch_digits: PReLU's one
                         slope, learned (0.25 at the start), read as a leaky ReLU's alpha

torch.onnx.export writes each Linear as Gemm(x, W, b) with transB = 1 (W is (out, in)); eval mode drops Dropout,
and writes each BatchNorm1d as BatchNormalization with its running mean and variance (and Identity nodes that copy
some of the weights).
"""
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

torch.manual_seed(0)
d = load_digits()
x = MinMaxScaler().fit_transform(d.data).astype(np.float32)
x_train, x_test, y_train, y_test = train_test_split(x, d.target, test_size=0.2, random_state=42)
x_train, y_train = torch.tensor(x_train), torch.tensor(y_train)



def train(model, loss=torch.nn.functional.cross_entropy, head=(torch.nn.Softmax(dim=1),)):
    """30 epochs of Adam on the training split, batches of 32; the model in eval mode with head after it."""
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(30):
        perm = torch.randperm(len(x_train))
        for i in range(0, len(x_train), 32):
            b = perm[i:i + 32]
            opt.zero_grad()
            loss(model(x_train[b]), y_train[b]).backward()
            opt.step()
    return torch.nn.Sequential(*model, *head).eval()


digits = train(torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)))
accuracy = (digits(torch.tensor(x_test)).argmax(1).numpy() == y_test).mean()
print(f"torch_digits: test accuracy {accuracy:.4f}")

activations = torch.nn.Sequential(
    torch.nn.Flatten(), torch.nn.Linear(64, 24), torch.nn.Tanh(), torch.nn.Dropout(0.5),
    torch.nn.Linear(24, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 12), torch.nn.ELU(0.7),
    torch.nn.Linear(12, 8), torch.nn.Sigmoid(), torch.nn.Linear(8, 10)).eval()

batchnorm = train(torch.nn.Sequential(
    torch.nn.Linear(64, 32), torch.nn.BatchNorm1d(32), torch.nn.ReLU(), torch.nn.Dropout(0.2),
    torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.BatchNorm1d(16), torch.nn.Linear(16, 10)))
accuracy = (batchnorm(torch.tensor(x_test)).argmax(1).numpy() == y_test).mean()
print(f"torch_batchnorm: test accuracy {accuracy:.4f}")

images = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 32), torch.nn.ReLU(),
                             torch.nn.Linear(32, 10)).eval()

# Made after the others, so that they come out as before.
logsoftmax = train(torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10),
                                       torch.nn.LogSoftmax(dim=1)), torch.nn.functional.nll_loss, ())
accuracy = (logsoftmax(torch.tensor(x_test)).argmax(1).numpy() == y_test).mean()
print(f"torch_logsoftmax: test accuracy {accuracy:.4f}")

prelu = train(torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.PReLU(), torch.nn.Linear(32, 10)))
accuracy = (prelu(torch.tensor(x_test)).argmax(1).numpy() == y_test).mean()
print(f"torch_prelu: test accuracy {accuracy:.4f}, slope {prelu[1].weight.item():.6f}")

for name, model, example in [("torch_digits.onnx", digits, torch.zeros(2, 64)),
                             ("torch_activations.onnx", activations, torch.zeros(2, 64)),
                             ("torch_batchnorm.onnx", batchnorm, torch.zeros(2, 64)),
                             ("torch_images.onnx", images, torch.zeros(2, 1, 8, 8)),
                             ("torch_logsoftmax.onnx", logsoftmax, torch.zeros(2, 64)),
                             ("torch_prelu.onnx", prelu, torch.zeros(2, 64))]:
    torch.onnx.export(model, (example,), name, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
    print("wrote", name)
