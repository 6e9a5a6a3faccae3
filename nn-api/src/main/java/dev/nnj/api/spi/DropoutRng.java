package dev.nnj.api.spi;

/**
 * The counter-based random numbers behind dropout masks. Element {@code i} of a mask drawn with
 * {@code seed} keeps its unit when {@code uniform(seed, i) >= rate}. Because the value depends only on
 * {@code (seed, i)}, every backend (CPU threads, CUDA threads) draws the identical mask, in any order.
 *
 * <p>The generator is SplitMix64's output function (Steele, Lea, Flood 2014) applied to
 * {@code seed + (i + 1) · γ}, with the top 24 bits giving a float in {@code [0, 1)}.
 */
public final class DropoutRng {
    /** SplitMix64's increment, the odd integer closest to 2^64 / φ. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private DropoutRng() {
    }

    /**
     * SplitMix64's finaliser: a bijective mix of the 64 bits.
     *
     * @param z the input bits
     * @return the mixed bits
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform float in {@code [0, 1)} for element {@code index} of the mask drawn with {@code seed}.
     *
     * @param seed the mask's seed
     * @param index the element index
     * @return {@code k / 2^24} for the top 24 bits {@code k} of the mixed counter
     */
    public static float uniform(long seed, long index) {
        return (mix64(seed + (index + 1) * GOLDEN_GAMMA) >>> 40) * 0x1.0p-24f;
    }

    /**
     * Element {@code index} of the mask drawn with {@code seed}: {@code keep} where
     * {@code uniform(seed, index) >= rate} (the unit is kept, scaled up), else 0. The one rule
     * {@link dev.nnj.api.Backend#dropoutMask} states; a backend's host code and a layer that draws rows of a mask of
     * its own call it.
     *
     * @param seed  the mask's seed
     * @param index the element index
     * @param rate  the probability of dropping, in {@code [0, 1)}
     * @param keep  {@code 1 / (1 - rate)}, computed once by the caller in float
     * @return {@code keep} or 0
     */
    public static float maskValue(long seed, long index, float rate, float keep) {
        return uniform(seed, index) >= rate ? keep : 0f;
    }
}
