package dev.nnj.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arithmetic a graph does by constants on each column of a tensor, folded into a Dense next to it: a scaler inside
 * the graph, as in nnj's raw-features export ({@code Cast} to double, {@code Mul} and {@code Add}, or {@code Sub} and
 * {@code Div}, {@code Cast} back; and a regression's target scaler undone at the end), PyTorch models that normalise
 * their own input ({@code (x - mean) / std}), and batch normalization between layers. Each operation takes a
 * constant of one value per column, or one for all, so together they are one affine map per column:
 * <pre>
 *   x'_i = a_i · x_i + b_i                     Add c: b += c   Sub c: b -= c   Mul c: a, b ·= c   Div c: a, b /= c
 *                                              c − x (a Sub whose constant comes first): a = −a, b = c − b
 * </pre>
 * folded into the Dense next to it, in double, rounded once to float ({@link #foldIntoInput}, {@link #foldIntoOutput}).
 * The folded network computes the same function, up to float rounding: the graph rounds the scaled tensor to float,
 * the folded layer rounds its weights instead.
 */
final class AffineMap {
    /** One operation: its operator and constant, in graph order. */
    private record Step(String op, double[] constant, String where) {
    }

    private final List<Step> steps = new ArrayList<>();

    /** The step of a Sub whose constant comes first, {@code x' = c − x}. */
    static final String SUBTRACT_FROM = "SubFrom";

    /** {@return whether {@code op} is an operation this class folds} */
    static boolean folds(String op) {
        return op.equals("Add") || op.equals("Sub") || op.equals("Mul") || op.equals("Div");
    }

    /**
     * Adds {@code x op constant} to the map.
     *
     * @param op       Add, Sub, Mul, Div, or {@link #SUBTRACT_FROM} for {@code c − x}
     * @param constant one value per column, or one for all
     * @param where    the node, for messages
     * @return this map
     */
    AffineMap add(String op, double[] constant, String where) {
        steps.add(new Step(op, constant, where));
        return this;
    }

    /** {@return whether the tensor passes unchanged} */
    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The first operation, for messages. */
    String first() {
        return steps.get(0).where;
    }

    /**
     * The map's coefficients on {@code width} columns, {@code x'_i = a_i · x_i + b_i}, in double.
     *
     * @return {@code {a, b}}
     * @throws OnnxImportException if a constant has neither one value nor one per column
     */
    double[][] coefficients(int width) {
        double[] a = new double[width];
        double[] b = new double[width];
        Arrays.fill(a, 1);
        for (Step s : steps) {
            if (s.constant.length != 1 && s.constant.length != width) {
                throw new OnnxImportException(s.where + ": its constant has " + s.constant.length + " values; on the "
                        + width + " columns there nnj folds one value, or one per column");
            }
            for (int i = 0; i < width; i++) {
                double c = s.constant[s.constant.length == 1 ? 0 : i];
                switch (s.op) {
                    case "Add":
                        b[i] += c;
                        break;
                    case "Sub":
                        b[i] -= c;
                        break;
                    case SUBTRACT_FROM:   // c − (a x + b)
                        a[i] = -a[i];
                        b[i] = c - b[i];
                        break;
                    case "Mul":
                        a[i] *= c;
                        b[i] *= c;
                        break;
                    default:   // Div
                        a[i] /= c;
                        b[i] /= c;
                }
            }
        }
        return new double[][] {a, b};
    }

    /**
     * A Dense's weights with this map applied to its input first, {@code (a ⊙ x)·W + b·W + β}:
     * <pre>
     *   W'_ij = a_i · W_ij        β'_j = β_j + Σ_i b_i · W_ij
     * </pre>
     *
     * @param weight the layer's {@code (in, out)} weights, row-major
     * @param bias   its {@code out} biases, or null for none
     * @param in     its input width
     * @return {@code {W', β'}}
     * @throws OnnxImportException if a constant has neither one value nor one per input
     */
    float[][] foldIntoInput(float[] weight, float[] bias, int in) {
        int out = weight.length / in;
        double[][] ab = coefficients(in);
        double[] a = ab[0];
        double[] b = ab[1];
        float[] w = new float[weight.length];
        float[] beta = new float[out];
        for (int j = 0; j < out; j++) {
            double sum = bias == null ? 0 : bias[j];
            for (int i = 0; i < in; i++) {
                w[i * out + j] = (float) (a[i] * weight[i * out + j]);
                sum += b[i] * weight[i * out + j];
            }
            beta[j] = (float) sum;
        }
        return new float[][] {w, beta};
    }

    /**
     * A Dense's weights (without activation) with this map applied to its output, {@code a ⊙ (x·W + β) + b}:
     * <pre>
     *   W'_ij = W_ij · a_j        β'_j = a_j · β_j + b_j
     * </pre>
     *
     * @param weight the layer's {@code (in, out)} weights, row-major
     * @param bias   its {@code out} biases, or null for none
     * @param in     its input width
     * @return {@code {W', β'}}
     * @throws OnnxImportException if a constant has neither one value nor one per output
     */
    float[][] foldIntoOutput(float[] weight, float[] bias, int in) {
        int out = weight.length / in;
        double[][] ab = coefficients(out);
        double[] a = ab[0];
        double[] b = ab[1];
        float[] w = new float[weight.length];
        float[] beta = new float[out];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                w[i * out + j] = (float) (weight[i * out + j] * a[j]);
            }
        }
        for (int j = 0; j < out; j++) {
            beta[j] = (float) (a[j] * (bias == null ? 0 : bias[j]) + b[j]);
        }
        return new float[][] {w, beta};
    }

    /**
     * Where this map and {@code other} differ on {@code width} columns by more than rounding (a relative 1e-12), as
     * {@code "column j: a·x + b against a'·x + b'"}, or null where they agree.
     */
    String difference(AffineMap other, int width) {
        double[][] mine = coefficients(width);
        double[][] theirs = other.coefficients(width);
        for (int i = 0; i < width; i++) {
            for (int k = 0; k < 2; k++) {
                double x = mine[k][i];
                double y = theirs[k][i];
                if (!(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.max(Math.abs(x), Math.abs(y))))) {
                    return "column " + i + ": " + mine[0][i] + "·x + " + mine[1][i] + " against " + theirs[0][i]
                            + "·x + " + theirs[1][i];
                }
            }
        }
        return null;
    }
}
