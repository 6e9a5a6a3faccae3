"""The seed article's NeuralNetwork + Trainer (numpy), run on sklearn digits with its split.
Measures wall time of trainer.train(...) and test accuracy. Anchor for the Java digits trainer.

Not an anchor: bench/anchors/article_numpy.py with its arrays in float32, as nnj computes, where numpy's
default is float64 (six lines changed: the weights, the biases, X and Y). For reference beside the anchor."""
import sys, time, numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

class NeuralNetwork:
    def __init__(self, input_size, hidden_size, output_size, loss_func='mse'):
        self.loss_func = loss_func
        self.weights1 = np.random.randn(input_size, hidden_size).astype(np.float32)
        self.bias1 = np.zeros((1, hidden_size), np.float32)
        self.weights2 = np.random.randn(hidden_size, output_size).astype(np.float32)
        self.bias2 = np.zeros((1, output_size), np.float32)
    def forward(self, X):
        self.z1 = np.dot(X, self.weights1) + self.bias1
        self.a1 = self.sigmoid(self.z1)
        self.z2 = np.dot(self.a1, self.weights2) + self.bias2
        self.a2 = self.softmax(self.z2) if self.loss_func == 'categorical_crossentropy' else self.sigmoid(self.z2)
        return self.a2
    def backward(self, X, y, lr):
        m = X.shape[0]
        self.dz2 = self.a2 - y
        self.dw2 = (1 / m) * np.dot(self.a1.T, self.dz2)
        self.db2 = (1 / m) * np.sum(self.dz2, axis=0, keepdims=True)
        self.dz1 = np.dot(self.dz2, self.weights2.T) * self.a1 * (1 - self.a1)
        self.dw1 = (1 / m) * np.dot(X.T, self.dz1)
        self.db1 = (1 / m) * np.sum(self.dz1, axis=0, keepdims=True)
        self.weights2 -= lr * self.dw2; self.bias2 -= lr * self.db2
        self.weights1 -= lr * self.dw1; self.bias1 -= lr * self.db1
    def sigmoid(self, x): return 1 / (1 + np.exp(-x))
    def softmax(self, x):
        e = np.exp(x - np.max(x, axis=1, keepdims=True)); return e / np.sum(e, axis=1, keepdims=True)

def loss(y, p): return -np.mean(y * np.log(p))

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
np.random.seed(seed)
d = load_digits()
X = MinMaxScaler().fit_transform(d.data).astype(np.float32); y = d.target
Y = np.eye(10, dtype=np.float32)[y]
Xtr, Xte, Ytr, Yte = train_test_split(X, Y, test_size=0.2, random_state=42)
nn = NeuralNetwork(64, 64, 10, 'categorical_crossentropy')
t = time.perf_counter()
tr_loss, te_loss = [], []
for _ in range(epochs):
    nn.forward(Xtr); nn.backward(Xtr, Ytr, 0.1); tr_loss.append(loss(Ytr, nn.a2))
    nn.forward(Xte); te_loss.append(loss(Yte, nn.a2))
el = time.perf_counter() - t
acc = np.mean(np.argmax(nn.forward(Xte), 1) == np.argmax(Yte, 1))
print(f"article-numpy seed={seed} epochs={epochs} train_s={el:.3f} acc={acc:.4f} final_train_loss={tr_loss[-1]:.4f} final_test_loss={te_loss[-1]:.4f}")
