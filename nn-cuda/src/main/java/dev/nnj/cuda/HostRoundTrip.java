package dev.nnj.cuda;

import dev.nnj.api.ElementFunction;
import dev.nnj.api.PairFunction;
import jcuda.driver.CUdeviceptr;

/**
 * The user-function ops of {@link dev.nnj.api.Backend} on the GPU: the operands are copied to host arrays, the
 * Java function is applied there element by element, and the result is copied back. Correct on every device
 * and simple to reason about; the price is two transfers per call, so a custom activation or loss trains
 * slower on CUDA than a built-in one (whose fused kernels never leave the device).
 *
 * <p>The host arrays are kept and only grow, so a warm training step with a user function allocates no new
 * arrays once the largest batch has been seen (JCuda's small per-copy pointer objects aside). The copies are
 * synchronous on the stream the kernels use, so the host sees the finished inputs and the next kernel the
 * uploaded result.
 */
final class HostRoundTrip {
    private final Device device;
    private float[] first = new float[0];
    private float[] second = new float[0];

    HostRoundTrip(Device device) {
        this.device = device;
    }

    /** {@code out[i] = f(x[i])}. */
    void map(ElementFunction f, CUdeviceptr x, CUdeviceptr out, int n) {
        float[] h = first(n);
        device.download(x, h, 0, n);
        for (int i = 0; i < n; i++) {
            h[i] = f.apply(h[i]);
        }
        device.upload(h, 0, out, n);
    }

    /** {@code out[i] = scale · f(a[i], b[i])}. */
    void map(PairFunction f, float scale, CUdeviceptr a, CUdeviceptr b, CUdeviceptr out, int n) {
        float[] ha = first(n);
        float[] hb = second(n);
        device.download(a, ha, 0, n);
        device.download(b, hb, 0, n);
        for (int i = 0; i < n; i++) {
            ha[i] = scale * f.apply(ha[i], hb[i]);
        }
        device.upload(ha, 0, out, n);
    }

    /** {@code out[0] = beta · out[0] + scale · Σ f(a[i], b[i])}, the sum in double as on the CPU. */
    void sum(PairFunction f, float scale, CUdeviceptr a, CUdeviceptr b, float beta, CUdeviceptr out, int n) {
        float[] ha = first(Math.max(n, 1));
        float[] hb = second(n);
        device.download(a, ha, 0, n);
        device.download(b, hb, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += f.apply(ha[i], hb[i]);
        }
        sum *= scale;
        if (beta != 0f) {
            device.download(out, ha, 0, 1);
            sum += beta * (double) ha[0];
        }
        ha[0] = (float) sum;
        device.upload(ha, 0, out, 1);
    }

    private float[] first(int n) {
        if (first.length < n) {
            first = new float[n];
        }
        return first;
    }

    private float[] second(int n) {
        if (second.length < n) {
            second = new float[n];
        }
        return second;
    }
}
