package dev.nnj.api.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * What every weighted metric shares: the check of a {@code sampleWeights} argument, the sums numpy computes, and
 * Python's way of printing a float (scikit-learn's weighted supports).
 *
 * <p>A weight says how much a row counts: a metric that averages over rows takes {@code Σ_i w_i x_i / Σ_i w_i},
 * and a count of rows becomes a sum of their weights, as scikit-learn's {@code sample_weight}. Weights of 1 give
 * the unweighted figures, to the bit (sums of ones are exact). A null array means no weights.
 */
final class SampleWeights {
    /** numpy's {@code PW_BLOCKSIZE}: pairwise summation splits blocks larger than this. */
    private static final int NUMPY_BLOCK = 128;

    private SampleWeights() {
    }

    /**
     * Checks one weight per row: as many as {@code rows}, each finite and ≥ 0, not all 0.
     *
     * @param what the caller, for messages ({@code "LogLoss.of"})
     * @return {@code sampleWeights} itself (not copied: callers only read it), or null for null
     * @throws IllegalArgumentException naming the length, or the first bad row and its value
     */
    static double[] check(String what, double[] sampleWeights, int rows) {
        if (sampleWeights == null) {
            return null;
        }
        if (sampleWeights.length != rows) {
            throw new IllegalArgumentException(what + ": sampleWeights has " + sampleWeights.length
                    + " entries but there are " + rows + " rows; give one weight per row");
        }
        boolean anyPositive = false;
        for (int i = 0; i < rows; i++) {
            double w = sampleWeights[i];
            if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(what + ": sampleWeights[" + i + "] = " + w
                        + " is not a finite number >= 0");
            }
            anyPositive |= w > 0;
        }
        if (!anyPositive) {
            throw new IllegalArgumentException(what + ": all " + rows + " sample weights are 0, so no row counts and"
                    + " the metric is not defined; at least one weight must be positive");
        }
        return sampleWeights;
    }

    /** The weights as doubles (exactly: every float is a double), or null for null. */
    static double[] widen(float[] sampleWeights) {
        if (sampleWeights == null) {
            return null;
        }
        double[] w = new double[sampleWeights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = sampleWeights[i];
        }
        return w;
    }

    /** Row {@code i}'s weight: 1 without weights. */
    static double of(double[] sampleWeights, int i) {
        return sampleWeights == null ? 1.0 : sampleWeights[i];
    }

    /**
     * {@code values[from..to)} summed as numpy's {@code sum} sums a contiguous float64 array (pairwise: eight
     * running sums in blocks of up to 128, halves beyond), to the bit; scikit-learn's totals are such sums.
     */
    static double numpySum(double[] values, int from, int to) {
        int n = to - from;
        if (n < 8) {
            double sum = 0.;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            return sum;
        }
        if (n <= NUMPY_BLOCK) {
            double[] r = new double[8];
            System.arraycopy(values, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += values[from + i + j];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += values[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return numpySum(values, from, from + half) + numpySum(values, from + half, to);
    }

    /**
     * Python's {@code repr(x)} of a finite {@code x ≥ 0}: the shortest decimal that reads back as {@code x}, with a
     * {@code .0} when whole ({@code 12.0}, {@code 6.900000000000001}), in exponent form from 1e16 and below 1e-4
     * ({@code 1e-05}, {@code 1.5e+16}). How {@code classification_report} prints a weighted support.
     */
    static String pythonRepr(double x) {
        if (x == 0) {
            return "0.0";
        }
        BigDecimal shortest = null;
        for (int digits = 1; digits <= 17; digits++) {
            shortest = new BigDecimal(x).round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (shortest.doubleValue() == x) {
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;   // x = d.ddd × 10^exponent
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = shortest.unscaledValue().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
