package dev.nnj.api.model;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.spi.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Checks a model's backpropagation against finite differences of its loss: for every parameter element
 * {@code θ} (or a seeded sample of them), the gradient {@link Sequential#backward} computes is compared with
 * {@code ∂L/∂θ} estimated from the loss value alone, by moving {@code θ} a little either way.
 *
 * <pre>{@code
 * GradientCheck.Result result = GradientCheck.defaults().check(model, Loss.categoricalCrossEntropy(), x, y);
 * System.out.println(result);          // one line per parameter, then PASSED or FAILED
 * }</pre>
 *
 * <h2>The estimate</h2>
 * With {@code L(θ)} the mean loss of the batch {@code x (N, in)}, {@code y (N, out)} and every other parameter
 * fixed, the central difference and its Richardson extrapolation are
 * <pre>
 *   D(h) = (L(θ + h) − L(θ − h)) / 2h          error  h² L‴/6  + (rounding of L) / h
 *   n    = (4 D(h/2) − D(h)) / 3                error  O(h⁴)    + (rounding of L) / h
 * </pre>
 * with {@code h = 1e-2 · max(1, |θ|)} ({@link #DEFAULT_STEP}), the rule of the conformance suite's layer checks.
 * The denominator is the step the float32 value of {@code θ} actually took, {@code fl(θ + h) − fl(θ − h)}; the loss
 * is computed by the model in float32, as in training, and the differences are taken in double.
 *
 * <p><b>Why not the textbook {@code h = 1e-5}.</b> nnj computes in float32, whose unit roundoff is
 * {@code u = 2⁻²⁴ ≈ 6e-8}: the loss itself is known only to about {@code δL = u · (|L| + Σ_k |∂L/∂a_k · a_k|)} (its
 * own rounding, and that of the outputs {@code a} it is computed from). A difference quotient divides that by
 * {@code h}: about {@code 1e-5} at {@code h = 1e-2} for a loss near 2, but about {@code 1e-2} at {@code h = 1e-5}, as
 * large as the gradients themselves. In double precision ({@code u ≈ 1e-16}) the small step is right; in float32
 * the step must be large, and Richardson extrapolation removes the {@code h²} truncation error a large step brings.
 * {@code docs/math.md#11-checking-a-gradient-yourself} has the figures measured on a small network.
 *
 * <h2>What agreement to expect</h2>
 * Each element's <em>relative difference</em> is
 * <pre>
 *   r = |a − n| / max(|a|, |n|, floor)        a: backward's gradient,  n: the estimate above
 *   floor = (R / h + 3 s) / tolerance
 * </pre>
 * where {@code R / h} bounds the rounding error of {@code n} ({@code R} is the larger of {@code 8 δL} and four times
 * the median scatter {@code s · h} of the estimates, which shows rounding inside the forward pass that {@code δL}
 * misses) and {@code s} is the element's smoothness figure below. So a gradient smaller than the floor is judged by
 * its absolute difference, {@code |a − n| ≤ tolerance · floor}, the resolution float32 differences reach
 * ({@link Result#resolution()} says how much that is), and a larger one by its relative difference. A correct backward pass gives {@code r ≤ 1e-3} ({@link #DEFAULT_TOLERANCE}), usually {@code 1e-5} to
 * {@code 2e-4}. A real bug is off by one to three orders of magnitude more, where the gradients are well above
 * the resolution: a missing factor 2 gives {@code r = 0.5}, a wrong sign {@code r = 2}, a derivative 2% off about
 * {@code 1e-2}, a transposed product or a forgotten {@code 1/N} between {@code 0.1} and {@code 1}.
 *
 * <p>Below the floor, agreement only says that {@code |a − n|} is within what float32 resolves, and where every
 * gradient of a parameter is small beside that, a wrong one agrees too: one confidently wrong row (a sigmoid output
 * near 1 for a row labelled 0) or targets in the hundreds make the loss that coarse. So a parameter passes only if
 * one of its judged elements would have shown an error of {@value #RESOLVED_ERROR} of its gradient
 * ({@link ParameterResult#visibleError()}); otherwise it is {@link ParameterResult#unresolved() unresolved}, and the
 * report says NOT RESOLVED rather than PASSED.
 *
 * <h2>Kinks</h2>
 * ReLU, leaky ReLU and ELU bend at 0: if some pre-activation crosses 0 while {@code θ} moves by {@code ±h}, the
 * difference quotient averages two slopes and says nothing about the derivative at {@code θ}. The check runs the
 * model's layers itself and notes when the output of such a layer changes sign (the pre-activation's sign) at any
 * step; that element is tried again at {@code h/10}, and if a pre-activation still crosses 0 within
 * {@code ±h/10}, it is <em>skipped at a kink</em>, not judged. A kink the layers do not announce (a custom
 * activation's, a Huber loss's) is found from the loss values: with {@code L(θ)} and {@code D(h/4)} as well,
 * <pre>
 *   s = max(|n − (4 D(h/4) − D(h/2)) / 3|,  (h/2) |Δ²(h) − Δ²(h/2)|),     Δ²(h) = (L(θ + h) − 2 L(θ) + L(θ − h)) / h²
 * </pre>
 * is of the order of the rounding where the loss is smooth within the steps, and of the order of the slope's jump
 * where a kink lies within them (a single kink shifts {@code n} by at most {@code 1.3 s}, wherever it lies). Such an
 * element is tried at {@code h/10} and skipped when {@code s > 16 δL / h} and {@code 3 s > tolerance · |n|} there too.
 * Several unannounced kinks within one step can hide from this test; a handful of rows keeps them rare. Neither
 * decision looks at backward's value, so a wrong gradient cannot make an element skipped; the result counts the
 * skipped elements per parameter, and a parameter whose every element was skipped has not passed (use fewer rows:
 * every row is a pre-activation that may lie near 0).
 *
 * <h2>What it does to the model</h2>
 * Every pass runs with training off ({@code forward(x, false)}): a {@link dev.nnj.api.layers.Dropout} layer is the
 * identity there, in the forward pass and in the backward pass after it, so the check sees one fixed function (a
 * mask drawn afresh for every loss evaluation would turn the differences into noise) and draws no mask: training
 * after the check draws the masks it would have drawn without it. Dropout's own gradient is checked by the
 * conformance suite with a fixed mask. Every parameter is restored to its exact bits after it is moved, and all of
 * them again in a {@code finally} when anything throws. Afterwards the model is as after {@code forward(x, false)}
 * and {@code backward(loss, y)} at its own weights: each parameter's {@link Parameter#readGradient()} holds
 * backward's gradient. Optimizer state is not touched. Backward runs twice on the batch: a layer must set its
 * gradients, and one that adds to them instead (a fresh model's start at 0, so one pass cannot tell) is refused with
 * an {@link IllegalStateException} naming the parameter.
 *
 * <p>It costs six forward passes per checked element (twelve where it retries), so it samples at most
 * {@value #DEFAULT_SAMPLE} elements per parameter by default ({@link #withSample}, {@link #withEveryElement}); a
 * handful of rows is enough. It uses only the public API, so it runs on any backend. Like training, it is confined
 * to one thread at a time (see {@link Sequential}): the whole check is one training call, which other threads'
 * predictions are refused during, as during {@code fit}.
 *
 * <p>Instances are immutable: each {@code with…} method returns a new configuration.
 */
public final class GradientCheck {
    /** The relative step {@code h}: each element moves by {@code ±h · max(1, |θ|)}, half and a quarter of that. */
    public static final double DEFAULT_STEP = 1e-2;
    /** The relative difference a correct float32 backward pass stays within. */
    public static final double DEFAULT_TOLERANCE = 1e-3;
    /** At most this many elements of each parameter are checked by default. */
    public static final int DEFAULT_SAMPLE = 100;
    /** The seed of the default sample. */
    public static final long DEFAULT_SEED = 42;

    /** Unit roundoff of float32, {@code 2⁻²⁴}. */
    private static final double U = 0x1.0p-24;
    /**
     * The rounding error of an estimate is at most this many {@code δL / h}. Measured on sigmoid, tanh and softmax
     * networks (cross-entropies and squared error, 3 to 784 inputs, confident and uncertain outputs): at most 5.
     */
    private static final double ROUNDING_FACTOR = 8;
    /**
     * A smoothness figure {@code s} beyond this many {@code δL / h} is more than rounding. Measured on the same
     * smooth networks: at most 8.5 (the second difference at {@code h/2} is the noisiest term).
     */
    private static final double KINK_FACTOR = 16;
    /**
     * A single kink within the steps shifts the extrapolated estimate by at most {@code 1.3} times its figure
     * {@code s}, wherever it lies; this bound, with a margin, is what the check allows for it.
     */
    private static final double KINK_ERROR = 3;
    /**
     * The rounding of an estimate is at most this many times the typical scatter of the estimates (the median of
     * {@code s · h}): about twice the worst of a thousand estimates if the rounding is random.
     */
    private static final double SCATTER_FACTOR = 4;
    /**
     * A parameter passes only if the check would have seen a relative error this large in its gradient (in at least
     * one element): smaller errors than a missing factor 2 (0.5) or a derivative 2 % off may otherwise hide below
     * float32's resolution, where agreement says nothing.
     */
    public static final double RESOLVED_ERROR = 0.1;
    /** An element at a kink at step {@code h} is tried once more at {@code h} divided by this. */
    private static final double RETRY_DIVISOR = 10;

    private final double step;
    private final double tolerance;
    private final int sample;
    private final long seed;

    private GradientCheck(double step, double tolerance, int sample, long seed) {
        this.step = step;
        this.tolerance = tolerance;
        this.sample = sample;
        this.seed = seed;
    }

    /**
     * The default check: step {@value #DEFAULT_STEP}, tolerance {@value #DEFAULT_TOLERANCE}, at most
     * {@value #DEFAULT_SAMPLE} elements per parameter (seed {@value #DEFAULT_SEED}).
     *
     * @return the default configuration
     */
    public static GradientCheck defaults() {
        return new GradientCheck(DEFAULT_STEP, DEFAULT_TOLERANCE, DEFAULT_SAMPLE, DEFAULT_SEED);
    }

    /**
     * The same check with another relative step {@code h}. Smaller steps are swamped by float32 rounding (the
     * resolution, and with it the floor of the relative difference, grows as {@code 1/h}); larger ones meet more
     * kinks and a larger truncation error. Try {@code 1e-5} to see why the default is {@code 1e-2}.
     *
     * @param h the step relative to {@code max(1, |θ|)}, in {@code (0, 1]}
     * @return a new configuration
     * @throws IllegalArgumentException if {@code h} is not in {@code (0, 1]}
     */
    public GradientCheck withStep(double h) {
        if (!(h > 0 && h <= 1)) {
            throw new IllegalArgumentException("GradientCheck: the step h must be in (0, 1], got " + h);
        }
        return new GradientCheck(h, tolerance, sample, seed);
    }

    /**
     * The same check with another tolerance on the relative difference.
     *
     * @param relative the largest relative difference that passes, in {@code (0, 1)}
     * @return a new configuration
     * @throws IllegalArgumentException if {@code relative} is not in {@code (0, 1)}
     */
    public GradientCheck withTolerance(double relative) {
        if (!(relative > 0 && relative < 1)) {
            throw new IllegalArgumentException("GradientCheck: the tolerance must be in (0, 1), got " + relative);
        }
        return new GradientCheck(step, relative, sample, seed);
    }

    /**
     * The same check on at most {@code maxElementsPerParameter} elements of each parameter: every element of a
     * parameter that has no more, else its first, its last and a sample drawn with {@code seed} in between.
     *
     * @param maxElementsPerParameter at least 2
     * @param seed the seed of the sample
     * @return a new configuration
     * @throws IllegalArgumentException if {@code maxElementsPerParameter < 2}
     */
    public GradientCheck withSample(int maxElementsPerParameter, long seed) {
        if (maxElementsPerParameter < 2) {
            throw new IllegalArgumentException("GradientCheck: the sample must hold at least 2 elements per parameter "
                    + "(the first and the last), got " + maxElementsPerParameter);
        }
        return new GradientCheck(step, tolerance, maxElementsPerParameter, seed);
    }

    /**
     * The same check on every element of every parameter (six forward passes each).
     *
     * @return a new configuration
     */
    public GradientCheck withEveryElement() {
        return new GradientCheck(step, tolerance, Integer.MAX_VALUE, seed);
    }

    /**
     * The relative step {@code h}.
     *
     * @return the step
     */
    public double step() {
        return step;
    }

    /**
     * The tolerance on the relative difference.
     *
     * @return the tolerance
     */
    public double tolerance() {
        return tolerance;
    }

    /**
     * The most elements checked per parameter ({@link Integer#MAX_VALUE} for every element).
     *
     * @return the sample size
     */
    public int maxElementsPerParameter() {
        return sample;
    }

    /**
     * Checks the gradients of {@code model} for the batch {@code x}, {@code y} given as host arrays, row-major.
     *
     * @param model the model, open, with at least one parameter
     * @param loss the loss whose gradient backward computes
     * @param x the inputs, {@code N · model.inputWidth()} values
     * @param y the targets, {@code N · model.outputWidth()} values
     * @return the comparison, per parameter
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code x} is not whole rows of the model's inputs, {@code y} does not hold
     *         as many rows of its outputs, or the loss needs an output activation the model does not end in
     * @throws IllegalStateException if the model is closed or has no layers
     * @see #check(Sequential, Loss, Tensor, Tensor)
     */
    public Result check(Sequential model, Loss loss, float[] x, float[] y) {
        Checks.requireNonNull(OP, "model", model);
        Checks.requireNonNull(OP, "loss", loss);
        Checks.requireNonNull(OP, "x", x);
        Checks.requireNonNull(OP, "y", y);
        model.requireUsableWith(loss);
        int in = model.inputWidth();
        int out = model.outputWidth();
        if (x.length == 0 || x.length % in != 0) {
            throw new IllegalArgumentException(OP + ": x has " + x.length + " values, not a positive whole number of "
                    + "rows of the model's " + in + " inputs");
        }
        int rows = x.length / in;
        if (y.length != rows * out) {
            throw new IllegalArgumentException(OP + ": x holds " + rows + " rows of " + in + " inputs, so y must hold "
                    + rows + " rows of the model's " + out + " outputs (" + rows * out + " values), got " + y.length
                    + " values");
        }
        Backend backend = model.backend();
        try (Tensor xt = backend.tensor(x, rows, in);
             Tensor yt = backend.tensor(y, rows, out)) {
            return check(model, loss, xt, yt);
        }
    }

    /**
     * Checks the gradients of {@code model} for the batch {@code x}, {@code y}: one forward and one backward
     * pass give each parameter's gradient {@code a}, and six more forward passes per checked element give its
     * estimate {@code n} (see the class comment).
     *
     * @param model the model, open, with at least one parameter
     * @param loss the loss whose gradient backward computes
     * @param x the inputs {@code (N, model.inputWidth())}, on the model's backend
     * @param y the targets {@code (N, model.outputWidth())}, on the model's backend; as for
     *          {@link Sequential#backward}, each row a distribution for categorical cross-entropy
     * @return the comparison, per parameter
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code x} or {@code y} has the wrong shape (the message names both), is
     *         on another backend, the loss needs an output activation the model does not end in, the model has no
     *         parameters, or the loss is not finite at the model's weights
     * @throws IllegalStateException if the model is closed or has no layers, or a tensor is closed
     * @throws ConcurrentUseException if another thread is training or predicting with the model: the check is a
     *         training call from start to end, so no other thread sees a moved weight
     */
    public Result check(Sequential model, Loss loss, Tensor x, Tensor y) {
        Checks.requireNonNull(OP, "model", model);
        Checks.requireNonNull(OP, "loss", loss);
        Checks.requireNonNull(OP, "x", x);
        Checks.requireNonNull(OP, "y", y);
        model.requireUsableWith(loss);
        Backend backend = model.backend();
        Checks.requireOn(backend, OP, "x", x);
        Checks.requireOn(backend, OP, "y", y);
        int in = model.inputWidth();
        int out = model.outputWidth();
        if (x.rank() != 2 || x.cols() != in || y.rank() != 2 || y.cols() != out || y.rows() != x.rows()) {
            throw new IllegalArgumentException(OP + ": x must be (N, " + in + ") and y (N, " + out + ") for the "
                    + "model's " + in + " inputs and " + out + " outputs, got x " + Checks.toString(x.shape())
                    + " and y " + Checks.toString(y.shape()));
        }
        List<Parameter> parameters = model.parameters();
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(OP + ": the model has no parameters to check");
        }
        // The whole check is one training call, as fit is: another thread's predict in it would see a nudged weight,
        // and a restore it refused would leave one in the model.
        ConcurrencyGuard guard = ConcurrencyGuard.of(model);
        guard.enterTraining(OP);
        long forwardsBefore = guard.forwards();
        try {
            return new Run(model, loss, x, y).check();
        } finally {
            if (guard.forwards() != forwardsBefore) {
                guard.activationsDropped();   // the check's last forward pass is followed by no backward
            }
            guard.exitTraining();
        }
    }

    private static final String OP = "GradientCheck";

    /** One check of one model: the loss evaluations and the bookkeeping of the restored weights. */
    private final class Run {
        private final Sequential model;
        private final Loss loss;
        private final Tensor x;
        private final Tensor y;
        private final Backend backend;
        private final List<Parameter> parameters;
        private final List<Layer> layers;
        /** Per layer, for those whose activation bends at 0: which outputs are positive at the model's weights. */
        private final boolean[][] positiveAtWeights;
        /**
         * For a squared-error-like loss (not a cross-entropy), the outputs' root mean square at the weights: with it,
         * {@code 2 √L · rms(a)} bounds {@code Σ |g a|} at a step whose loss is {@code L}; 0 for a cross-entropy.
         */
        private double outputRms;
        /**
         * The loss at outputs equal to the targets, its minimum: 0 for squared error, a loss of one's own's own value
         * there (a constant added, a cross-entropy's entropy of soft targets); 0 where it is not finite. The bound
         * above takes the loss above it, not the loss.
         */
        private double lossAtTargets;
        /** Whether a loss evaluation since the flag was last cleared moved some pre-activation across 0. */
        private boolean crossedZero;

        Run(Sequential model, Loss loss, Tensor x, Tensor y) {
            this.model = model;
            this.loss = loss;
            this.x = x;
            this.y = y;
            this.backend = model.backend();
            this.parameters = model.parameters();
            this.layers = model.layers();
            this.positiveAtWeights = new boolean[layers.size()][];
        }

        Result check() {
            float[][] original = new float[parameters.size()][];
            for (int p = 0; p < original.length; p++) {
                original[p] = parameters.get(p).read();
            }
            try (Tensor sum = backend.zeros(1);
                 Tensor outputGradient = backend.zeros(x.rows(), y.cols())) {
                // The loss, its resolution δL and the signs at the kinks, at the model's weights.
                Tensor a = forward(true);
                double loss0 = lossOf(a, sum);
                if (!Double.isFinite(loss0)) {
                    throw new IllegalArgumentException(OP + ": the loss at the model's weights is " + loss0
                            + "; finite differences need a finite loss (check the inputs, targets and weights)");
                }
                loss.gradient(backend, a, y, false, outputGradient);
                float[] outputs = a.toArray();
                outputRms = squaredErrorLike(loss) ? Math.sqrt(meanSquare(outputs) * curvature(sum)) : 0;
                double lossResolution = U * (Math.abs(loss0) + sumOfAbsProducts(outputGradient.toArray(), outputs)
                        + complementRounding(loss, y) + secondOrderRounding(loss, outputs));
                // Backward's gradients, twice: a layer must set them, and one that adds to them instead passes a
                // single check on a fresh model (its buffers start at 0) and trains as if with momentum.
                model.forward(x, false);
                model.backward(loss, y);
                float[][] analytic = new float[parameters.size()][];
                for (int p = 0; p < analytic.length; p++) {
                    analytic[p] = parameters.get(p).readGradient();
                }
                model.forward(x, false);
                model.backward(loss, y);
                for (int p = 0; p < analytic.length; p++) {
                    requireSet(parameters.get(p), analytic[p], parameters.get(p).readGradient());
                }

                List<List<Estimate>> estimates = new ArrayList<>();
                try {
                    for (int p = 0; p < parameters.size(); p++) {
                        estimates.add(estimate(parameters.get(p), original[p], loss0, lossResolution, sum));
                    }
                } finally {
                    restore(original);
                }
                // The layers' buffers back at the model's own weights; the gradients are backward's, untouched.
                model.forward(x, false);

                // Rounding per unit of 1/h: δL's bound, or what the estimates' own scatter shows (over the model, and
                // over the parameter: the first layer's moves pass through every layer), whichever is largest.
                List<Estimate> all = new ArrayList<>();
                estimates.forEach(all::addAll);
                double rounding = Math.max(ROUNDING_FACTOR * lossResolution, SCATTER_FACTOR * typicalScatter(all));
                List<ParameterResult> results = new ArrayList<>();
                for (int p = 0; p < parameters.size(); p++) {
                    double parameterRounding = Math.max(rounding, SCATTER_FACTOR * typicalScatter(estimates.get(p)));
                    List<Element> elements = new ArrayList<>();
                    for (Estimate e : estimates.get(p)) {
                        elements.add(judge(e, analytic[p][e.index], parameterRounding));
                    }
                    Parameter parameter = parameters.get(p);
                    results.add(new ParameterResult(parameter.name(), parameter.shape(), elements, tolerance));
                }
                return new Result(results, loss.label(), x.rows(), step, tolerance, loss0, rounding / step);
            }
        }

        /**
         * The loss's scale near its minimum, {@code k} in {@code L(p) − L(y) ≈ k · mean((p − y)²)}: 1 for squared
         * error, and measured for a loss of one's own, whose {@code Σ |g a|} at a step is then at most
         * {@code 2 √(k L) · rms(a)} (a loss of {@code 100 (p − y)²} was found FAILED at an exact fit with squared
         * error's allowance). Measured as a second difference, {@code (L(y + d) + L(y − d) − 2 L(y)) / 2d²} (one-sided
         * where one side is undefined, as a log is below 0), at least 1: a loss whose value at {@code p = y} is not 0
         * (a cross-entropy of soft targets, a constant added) has the same curvature as without that value, and its
         * value alone, divided by {@code d²}, made the check NOT RESOLVED on correct gradients. Records that value,
         * {@code L(y)}, in {@link #lossAtTargets} on the way.
         */
        private double curvature(Tensor sum) {
            if (loss.kind() == dev.nnj.api.LossKind.MSE) {
                return 1;
            }
            float[] targets = y.toArray();
            // A step well above float32's rounding of the losses (their differences are d² of them), small beside
            // the targets' scale.
            double d = 1e-2 * (1 + Math.sqrt(meanSquare(targets)));
            double atTargets = lossAtShift(targets, 0, sum);
            lossAtTargets = Double.isFinite(atTargets) ? atTargets : 0;
            double above = lossAtShift(targets, d, sum);
            double below = lossAtShift(targets, -d, sum);
            double k;
            if (Double.isFinite(above) && Double.isFinite(below)) {
                k = (above + below - 2 * atTargets) / (2 * d * d);
            } else {
                k = ((Double.isFinite(above) ? above : below) - atTargets) / (d * d);
            }
            return Double.isFinite(k) ? Math.max(1, k) : 1;
        }

        /** The loss of outputs {@code targets + shift} against the targets. */
        private double lossAtShift(float[] targets, double shift, Tensor sum) {
            float[] shifted = new float[targets.length];
            for (int i = 0; i < targets.length; i++) {
                shifted[i] = (float) (targets[i] + shift);
            }
            try (Tensor p = backend.tensor(shifted, y.rows(), y.cols())) {
                return lossOf(p, sum);
            }
        }

        /**
         * Refuses a parameter whose gradient a second backward pass on the same batch changed: its layer adds to the
         * gradient ({@code beta = 1} in {@code gemm} or {@code columnSums}) where {@link Layer#backward} must set it.
         * A second pass gives the same values to within rounding (bit for bit on the CPU backend); an accumulating
         * layer's are those values doubled.
         */
        private void requireSet(Parameter parameter, float[] first, float[] second) {
            for (int i = 0; i < first.length; i++) {
                double a = first[i];
                double b = second[i];
                if (Math.abs(b - a) > 1e-3 * Math.max(Math.abs(a), Math.abs(b)) + Float.MIN_NORMAL
                        && !(Double.isNaN(a) && Double.isNaN(b))) {
                    throw new IllegalStateException(OP + ": a second backward pass on the same batch changed the "
                            + "gradient of " + parameter.name() + " (element " + i + ": " + first[i] + ", then "
                            + second[i] + "); backward must set a parameter's gradient, not add to it (beta = 0 in the "
                            + "gemm or columnSums that writes it): otherwise every step adds the earlier ones' "
                            + "gradients, and a single check on a fresh model, whose gradients start at 0, passes");
                }
            }
        }

        /**
         * The model's forward pass, layer by layer as {@link Sequential#forward} runs it (training off), noting
         * whether the output of a ReLU, leaky ReLU or ELU changed sign against {@link #positiveAtWeights}: its
         * pre-activation then crossed the kink at 0, whose sign the output shares. With {@code record}, the signs
         * are taken as those at the model's weights.
         */
        private Tensor forward(boolean record) {
            Tensor a = x;
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                a = layer.forward(a, false);
                if (!bendsAtZero(layer.outputActivation())) {
                    continue;
                }
                float[] out = a.toArray();
                if (record) {
                    positiveAtWeights[l] = new boolean[out.length];
                }
                boolean[] positive = positiveAtWeights[l];
                for (int k = 0; k < out.length; k++) {
                    if (record) {
                        positive[k] = out[k] > 0;
                    } else if ((out[k] > 0) != positive[k]) {
                        crossedZero = true;
                        break;
                    }
                }
            }
            return a;
        }

        /** The mean loss of the batch, in double from the backend's float sum over rows. */
        private double lossOf(Tensor prediction, Tensor sum) {
            loss.sum(backend, prediction, y, 0f, sum);
            return (double) sum.item() / prediction.rows();
        }

        private void restore(float[][] original) {
            RuntimeException first = null;
            for (int p = 0; p < original.length; p++) {
                try {
                    parameters.get(p).write(original[p]);
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        /**
         * The differences of the chosen elements of one parameter, each at {@code h}, or at {@code h/10} where the
         * larger steps cross a kink; the parameter is written back to {@code original} afterwards.
         */
        private List<Estimate> estimate(Parameter parameter, float[] original, double loss0, double lossResolution,
                                        Tensor sum) {
            float[] values = original.clone();
            List<Estimate> estimates = new ArrayList<>();
            for (int i : choose(parameter.name(), original.length)) {
                float theta = original[i];
                DoubleUnaryOperator lossAt = v -> {
                    values[i] = (float) v;
                    parameter.write(values);
                    return lossOf(forward(false), sum);
                };
                try {
                    double h = step * Math.max(1, Math.abs(theta));
                    Estimate e = estimate(i, lossAt, theta, h, loss0, lossResolution);
                    if (e.atKink) {
                        // A kink within ±h may lie beyond ±h/10; the smaller step costs ten times the rounding.
                        e = estimate(i, lossAt, theta, h / RETRY_DIVISOR, loss0, lossResolution);
                    }
                    estimates.add(e);
                } finally {
                    values[i] = theta;
                }
            }
            parameter.write(original);
            return estimates;
        }

        /**
         * One element's differences at step {@code h}: at a kink when a ReLU, leaky ReLU or ELU input crossed 0
         * within the steps, or when the smoothness figure {@code s} is beyond the loss's rounding
         * ({@code 16 δL / h}) and its error bound {@code 3 s} beyond the tolerance.
         */
        private Estimate estimate(int index, DoubleUnaryOperator lossAt, float theta, double h, double loss0,
                                  double lossResolution) {
            crossedZero = false;
            // The losses at the steps round as their own size does, which may be far above the loss at the weights:
            // a model that fits its rows almost exactly has L ≈ 1e-14 there and its curvature's h² L''/2 beside.
            double[] largest = {Math.abs(loss0), loss0 - lossAtTargets};
            Difference d = differences(v -> {
                double l = lossAt.applyAsDouble(v);
                largest[0] = Math.max(largest[0], Math.abs(l));
                largest[1] = Math.max(largest[1], l - lossAtTargets);
                return l;
            }, theta, h, loss0);
            // And the outputs' rounding there: Σ |g a| at the steps, which at an exact fit (L = 0, g = 0 at the
            // weights) is not 0 at the steps: for squared error at most 2 √L · rms(a), by Cauchy–Schwarz, L being the
            // loss above its value at the targets (a constant added to the loss moves no gradient).
            double resolution = Math.max(lossResolution,
                    U * (largest[0] + 2 * Math.sqrt(Math.max(0, largest[1])) * outputRms));
            boolean kink = crossedZero || d.smoothness() > KINK_FACTOR * resolution / h
                    && KINK_ERROR * d.smoothness() > tolerance * Math.abs(d.extrapolated());
            return new Estimate(index, d, h, kink, resolution);
        }

        /**
         * The relative difference {@code |a − n| / max(|a|, |n|, floor)} with {@code floor = (rounding / h + 3 s) /
         * tolerance}: what float32 resolves, and what the extrapolation itself may be off by.
         */
        private Element judge(Estimate e, float analytic, double rounding) {
            double numeric = e.difference.extrapolated();
            double smoothness = e.difference.smoothness();
            if (!Double.isFinite(numeric) || !Double.isFinite(smoothness)) {
                return new Element(e.index, analytic, numeric, Double.POSITIVE_INFINITY, e.step, false,
                        Double.POSITIVE_INFINITY);
            }
            double resolution = Math.max(rounding, ROUNDING_FACTOR * e.lossResolution) / e.step
                    + KINK_ERROR * smoothness;
            double floor = resolution / tolerance;
            double difference = Math.abs(analytic - numeric);
            double relative = difference == 0 ? 0
                    : difference / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), floor);
            return new Element(e.index, analytic, numeric, relative, e.step, e.atKink, resolution);
        }

        /** Which elements of a parameter of {@code size} elements to check: all, or first, last and a sample. */
        private int[] choose(String name, int size) {
            if (size <= sample) {
                int[] all = new int[size];
                for (int i = 0; i < size; i++) {
                    all[i] = i;
                }
                return all;
            }
            List<Integer> middle = new ArrayList<>(size - 2);
            for (int i = 1; i < size - 1; i++) {
                middle.add(i);
            }
            Collections.shuffle(middle, new Random(seed ^ name.hashCode()));
            int[] chosen = new int[sample];
            chosen[0] = 0;
            for (int k = 1; k < sample - 1; k++) {
                chosen[k] = middle.get(k - 1);
            }
            chosen[sample - 1] = size - 1;
            Arrays.sort(chosen);
            return chosen;
        }
    }

    /** One element's differences, before they are judged, and {@code δL} at its steps' losses. */
    private record Estimate(int index, Difference difference, double step, boolean atKink, double lossResolution) {
    }

    /**
     * The median of {@code s · h} over the estimates not at a kink: the scatter of the differences in units of
     * {@code 1/h}. Where the forward pass rounds more than {@code δL} accounts for (outputs that are small
     * differences of large terms), this shows it.
     */
    private static double typicalScatter(List<Estimate> estimates) {
        List<Double> scatter = new ArrayList<>();
        for (Estimate e : estimates) {
            if (!e.atKink() && Double.isFinite(e.difference().smoothness())) {
                scatter.add(e.difference().smoothness() * e.step());
            }
        }
        if (scatter.isEmpty()) {
            return 0;
        }
        Collections.sort(scatter);
        return scatter.get(scatter.size() / 2);
    }

    /** Whether {@code f} has a kink (or, ELU with {@code α = 1}, a jump of its second derivative) at 0. */
    private static boolean bendsAtZero(Activation f) {
        return f == Activation.RELU || f == Activation.LEAKY_RELU || f == Activation.ELU;
    }

    /**
     * What rounding binary cross-entropy's {@code 1 − p} adds to {@code δL}, in units of {@code u}: {@code 1 − p}
     * rounded to float32 is off by up to one part in {@code 1/u} of itself, which moves {@code log(1 − p)} by {@code
     * u} however small {@code p} is, so the loss by {@code u (1 − y) / C} per element, {@code Σ |1 − y| / (N C)} in
     * all. {@code Σ |g a|} misses it: there {@code p}'s own rounding, {@code u p}, counts. A row labelled 0 whose
     * output is near 0 has a loss near 0 and a gradient near 0, and differences of its loss move in these steps
     * (a correct network was found FAILED for them). Zero for the other losses: categorical cross-entropy's
     * {@code log p} is covered by {@code Σ |g a|}, squared error's {@code p − y} by {@code |L|}.
     */
    private static double complementRounding(Loss loss, Tensor targets) {
        if (loss.kind() != dev.nnj.api.LossKind.BINARY_CROSS_ENTROPY) {
            return 0;
        }
        float[] y = targets.toArray();
        double s = 0;
        for (float v : y) {
            s += Math.abs(1 - (double) v);
        }
        return s / y.length;   // Σ (1 − y) / (N C): y holds N rows of C
    }

    /**
     * Squared error's rounding to second order, in units of {@code u}: {@code ½ Σ L''(a) (u a)² = u² Σ a² / (N C)}.
     * Where the model fits its rows almost exactly, {@code p − y} is itself of the order of {@code u p}, the
     * first-order term {@code Σ |g a|} vanishes with it, and this one is what is left at the weights (the steps'
     * own rounding is counted per element, in {@link Run#estimate}). Taken for a loss of one's own too (Huber's is
     * squared error near 0), where it is at most this small a margin; zero for the cross-entropies, whose
     * first-order terms are at least this.
     */
    private static double secondOrderRounding(Loss loss, float[] outputs) {
        return squaredErrorLike(loss) ? U * meanSquare(outputs) : 0;
    }

    /** {@code Σ v² / n}. */
    private static double meanSquare(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s / v.length;
    }

    /** Squared error, or a loss of one's own (Huber's is squared error near 0): not a cross-entropy. */
    private static boolean squaredErrorLike(Loss loss) {
        return loss.kind() != dev.nnj.api.LossKind.BINARY_CROSS_ENTROPY
                && loss.kind() != dev.nnj.api.LossKind.CATEGORICAL_CROSS_ENTROPY;
    }

    /** {@code Σ |g_k a_k|}: how much the loss moves when every output moves by one part in one. */
    private static double sumOfAbsProducts(float[] g, float[] a) {
        double s = 0;
        for (int k = 0; k < g.length; k++) {
            s += Math.abs((double) g[k] * a[k]);
        }
        return s;
    }

    // ---------------------------------------------------------------- the difference rule

    /**
     * Richardson extrapolation of two central differences: {@code (4 D(h/2) − D(h)) / 3}. With
     * {@code D(h) = f' + c h² + O(h⁴)}, it cancels the {@code h²} term, leaving an error of {@code O(h⁴)}.
     *
     * @param atStep {@code D(h)}
     * @param atHalfStep {@code D(h/2)}
     * @return the extrapolated derivative
     */
    public static double richardson(double atStep, double atHalfStep) {
        return (4 * atHalfStep - atStep) / 3;
    }

    /**
     * The central differences of {@code f} at {@code x}, at step {@code h} and {@code h/2}: {@code f} is called
     * at the float32 values {@code fl(x ± h)} and {@code fl(x ± h/2)} (in that order), and each difference is
     * divided by the distance between the two points actually evaluated. This is the rule {@link #check} applies to
     * every parameter element, for any function of one float32 value (a custom activation, a custom loss).
     *
     * @param f the function, called with float32 values
     * @param x where to differentiate
     * @param h the step, such that {@code fl(x + h/2) > fl(x − h/2)}
     * @return {@code D(h)}, {@code D(h/2)} and their extrapolation
     * @throws IllegalArgumentException if {@code h} is not positive, or too small to move {@code x} in float32
     */
    public static Difference centralDifference(DoubleUnaryOperator f, float x, double h) {
        return differences(f, x, h, Double.NaN);
    }

    /** The differences, with the second differences too when {@code atX = f(x)} is given (not NaN). */
    private static Difference differences(DoubleUnaryOperator f, float x, double h, double atX) {
        if (!(h > 0) || (float) (x + h / 2) <= (float) (x - h / 2)) {
            throw new IllegalArgumentException(OP + ": the step " + h + " does not move " + x + " in float32");
        }
        double[] atStep = sides(f, x, h);
        double[] atHalfStep = sides(f, x, h / 2);
        double d1 = (atStep[0] - atStep[1]) / (atStep[2] + atStep[3]);
        double d2 = (atHalfStep[0] - atHalfStep[1]) / (atHalfStep[2] + atHalfStep[3]);
        if (Double.isNaN(atX)) {
            return new Difference(d1, d2, Math.abs(d1 - d2));
        }
        double[] atQuarterStep = sides(f, x, h / 4);
        double d3 = (atQuarterStep[0] - atQuarterStep[1]) / (atQuarterStep[2] + atQuarterStep[3]);
        double odd = Math.abs(richardson(d1, d2) - richardson(d2, d3));
        double even = (h / 2) * Math.abs(secondDifference(atStep, atX) - secondDifference(atHalfStep, atX));
        return new Difference(d1, d2, Math.max(odd, even));
    }

    /** {@code {f(fl(x + h)), f(fl(x − h)), fl(x + h) − x, x − fl(x − h)}}. */
    private static double[] sides(DoubleUnaryOperator f, float x, double h) {
        float up = (float) (x + h);
        float down = (float) (x - h);
        double plus = f.applyAsDouble(up);
        double minus = f.applyAsDouble(down);
        return new double[] {plus, minus, (double) up - x, (double) x - down};
    }

    /** {@code Δ² = ((f₊ − f₀)/h₊ − (f₀ − f₋)/h₋) / ((h₊ + h₋)/2)}, the second difference on uneven steps. */
    private static double secondDifference(double[] s, double atX) {
        return ((s[0] - atX) / s[2] - (atX - s[1]) / s[3]) / ((s[2] + s[3]) / 2);
    }

    /**
     * Two central differences of one function at one point, and what they say together.
     *
     * @param atStep {@code D(h)}
     * @param atHalfStep {@code D(h/2)}
     * @param smoothness how far the steps disagree: {@code |D(h) − D(h/2)|} from {@link #centralDifference}; in
     *                   {@link #check}, the figure {@code s} of the class comment. Of the order of the rounding (or
     *                   of the {@code h²} term) where the function is smooth within the steps, of the order of the
     *                   slope's jump where a kink lies within them
     */
    public record Difference(double atStep, double atHalfStep, double smoothness) {
        /**
         * The Richardson extrapolation {@code (4 D(h/2) − D(h)) / 3}.
         *
         * @return the estimate of the derivative
         */
        public double extrapolated() {
            return richardson(atStep, atHalfStep);
        }
    }

    // ---------------------------------------------------------------- results

    /**
     * One checked element of a parameter.
     *
     * @param index the element's row-major index in the parameter
     * @param analytic backward's gradient {@code a}
     * @param numeric the finite-difference estimate {@code n} (NaN if the loss was not finite at a step)
     * @param relativeDifference {@code |a − n| / max(|a|, |n|, floor)}, infinite when {@code n} is not finite
     * @param step the step {@code h} the estimate was taken at, absolute: {@code h · max(1, |θ|)}, or a tenth of it
     *             where the loss was not smooth within the larger one
     * @param atKink whether the loss is not smooth within the steps here, at either step, so the element is
     *               skipped, not judged
     * @param resolution the difference {@code |a − n|} that rounding and the extrapolation may leave here,
     *                   {@code tolerance · floor = R / h + 3 s}: a difference below it says nothing, so a gradient
     *                   not well above it cannot show a relative error (infinite when {@code n} is not finite)
     */
    public record Element(int index, float analytic, double numeric, double relativeDifference, double step,
                          boolean atKink, double resolution) {
        /**
         * The smallest relative error of backward's gradient this element would show: {@code resolution /
         * max(|a|, |n|)} (infinite for two zeros), and never below the tolerance.
         *
         * @param tolerance the relative difference that passes
         * @return the relative error, as a fraction
         */
        public double visibleError(double tolerance) {
            double size = Math.max(Math.abs(analytic), Math.abs(numeric));
            return Math.max(tolerance, size > 0 ? resolution / size : Double.POSITIVE_INFINITY);
        }
    }

    /**
     * The comparison for one parameter.
     *
     * @param name the parameter's name ({@code dense_1.weight})
     * @param shape its shape
     * @param elements the checked elements, in index order
     * @param tolerance the relative difference that passes
     */
    public record ParameterResult(String name, int[] shape, List<Element> elements, double tolerance) {
        /**
         * Copies the lists.
         *
         * @param name the parameter's name
         * @param shape its shape
         * @param elements the checked elements
         * @param tolerance the relative difference that passes
         */
        public ParameterResult {
            shape = shape.clone();
            elements = List.copyOf(elements);
        }

        /**
         * The shape.
         *
         * @return a copy of the dimensions
         */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /**
         * How many elements were judged (checked and not at a kink).
         *
         * @return the count
         */
        public int judged() {
            int n = 0;
            for (Element e : elements) {
                n += e.atKink() ? 0 : 1;
            }
            return n;
        }

        /**
         * How many checked elements were skipped at a kink.
         *
         * @return the count
         */
        public int skippedAtKinks() {
            return elements.size() - judged();
        }

        /**
         * How many judged elements differ by more than the tolerance.
         *
         * @return the count
         */
        public int failures() {
            int n = 0;
            for (Element e : elements) {
                n += !e.atKink() && !(e.relativeDifference() <= tolerance) ? 1 : 0;
            }
            return n;
        }

        /**
         * The judged element with the largest relative difference.
         *
         * @return the element, or null when none was judged
         */
        public Element worst() {
            Element worst = null;
            for (Element e : elements) {
                // A NaN difference (a NaN gradient) is the worst there is, and stays so.
                if (!e.atKink() && (worst == null || !Double.isNaN(worst.relativeDifference())
                        && !(e.relativeDifference() <= worst.relativeDifference()))) {
                    worst = e;
                }
            }
            return worst;
        }

        /**
         * Its relative difference.
         *
         * @return the worst relative difference, NaN when no element was judged
         */
        public double worstRelativeDifference() {
            Element w = worst();
            return w == null ? Double.NaN : w.relativeDifference();
        }

        /**
         * The smallest relative error of this parameter's gradient that the check would have shown: the least
         * {@link Element#visibleError} of its judged elements. A wrong derivative or a missing factor is off by the
         * same share in most elements, so the best resolved one is what tells. The tolerance where a gradient is well
         * above float32's resolution; more where every gradient is small beside it (a loss dominated by a confidently
         * wrong row, targets in the thousands), and infinite when none was judged.
         *
         * @return the share, as a fraction
         */
        public double visibleError() {
            double best = Double.POSITIVE_INFINITY;
            for (Element e : elements) {
                if (!e.atKink()) {
                    best = Math.min(best, e.visibleError(tolerance));
                }
            }
            return best;
        }

        /**
         * Whether elements were judged, none differs by more than the tolerance, but none is large enough beside
         * float32's resolution to show an error of {@value GradientCheck#RESOLVED_ERROR} (10 %), or of the tolerance
         * where that is larger: the agreement then says nothing.
         *
         * @return true when the check could not resolve this parameter's gradient
         */
        public boolean unresolved() {
            return judged() > 0 && failures() == 0 && !(visibleError() <= Math.max(RESOLVED_ERROR, tolerance));
        }

        /**
         * Whether at least one element was judged, every judged one is within the tolerance, and the check would
         * have seen an error of 10 % ({@link #unresolved} is false).
         *
         * @return the verdict
         */
        public boolean passed() {
            return judged() > 0 && failures() == 0 && !unresolved();
        }

        /** {@code passed}, {@code failed}, {@code unresolved} or {@code not judged}. */
        String verdict() {
            return passed() ? "passed" : failures() > 0 ? "failed" : judged() == 0 ? "not judged" : "unresolved";
        }

        /** {@code [row, col]} of a row-major index, or {@code [i]} for a vector. */
        String position(int index) {
            return shape.length == 2 ? "[" + index / shape[1] + ", " + index % shape[1] + "]" : "[" + index + "]";
        }

        /** Equal names, shapes (by value, not the arrays' identity), elements and tolerances. */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ParameterResult)) {
                return false;
            }
            ParameterResult other = (ParameterResult) o;
            return name.equals(other.name) && Arrays.equals(shape, other.shape) && elements.equals(other.elements)
                    && Double.compare(tolerance, other.tolerance) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(name, Arrays.hashCode(shape), elements, tolerance);
        }

        /**
         * One line: the name, the shape, the verdict and the worst relative difference, as
         * {@code "dense_1.weight (3, 4): passed, 12 of 12 elements judged, worst r 1.5e-04 (tolerance 1.0e-02)"}; the
         * elements themselves are {@link #elements()}.
         */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s: %s, %d of %d elements judged, worst r %.1e "
                    + "(tolerance %.1e)", name, Checks.toString(shape), verdict(), judged(),
                    elements.size(), worstRelativeDifference(), tolerance);
        }
    }

    /**
     * The comparison for a whole model.
     *
     * @param parameters one result per parameter, in the model's order
     * @param loss the loss's label
     * @param rows the batch size {@code N}
     * @param step the relative step {@code h}
     * @param tolerance the relative difference that passes
     * @param lossValue the loss at the model's weights
     * @param resolution how precisely the differences resolve a derivative at the step {@code h}: the rounding
     *                   bound {@code R / h} of the class comment at the relative step (a parameter whose own
     *                   estimates scatter more gets a larger one, and each element's floor adds its kink error and
     *                   scales with its weight's step), so about the smallest difference that says anything
     */
    public record Result(List<ParameterResult> parameters, String loss, int rows, double step, double tolerance,
                         double lossValue, double resolution) {
        /**
         * Copies the list.
         *
         * @param parameters one result per parameter
         * @param loss the loss's label
         * @param rows the batch size
         * @param step the relative step
         * @param tolerance the relative difference that passes
         * @param lossValue the loss at the model's weights
         * @param resolution the rounding bound of a derivative at step {@code h}
         */
        public Result {
            parameters = List.copyOf(parameters);
        }

        /**
         * Whether every parameter passed.
         *
         * @return the verdict
         */
        public boolean passed() {
            for (ParameterResult p : parameters) {
                if (!p.passed()) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The largest relative difference of any judged element.
         *
         * @return the worst relative difference over all parameters
         */
        public double worstRelativeDifference() {
            double worst = 0;
            for (ParameterResult p : parameters) {
                double r = p.worstRelativeDifference();
                if (Double.isNaN(r) && p.judged() > 0) {
                    return r;   // a judged element's NaN difference: backward gave NaN
                }
                worst = Double.isNaN(r) ? worst : Math.max(worst, r);
            }
            return worst;
        }

        /**
         * The parameter called {@code name}.
         *
         * @param name a parameter's name, {@code dense_1.weight}
         * @return its result
         * @throws IllegalArgumentException if no parameter has that name
         */
        public ParameterResult parameter(String name) {
            for (ParameterResult p : parameters) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            List<String> names = new ArrayList<>();
            parameters.forEach(p -> names.add(p.name()));
            throw new IllegalArgumentException("no parameter named '" + name + "'; checked " + names);
        }

        /**
         * A table a learner can print: per parameter, the elements checked and skipped at kinks, the worst relative
         * difference {@code r} with its element and both values there; then the verdict, what {@code r} is and what
         * float32 resolves.
         *
         * @return a multi-line report
         */
        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Gradient check: %s, %d row%s, loss %.6g, h = %.0e with Richardson "
                    + "extrapolation, tolerance %.0e%n", loss, rows, rows == 1 ? "" : "s", lossValue, step, tolerance));
            int nameWidth = 16;   // dense_12.weight; wider for a long name (a layer of one's own), so columns align
            int shapeWidth = 10;
            for (ParameterResult p : parameters) {
                nameWidth = Math.max(nameWidth, p.name().length());
                shapeWidth = Math.max(shapeWidth, Checks.toString(p.shape()).length());
            }
            String row = "%-" + nameWidth + "s %-" + shapeWidth + "s %8s %6s  %-10s %-10s %14s %14s  %s%n";
            sb.append(String.format(Locale.ROOT, row, "parameter", "shape", "checked", "kinks", "worst r", "at",
                    "backward", "finite diff.", ""));
            int skipped = 0;
            for (ParameterResult p : parameters) {
                Element w = p.worst();
                skipped += p.skippedAtKinks();
                sb.append(String.format(Locale.ROOT, row, p.name(),
                        Checks.toString(p.shape()), p.elements().size() + "/" + size(p.shape()), p.skippedAtKinks(),
                        w == null ? "-" : String.format(Locale.ROOT, "%.1e", w.relativeDifference()),
                        w == null ? "-" : p.position(w.index()),
                        w == null ? "-" : String.format(Locale.ROOT, "%.7g", w.analytic()),
                        w == null ? "-" : String.format(Locale.ROOT, "%.7g", w.numeric()),
                        p.passed() ? "ok" : p.judged() == 0 ? "NOTHING JUDGED" : p.failures() > 0 ? p.failures()
                                + " OFF" : "UNRESOLVED"));
            }
            List<String> unjudged = new ArrayList<>();
            List<String> unresolved = new ArrayList<>();
            int failures = 0;
            double visible = 0;
            for (ParameterResult p : parameters) {
                failures += p.failures();
                if (p.judged() == 0) {
                    unjudged.add(p.name());
                } else if (p.unresolved()) {
                    unresolved.add(p.visibleError() > 10 ? p.name() + " (its gradients are below the resolution)"
                            : String.format(Locale.ROOT, "%s (only errors above %s would show)", p.name(),
                            percent(p.visibleError())));
                }
                visible = Math.max(visible, p.visibleError());
            }
            if (passed()) {
                sb.append(String.format(Locale.ROOT, "PASSED: every judged element agrees within %.0e (worst %.1e), or "
                        + "within the resolution where its gradient is small;%nan error above %s in any parameter's "
                        + "gradient would have shown.", tolerance, worstRelativeDifference(), percent(visible)));
            } else if (failures > 0) {
                // No claim of how far off a wrong derivative is: where gradients sit near the resolution, a 5 % error
                // shows as r just past the tolerance in an element or two, as a kink the check cannot see does.
                sb.append(String.format(Locale.ROOT, "FAILED: %d element%s of backward's gradient disagree%s with the "
                        + "finite differences (worst %.1e, tolerance %.0e). Rounding stays below the tolerance.%nWhere "
                        + "an element or two disagree by a little, a kink the check cannot see may be the cause (a "
                        + "custom activation's bend, a loss whose curvature jumps, as Huber's at |p − y| = δ): check "
                        + "again on other rows, where a wrong derivative disagrees again and a kink moves away.",
                        failures, failures == 1 ? "" : "s", failures == 1 ? "s" : "", worstRelativeDifference(),
                        tolerance));
            } else if (!unjudged.isEmpty()) {
                sb.append("NOT CHECKED: no element of " + String.join(", ", unjudged) + " could be judged, every one "
                        + "lies at a kink; check with fewer rows (each row is a pre-activation that may lie near 0).");
            } else {
                sb.append(String.format(Locale.ROOT, "NOT RESOLVED: the gradients of %s are not well above what "
                        + "float32 resolves here, so their agreement says nothing: an error of %s could hide in them.%n"
                        + "Gradients are small beside the loss's rounding where the model fits the rows almost "
                        + "exactly, where training has reached a plateau, or where the loss is large or coarse (a "
                        + "confidently wrong row, targets in the hundreds), or where the rows' terms cancel (a mean "
                        + "absolute error's signs, as many rows above their targets as below: a gradient of exactly "
                        + "0); check with fewer rows, other rows, or scaled targets.", String.join(", ", unresolved),
                        percent(Math.max(RESOLVED_ERROR, tolerance))));
            }
            sb.append(String.format(Locale.ROOT, "%nr = |backward − finite diff.| / max(|backward|, |finite diff.|, "
                    + "floor): the relative difference above the floor,%nthe difference over the floor below it; "
                    + "each element's floor is what the finite differences resolve there over the tolerance.%nfloat32 "
                    + "resolves these derivatives to about %.1e (at h, for a weight within ±1).", resolution));
            if (skipped > 0) {
                sb.append(String.format(Locale.ROOT, "%n%d element%s skipped at a kink: a ReLU, leaky ReLU or ELU "
                        + "input crosses 0 within ±h/10 of %s, or the loss is not smooth there, so a difference says "
                        + "nothing.", skipped, skipped == 1 ? "" : "s", skipped == 1 ? "it" : "them"));
            }
            return sb.toString().replaceAll("(?m) +$", "");
        }

        /** A share as a percentage: {@code 0.10 %}, {@code 10.4 %}, {@code 476 %}. */
        private static String percent(double share) {
            return String.format(Locale.ROOT, share >= 0.1 ? "%.3g %%" : "%.2g %%", 100 * share);
        }

        private static int size(int[] shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /**
         * The same as {@link #report()}.
         *
         * @return the report
         */
        @Override
        public String toString() {
            return report();
        }
    }
}
