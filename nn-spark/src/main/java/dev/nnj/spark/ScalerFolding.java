package dev.nnj.spark;

import dev.nnj.api.data.ColumnScaler;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.io.Preprocessing;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model file's scalers folded into its network, so that a Spark model of it takes the raw features and gives a
 * regression's predictions in the target's units, as the file's own {@code SavedModel.predict} does. Each scaler is
 * an affine map per column, and an affine map next to a Dense layer is another Dense layer:
 * <pre>
 *   features   x' = x·m + c        z = x'·W + b = x·(diag(m)·W) + (c·W + b)      the first layer
 *   target     y  = out·a + t      y = (h·W + b)·a + t = h·(a·W) + (a·b + t)     the last layer
 * </pre>
 * computed in double and rounded to float once. A column whose values lie far from zero against their spread (a
 * timestamp) would lose the most digits, its float32 products cancelling; such a fold is refused
 * ({@link #requirePrecision}).
 */
final class ScalerFolding {
    private ScalerFolding() {
    }

    /**
     * Refuses preprocessing that no folding can carry: an imputer (a missing value is not an affine map of one) and
     * categorical columns (one-hot encoded from text by nnj's CSV reader).
     *
     * @throws IllegalArgumentException saying what to put before the Spark model instead
     */
    static void requireFoldable(Preprocessing p) {
        if (p.imputer() != null) {
            throw new IllegalArgumentException("the model file fills in missing values with its imputer, which a Spark "
                    + "model does not carry: put Spark's Imputer (with the same statistics) before it, and make the "
                    + "model of its network alone, of(spec, saved.model()), on features scaled as the file's scaler "
                    + "scales them");
        }
        if (!p.categories().isEmpty()) {
            throw new IllegalArgumentException("the model file takes one-hot columns of the categorical columns "
                    + p.categories().keySet() + ", which nnj's CSV reader makes: give the DataFrame those columns "
                    + "in the model's feature order, scaled, and make the model of its network alone, "
                    + "of(spec, saved.model())");
        }
    }

    /**
     * The parameters with a feature scaler folded into the first layer, whose weight and bias are their first two
     * entries: {@code W'[j][k] = m[j]·W[j][k]} {@code (in, out)}, {@code b'[k] = b[k] + Σ_j c[j]·W[j][k]}.
     *
     * @param parameters the network's, in model order
     * @param scaler     the features' scaler, fitted on {@code inputs} columns
     * @param inputs     the network's input width
     * @param names      the features' names, for a refusal's message; null for none
     * @return new parameters that take the raw features
     * @throws IllegalArgumentException where the folded layer would lose more than {@link #TOLERANCE} of its
     *         outputs' precision ({@link #requirePrecision})
     */
    static Map<String, float[]> intoFirstLayer(Map<String, float[]> parameters, ColumnScaler scaler, int inputs,
                                               java.util.List<String> names) {
        Iterator<String> parameterNames = parameters.keySet().iterator();
        String weight = parameterNames.next();
        String bias = parameterNames.next();
        if (!weight.endsWith(".weight") || !bias.endsWith(".bias")) {
            throw new IllegalStateException("the network's first parameters are " + weight + " and " + bias
                    + ", not a Dense layer's weight and bias");
        }
        float[] w = parameters.get(weight);
        float[] b = parameters.get(bias);
        int out = b.length;
        double[][] mc = columnMap(scaler, inputs);
        requirePrecision(w, mc[1], out, inputs, names);
        float[] foldedW = new float[w.length];
        float[] foldedB = new float[out];
        for (int k = 0; k < out; k++) {
            double sum = b[k];
            for (int j = 0; j < inputs; j++) {
                foldedW[j * out + k] = (float) (mc[0][j] * w[j * out + k]);
                sum += mc[1][j] * w[j * out + k];
            }
            foldedB[k] = (float) sum;
        }
        Map<String, float[]> folded = new LinkedHashMap<>(parameters);
        folded.put(weight, foldedW);
        folded.put(bias, foldedB);
        return folded;
    }

    /**
     * The most a first-layer output {@code z_k} may lose to the folding, in its own units: far below what moves a
     * probability or a prediction visibly (a tanh or a sigmoid changes by at most a quarter of it, a softmax's class
     * only at a near tie).
     */
    static final double TOLERANCE = 1e-4;

    /**
     * Refuses a fold that would cost the outputs their precision. A raw value near a column's mean, {@code x ≈ -c/m},
     * makes {@code x·W'} and {@code c·W} nearly cancel, each rounded to float32 (unit roundoff {@code u = 2^-24}):
     * {@code x} itself, its product and the folded bias each lose about {@code u·|c_j·W_jk|}, so {@code z_k} loses
     * about {@code 3u·Σ_j |c_j·W_jk|}. A timestamp column (mean 1.7e9, spread 2.5e4: {@code c ≈ 7e4}) loses
     * thousandths or more; ordinary features (|c| of a few units) millionths. The file's own {@code predict} scales
     * in double and loses none of this.
     *
     * @param w      the first layer's weights, {@code (in, out)}
     * @param c      each column's offset after scaling
     * @param out    the layer's width
     * @param inputs its input width
     * @param names  the features' names; null for none
     * @throws IllegalArgumentException naming the column that costs the most, and what to do instead
     */
    private static void requirePrecision(float[] w, double[] c, int out, int inputs, java.util.List<String> names) {
        double unit = Math.ulp(1f) / 2;
        double worst = 0;
        for (int k = 0; k < out; k++) {
            double loss = 0;
            for (int j = 0; j < inputs; j++) {
                loss += Math.abs(c[j] * w[j * out + k]);
            }
            worst = Math.max(worst, 3 * unit * loss);
        }
        if (worst <= TOLERANCE) {
            return;
        }
        int column = 0;
        for (int j = 1; j < inputs; j++) {
            if (Math.abs(c[j]) > Math.abs(c[column])) {
                column = j;
            }
        }
        // Counted from 1, as the command line counts a file's columns.
        String named = names != null && column < names.size() ? "'" + names.get(column) + "' (column " + (column + 1)
                + ")" : "column " + (column + 1);
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the model file's scaler cannot be "
                + "folded into float32 weights without losing up to %.2g of the first layer's outputs: feature %s "
                + "lies %.3g of its scale units from zero (a timestamp, a coordinate?), where the file's own predict "
                + "scales it in double; scale the features in the DataFrame first (Spark's StandardScaler or "
                + "MinMaxScaler with the file's statistics) and make the model of its network alone, "
                + "of(spec, saved.model())", worst, named, Math.abs(c[column])));
    }

    /**
     * A one-column target scaler's inverse as the output's scale and shift, {@code y = out·a + t}: a standard
     * scaler's {@code out·scale + mean} (each part as it has it), a min-max scaler's {@code (out − offset) / scale}.
     *
     * @param target the target scaler, fitted on one column
     * @return {@code {a, t}}
     */
    static LabelScale outputMap(ColumnScaler target) {
        double[][] mc = columnMap(target, 1);   // the forward map y' = y·m + c, so y = (y' − c) / m
        return new LabelScale(-mc[1][0] / mc[0][0], 1 / mc[0][0]);
    }

    /**
     * A scaler as one multiplier and one offset per column, {@code x' = x·m + c}: {@code {m, c}}.
     *
     * @param scaler  a fitted scaler
     * @param columns its width
     */
    static double[][] columnMap(ColumnScaler scaler, int columns) {
        double[] m = new double[columns];
        double[] c = new double[columns];
        if (scaler instanceof MinMaxScaler minMax) {
            System.arraycopy(minMax.scale(), 0, m, 0, columns);
            System.arraycopy(minMax.offset(), 0, c, 0, columns);
        } else {
            StandardScaler standard = (StandardScaler) scaler;
            double[] scale = standard.scale();   // copies, once each
            double[] mean = standard.mean();
            for (int j = 0; j < columns; j++) {
                m[j] = standard.withStd() ? 1 / scale[j] : 1;
                c[j] = standard.withMean() ? -mean[j] * m[j] : 0;
            }
        }
        return new double[][] {m, c};
    }
}
