package dev.nnj.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic a graph does on its input before its first Dense: a scaler inside the graph, as in nnj's raw-features
 * export ({@code Cast} to double, {@code Mul} and {@code Add}, or {@code Sub} and {@code Div}, {@code Cast} back) and
 * in PyTorch models that normalise their own input ({@code (x - mean) / std}). Each operation takes a constant of one
 * value per feature, or one for all, so together they are one affine map per feature, folded into the first Dense:
 * <pre>
 *   x'_i = a_i · x_i + b_i                     Add c: b += c   Sub c: b -= c   Mul c: a, b ·= c   Div c: a, b /= c
 *   x'·W + β = x·W' + β'    W'_ij = a_i · W_ij    β'_j = β_j + Σ_i b_i · W_ij        (in double, rounded once to float)
 * </pre>
 * The imported network computes the same function from the raw input, up to float rounding: the graph rounds the
 * scaled input to float before its product, the folded layer rounds its weights instead.
 */
final class InputScaling {
    /** One operation: its operator and constant, in graph order. */
    private record Step(String op, double[] constant, String where) {
    }

    private final List<Step> steps = new ArrayList<>();

    /** {@return whether {@code op} is an operation this class folds} */
    static boolean folds(String op) {
        return op.equals("Add") || op.equals("Sub") || op.equals("Mul") || op.equals("Div");
    }

    /**
     * Adds {@code x op constant} to the map.
     *
     * @param op       Add, Sub, Mul or Div
     * @param constant one value per feature, or one for all
     * @param where    the node, for messages
     */
    void add(String op, double[] constant, String where) {
        steps.add(new Step(op, constant, where));
    }

    /** {@return whether the input passes unchanged} */
    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The first operation, for a message when no Dense follows. */
    String first() {
        return steps.get(0).where;
    }

    /**
     * The first Dense's weights with the map folded in: {@code W'} and {@code β'} of the class comment.
     *
     * @param weight the layer's {@code (in, out)} weights, row-major
     * @param bias   its {@code out} biases, or null for none
     * @param in     its input width: the number of features
     * @return {@code {W', β'}}
     * @throws OnnxImportException if a constant has neither one value nor one per feature
     */
    float[][] fold(float[] weight, float[] bias, int in) {
        int out = weight.length / in;
        double[] a = new double[in];
        double[] b = new double[in];
        java.util.Arrays.fill(a, 1);
        for (Step s : steps) {
            if (s.constant.length != 1 && s.constant.length != in) {
                throw new OnnxImportException(s.where + ": its constant has " + s.constant.length + " values; on the "
                        + in + " features of the first Dense nnj folds one value, or one per feature");
            }
            for (int i = 0; i < in; i++) {
                double c = s.constant[s.constant.length == 1 ? 0 : i];
                switch (s.op) {
                    case "Add":
                        b[i] += c;
                        break;
                    case "Sub":
                        b[i] -= c;
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
}
