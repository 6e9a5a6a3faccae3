package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.optim.Adam;

/**
 * A training step of {@code x (batch, in) → Dense relu (hidden) → Dense softmax (out) → cross-entropy},
 * gradient clipping by global norm and by value, Adam on all four parameters, written as the backend ops the nn-api layers issue: for the allocation test
 * and for quick step timings ({@link StepThroughput}).
 */
final class TrainingStepOps {
    private final CpuBackend cpu;
    private final int batch;
    private final Tensor x;
    private final Tensor y;
    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor a1;
    private final Tensor a2;
    private final Tensor dz2;
    private final Tensor da1;
    private final Tensor dz1;
    private final Tensor[] grads;
    private final Tensor[] moments;
    private final Tensor[] params;
    private final Tensor loss;
    private final Tensor correct;
    private final Tensor squaredNorm;

    TrainingStepOps(CpuBackend cpu, int batch, int in, int hidden, int out) {
        this.cpu = cpu;
        this.batch = batch;
        java.util.Random rnd = new java.util.Random(3);
        x = random(cpu, rnd, batch, in);
        float[] onehot = new float[batch * out];
        for (int i = 0; i < batch; i++) {
            onehot[i * out + rnd.nextInt(out)] = 1f;
        }
        y = cpu.tensor(onehot, batch, out);
        w1 = random(cpu, rnd, in, hidden);
        b1 = cpu.zeros(hidden);
        w2 = random(cpu, rnd, hidden, out);
        b2 = cpu.zeros(out);
        a1 = cpu.zeros(batch, hidden);
        a2 = cpu.zeros(batch, out);
        dz2 = cpu.zeros(batch, out);
        da1 = cpu.zeros(batch, hidden);
        dz1 = cpu.zeros(batch, hidden);
        grads = new Tensor[] {cpu.zeros(in, hidden), cpu.zeros(hidden), cpu.zeros(hidden, out), cpu.zeros(out)};
        moments = new Tensor[8];
        params = new Tensor[] {w1, b1, w2, b2};
        for (int i = 0; i < 4; i++) {
            moments[2 * i] = cpu.zeros(params[i].shape());
            moments[2 * i + 1] = cpu.zeros(params[i].shape());
        }
        loss = cpu.zeros(1);
        correct = cpu.zeros(1);
        squaredNorm = cpu.zeros(1);
    }

    void run(int t) {
        // Forward.
        cpu.gemm(false, false, 1f, x, w1, 0f, a1);
        cpu.biasActivation(a1, b1, Activation.RELU, 0f, a1);
        cpu.gemm(false, false, 1f, a1, w2, 0f, a2);
        cpu.biasActivation(a2, b2, Activation.SOFTMAX, 0f, a2);
        cpu.lossSum(LossKind.CATEGORICAL_CROSS_ENTROPY, a2, y, 1f, loss);
        cpu.countCorrect(a2, y, 1f, correct);
        // Backward: the fused softmax + cross-entropy gradient, then the chain rule down.
        cpu.scaledDifference(1f / batch, a2, y, dz2);
        cpu.gemm(true, false, 1f, a1, dz2, 0f, grads[2]);
        cpu.columnSums(dz2, 1f, 0f, grads[3]);
        cpu.gemm(false, true, 1f, dz2, w2, 0f, da1);
        cpu.activationBackward(Activation.RELU, 0f, a1, da1, dz1);
        cpu.gemm(true, false, 1f, x, dz1, 0f, grads[0]);
        cpu.columnSums(dz1, 1f, 0f, grads[1]);
        // Gradient clipping as GradientClipping issues it: the global norm on the device, then the scaling.
        for (int i = 0; i < 4; i++) {
            cpu.sumOfSquares(grads[i], i == 0 ? 0f : 1f, squaredNorm);
        }
        for (int i = 0; i < 4; i++) {
            cpu.clipByNorm(grads[i], squaredNorm, 1f);
            cpu.clipByValue(grads[i], 0.5f);
        }
        for (int i = 0; i < 4; i++) {
            cpu.adamStep(params[i], grads[i], moments[2 * i], moments[2 * i + 1], null, 1e-4f, 0.9f, 0.999f, 1e-8f,
                    0f, false, Adam.stepSize(1e-4f, 0.9f, t), Adam.sqrtBiasCorrection2(0.999f, t));
        }
    }

    void close() {
        for (Tensor t : new Tensor[] {x, y, w1, b1, w2, b2, a1, a2, dz2, da1, dz1, loss, correct, squaredNorm}) {
            t.close();
        }
        for (Tensor t : grads) {
            t.close();
        }
        for (Tensor t : moments) {
            t.close();
        }
    }

    private static Tensor random(CpuBackend cpu, java.util.Random rnd, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (rnd.nextFloat() - 0.5f) * 0.1f;
        }
        return cpu.tensor(data, rows, cols);
    }
}
