package dev.nnj.api.init;

import java.util.Random;

/**
 * Fills a parameter's initial values. All initializers draw from the {@link Random} they are given, so a
 * model built with the same seed starts from the same weights on every backend.
 *
 * <p>{@code fanIn} and {@code fanOut} are the layer's input and output widths (for a Dense weight of shape
 * {@code (in, out)}: {@code fanIn = in}, {@code fanOut = out}).
 */
@FunctionalInterface
public interface Initializer {

    /**
     * Writes {@code values.length} initial values.
     *
     * @param values the array filled, a weight matrix {@code (fanIn, fanOut)} or a bias, row-major
     * @param fanIn the number of inputs of the layer
     * @param fanOut the number of outputs of the layer
     * @param random the seeded source of the draws
     */
    void fill(float[] values, int fanIn, int fanOut, Random random);

    /**
     * All zeros (the usual bias initializer).
     *
     * @return an initializer writing 0
     */
    static Initializer zeros() {
        return constant(0f);
    }

    /**
     * Zeros for parameters whose values are written right after the layer is built, from a model file or another
     * framework's: a model summary then names where the weights came from ({@code weights=loaded}) rather than an
     * initialiser that never mattered.
     *
     * @param source what the summary says, e.g. {@code "loaded"}
     * @return an initializer writing 0, named {@code source}
     */
    static Initializer placeholder(String source) {
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                java.util.Arrays.fill(values, 0f);
            }

            @Override
            public String toString() {
                return source;
            }
        };
    }

    /**
     * Every value {@code c}.
     *
     * @param c the value written
     * @return an initializer writing {@code c}
     * @throws IllegalArgumentException if {@code c} is NaN or infinite
     */
    static Initializer constant(float c) {
        if (!Float.isFinite(c)) {
            throw new IllegalArgumentException("constant initializer: c must be finite, got " + c);
        }
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                java.util.Arrays.fill(values, c);
            }

            @Override
            public String toString() {
                return "constant(" + c + ")";
            }
        };
    }

    /**
     * Normal {@code N(mean, std²)}; the article uses {@code N(0, 1)} ({@code np.random.randn}).
     *
     * @param mean the mean of the distribution
     * @param std the standard deviation, {@code >= 0}
     * @return an initializer drawing from the normal distribution
     */
    static Initializer normal(double mean, double std) {
        if (!(std >= 0 && std < Double.POSITIVE_INFINITY) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("normal initializer: mean must be finite and std finite and >= 0, got"
                    + " mean " + mean + ", std " + std);
        }
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (mean + std * random.nextGaussian());
                }
            }

            @Override
            public String toString() {
                return "normal(" + mean + ", " + std + ")";
            }
        };
    }

    /**
     * Uniform on {@code [low, high)}.
     *
     * @param low the lower bound, inclusive
     * @param high the upper bound, exclusive
     * @return an initializer drawing from the uniform distribution
     */
    static Initializer uniform(double low, double high) {
        if (!(high >= low) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("uniform needs finite low <= high, got [" + low + ", " + high + ")");
        }
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (low + (high - low) * random.nextDouble());
                }
            }

            @Override
            public String toString() {
                return "uniform(" + low + ", " + high + ")";
            }
        };
    }

    /**
     * Glorot/Xavier uniform (Glorot and Bengio 2010), Keras' default for Dense kernels:
     * {@code U(-l, l)} with {@code l = √(6 / (fanIn + fanOut))}.
     *
     * @return an initializer whose range depends on the fans of each layer
     */
    static Initializer glorotUniform() {
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                uniform(-limit, limit).fill(values, fanIn, fanOut, random);
            }

            @Override
            public String toString() {
                return "glorot_uniform";
            }
        };
    }

    /**
     * He normal (He et al. 2015) for ReLU layers: {@code N(0, 2 / fanIn)}, as PyTorch's
     * {@code kaiming_normal_} (Keras truncates the tails; this does not).
     *
     * @return an initializer whose spread depends on the fan-in of each layer
     */
    static Initializer heNormal() {
        return new Initializer() {
            @Override
            public void fill(float[] values, int fanIn, int fanOut, Random random) {
                normal(0, Math.sqrt(2.0 / fanIn)).fill(values, fanIn, fanOut, random);
            }

            @Override
            public String toString() {
                return "he_normal";
            }
        };
    }

    /**
     * PyTorch's default for {@code nn.Linear}, for its weight and its bias alike: {@code U(-b, b)} with
     * {@code b = 1 / √fanIn}. ({@code reset_parameters} calls {@code kaiming_uniform_(weight, a=√5)}, whose bound
     * {@code gain · √(3 / fanIn)} with {@code gain = √(2 / (1 + a²))} is {@code 1 / √fanIn}, and draws the bias from
     * the same range.) Give it as both initialisers to start as a PyTorch model does, in distribution (the draws
     * come from {@code random}, not from PyTorch's generator):
     * <pre>{@code new Dense(64, Activation.RELU, Initializer.pytorchLinear(), Initializer.pytorchLinear())}</pre>
     *
     * @return an initializer whose range depends on the fan-in of each layer (always the same instance)
     */
    static Initializer pytorchLinear() {
        return PytorchLinear.INSTANCE;
    }
}
