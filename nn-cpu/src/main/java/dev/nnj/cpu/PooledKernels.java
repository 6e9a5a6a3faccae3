package dev.nnj.cpu;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Lends each op a {@link Kernels} instance no other thread is using, so that several threads may run ops on one
 * backend at once.
 *
 * <p>Why: the tuned kernels keep the current call's arguments and their packing buffers in fields of
 * long-lived task objects, which is what makes an op allocate nothing, and also what makes one instance
 * usable by one thread at a time. An op takes an idle instance from a fixed row of slots (compare-and-set, no
 * lock, no allocation) and puts it back when it returns; only when every slot is taken does it build a new one,
 * kept afterwards if a slot is free. So N threads calling at once use N instances, a warm op allocates nothing,
 * and two ops never share a field or a buffer. The parts of a large op still run on the backend's one
 * {@link WorkerPool}, which takes one job at a time (callers queue for it); ops too small to split never touch
 * the pool and run fully in parallel.
 *
 * <p>Lent per op rather than kept per thread, because a service may call from a new thread for every request (a
 * virtual thread per request, as Loom-era servers do): kernels per thread rebuilt their buffers on each request,
 * 80-100 µs of a 1-row prediction that takes 5-6 µs on a pooled thread, and thousands of threads in flight held
 * thousands of sets. So nothing an op writes, besides its outputs, is kept per thread: the exponential's scratch is
 * the instance's too ({@link ExpScratch}). Each thread starts looking at its own slot ({@link Thread#getId()}
 * modulo the slots), so a thread that calls alone, such as a training loop, gets the same instance, with its
 * buffers already sized, every time.
 *
 * <p>The cost is two compare-and-sets per op (tens of nanoseconds uncontended, no allocation).
 */
final class PooledKernels implements Kernels {
    private final AtomicReferenceArray<Kernels> idle;
    private final Supplier<Kernels> factory;
    private final String label;

    /**
     * @param slots   how many idle instances to keep: enough for the threads that call at once
     * @param factory creates an instance when none is idle
     */
    PooledKernels(int slots, Supplier<Kernels> factory) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        this.idle = new AtomicReferenceArray<>(slots);
        this.factory = factory;
        Kernels first = factory.get();
        this.label = first.label();
        idle.set(0, first);
    }

    /** An idle instance, claimed for the calling op, or a new one when every slot is taken or empty. */
    private Kernels acquire() {
        int n = idle.length();
        int start = home(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            Kernels k = idle.get(slot);
            if (k != null && idle.compareAndSet(slot, k, null)) {
                return k;
            }
        }
        return factory.get();
    }

    /** Puts an instance back: in the calling thread's own slot if free, else the next free one, else dropped. */
    private void release(Kernels k) {
        int n = idle.length();
        int start = home(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) % n;
            if (idle.get(slot) == null && idle.compareAndSet(slot, null, k)) {
                return;
            }
        }
    }

    /** The slot the calling thread looks at first. */
    @SuppressWarnings("deprecation")   // Thread.threadId() is JDK 19+; getId() is the same number
    private static int home(int slots) {
        return (int) Long.remainderUnsigned(Thread.currentThread().getId(), slots);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                     float[] b, float beta, float[] c) {
        Kernels lent = acquire();
        try {
            lent.gemm(transposeA, transposeB, m, n, k, alpha, a, b, beta, c);
        } finally {
            release(lent);
        }
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, float alpha, float beta, float[] out) {
        Kernels lent = acquire();
        try {
            lent.columnSums(x, rows, cols, alpha, beta, out);
        } finally {
            release(lent);
        }
    }

    @Override
    public void biasActivation(float[] z, float[] bias, int rows, int cols, Activation f, float alpha,
                               float[] out) {
        Kernels lent = acquire();
        try {
            lent.biasActivation(z, bias, rows, cols, f, alpha, out);
        } finally {
            release(lent);
        }
    }

    @Override
    public void activationBackward(Activation f, float alpha, float[] a, float[] dA, float[] dZ, int rows,
                                   int cols) {
        Kernels lent = acquire();
        try {
            lent.activationBackward(f, alpha, a, dA, dZ, rows, cols);
        } finally {
            release(lent);
        }
    }

    @Override
    public void multiply(float[] a, float[] b, float[] out, int n) {
        Kernels lent = acquire();
        try {
            lent.multiply(a, b, out, n);
        } finally {
            release(lent);
        }
    }

    @Override
    public void scaledDifference(float scale, float[] a, float[] b, float[] out, int n) {
        Kernels lent = acquire();
        try {
            lent.scaledDifference(scale, a, b, out, n);
        } finally {
            release(lent);
        }
    }

    @Override
    public void dropoutMask(float rate, long seed, float[] mask, int n) {
        Kernels lent = acquire();
        try {
            lent.dropoutMask(rate, seed, mask, n);
        } finally {
            release(lent);
        }
    }

    @Override
    public double lossSum(LossKind kind, float[] p, float[] y, int rows, int cols) {
        Kernels lent = acquire();
        try {
            return lent.lossSum(kind, p, y, rows, cols);
        } finally {
            release(lent);
        }
    }

    @Override
    public void lossGradient(LossKind kind, float[] p, float[] y, float[] g, int rows, int cols) {
        Kernels lent = acquire();
        try {
            lent.lossGradient(kind, p, y, g, rows, cols);
        } finally {
            release(lent);
        }
    }

    @Override
    public int countCorrect(float[] p, float[] y, int rows, int cols) {
        Kernels lent = acquire();
        try {
            return lent.countCorrect(p, y, rows, cols);
        } finally {
            release(lent);
        }
    }

    @Override
    public void sgdStep(float[] p, float[] g, float[] buf, int n, float lr, float momentum, float dampening,
                        float weightDecay, boolean nesterov, boolean firstStep) {
        Kernels lent = acquire();
        try {
            lent.sgdStep(p, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        } finally {
            release(lent);
        }
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, float lr, float beta1,
                         float beta2, float eps, float weightDecay, boolean decoupledWeightDecay, float stepSize,
                         float sqrtBc2) {
        Kernels lent = acquire();
        try {
            lent.adamStep(p, g, m, v, vMax, n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, stepSize,
                    sqrtBc2);
        } finally {
            release(lent);
        }
    }

    @Override
    public void rmspropStep(float[] p, float[] g, float[] sq, float[] gAvg, float[] buf, int n, float lr,
                            float alpha, float eps, float weightDecay, float momentum) {
        Kernels lent = acquire();
        try {
            lent.rmspropStep(p, g, sq, gAvg, buf, n, lr, alpha, eps, weightDecay, momentum);
        } finally {
            release(lent);
        }
    }

    @Override
    public void adagradStep(float[] p, float[] g, float[] sum, int n, float clr, float eps, float weightDecay) {
        Kernels lent = acquire();
        try {
            lent.adagradStep(p, g, sum, n, clr, eps, weightDecay);
        } finally {
            release(lent);
        }
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        Kernels lent = acquire();
        try {
            return lent.sumOfSquares(x, n);
        } finally {
            release(lent);
        }
    }

    @Override
    public void scale(float[] x, int n, float factor) {
        Kernels lent = acquire();
        try {
            lent.scale(x, n, factor);
        } finally {
            release(lent);
        }
    }

    @Override
    public void clamp(float[] x, int n, float limit) {
        Kernels lent = acquire();
        try {
            lent.clamp(x, n, limit);
        } finally {
            release(lent);
        }
    }
}
