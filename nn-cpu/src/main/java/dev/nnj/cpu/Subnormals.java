package dev.nnj.cpu;

/**
 * Flush to zero: a float whose magnitude is at most the smallest normal float, {@code 2^−126 ≈ 1.2e−38}, becomes a
 * zero of the same sign; every other value, NaN and the infinities included, is kept as it is.
 *
 * <p>Why: on Intel processors an arithmetic operation that reads or produces a subnormal float (a magnitude below
 * {@code 2^−126}) takes a microcode assist of about a hundred cycles instead of one. Native ML libraries avoid that
 * by switching the processor to flush-to-zero (TensorFlow does so by default); Java cannot, because its arithmetic
 * is IEEE 754 with gradual underflow. A classifier produces them once it is sure: the softmax output of a class it
 * rules out falls below {@code 2^−126}, and so does that output's gradient {@code (p − y) / N}, which the two GEMMs
 * of the backward pass then read about a hundred times each in the digits model. On a 16-core Intel Xeon the
 * digits trainer's keras preset slowed from 2.3 ms per epoch to 5.4 ms as it converged, with up to 940 such
 * gradient elements per epoch; this Zen 4 machine barely notices subnormals and stayed at 1.5 ms. So the fused
 * output gradient ({@link ReferenceKernels#scaledDifference}, which every kernel set inherits) is flushed as it is
 * written; on the same kind of Xeon the keras preset then went from 2.75 to 3.1 ms per epoch where it had gone from
 * 3.15 to 6.8 (docs/gpu.md). What that changes is below {@code 1.2e−38} in absolute value: nothing a float32 model
 * can tell apart.
 *
 * <p>The formula has no branch and no compare: {@code keep = min(max((|x| · 2^126 − 1) · 2^23, 0), 1)}, with
 * {@code |x| · 2^126 − 1} as one fused multiply-add, is 1 for {@code |x| > 2^−126} (then {@code |x| · 2^126} is at
 * least {@code 1 + 2^−23}, exactly, or it overflows to {@code +∞}) and 0 otherwise, and {@code x · keep} is {@code x}
 * or a signed zero. NaN stays NaN ({@code max} and {@code min} pass it on), {@code ±∞} stays {@code ±∞}. C2
 * vectorizes it in a plain loop: a 14,370-element gradient takes 3.9 µs where the loop without it takes 2.0 µs,
 * and with a compare and a branch instead, which C2 does not vectorize, 9.4 µs.
 *
 * <p>Not flushed: the optimizers' running averages. Adam's {@code m} for a pixel that is blank in every image decays
 * by {@code β1} per step and spends about 150 steps in the subnormal range (about 230 elements per step of the keras
 * preset), but flushing {@code m} and {@code v} made the Adam kernel 1.7 times slower here (1.9 to 3.3 µs for 4,874
 * parameters; the digits model has 4,810), and on the Xeon the early epochs, which already had those, were not
 * slower than the machine's other work suggested.
 */
final class Subnormals {
    /** {@code 2^126}: it scales the smallest normal float to 1, exactly. */
    static final float TWO_TO_126 = 0x1p126f;
    /** {@code 2^23}: it scales the gap between 1 and the next float to 1. */
    static final float TWO_TO_23 = 0x1p23f;

    private Subnormals() {
    }

    /** {@code x}, or a zero of its sign when {@code |x| ≤ 2^−126}. */
    static float flush(float x) {
        float keep = Math.min(Math.max(Math.fma(Math.abs(x), TWO_TO_126, -1f) * TWO_TO_23, 0f), 1f);
        return x * keep;
    }
}
