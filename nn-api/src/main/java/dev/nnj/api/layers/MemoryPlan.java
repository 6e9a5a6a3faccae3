package dev.nnj.api.layers;

import dev.nnj.api.Backend;
import dev.nnj.api.HostMemory;
import dev.nnj.api.MemoryBudgetException;
import java.util.List;

/**
 * Internal, not API: size checks made before a model or a batch allocates: every shape product in long arithmetic,
 * every buffer within the element limit of one tensor, and the total within the backend's {@link
 * Backend#memoryBudgetBytes() memory budget}. A request that cannot fit fails at once with a {@link
 * MemoryBudgetException} naming the buffer and the bytes, instead of an integer overflow, a negative array size or
 * an {@link OutOfMemoryError} after minutes of work.
 *
 * <p>The byte counts are lower bounds: only buffers the model certainly allocates are counted, so a
 * refusal is never a false alarm. Per batch of {@code N} rows through widths {@code w₀ (input) … w_L}:
 * <pre>
 *   inference  N · (w₀ + Σ_l w_l)                              input staging and each layer's output
 *                                                              (a dropout layer's none: it passes its input on)
 *   training   N · (w₀ + Σ_l w_l + 2 w_L + Σ_{l≥2} w_{l−1})     + targets, loss gradient, input gradients
 * </pre>
 * floats of 4 bytes. Parameters of a dense layer {@code (in, out)}: {@code 2 · (in·out + out)} floats
 * (values and gradients) on the backend, plus the {@code in·out} host array its initializer fills.
 *
 * <p><b>Internal:</b> public only because another nnj package uses it; not API, and it may change in any
 * release (see docs/architecture.md).
 */
public final class MemoryPlan {
    /** Batches up to this many bytes skip the budget query; element limits are still checked. */
    static final long SMALL_BATCH_BYTES = 16L << 20;

    private MemoryPlan() {
    }

    /**
     * Checks a dense layer's parameters before they are allocated.
     *
     * @param backend where they would live
     * @param layer   the layer's name, e.g. {@code dense_1}
     * @param in      input width
     * @param out     units
     * @throws MemoryBudgetException if the weight exceeds one tensor or the bytes exceed a budget
     */
    public static void requireDenseParameters(Backend backend, String layer, int in, int out) {
        long weights = (long) in * out;
        HostMemory.requireElements(layer + ".weight (" + in + ", " + out + ")", weights);
        long bytes = 2 * (weights + out) * Float.BYTES;
        HostMemory.requireBytes(layer + " (" + in + " inputs x " + out + " units: weight, bias and their gradients)",
                bytes, backend.memoryBudgetBytes(), budgetName(backend));
        HostMemory.requireArray(layer + ".weight's initial values (" + in + ", " + out + ")", weights);
    }

    /**
     * Checks that a batch of {@code rows} fits through a model's layers before its buffers are allocated.
     *
     * @param backend    where the model's buffers live
     * @param inputWidth the model's input features
     * @param layers     the model's layers, built
     * @param rows     rows in the batch
     * @param training whether backward buffers are needed too
     * @param what     names the batch in the message, e.g. {@code "training batch"}
     * @throws MemoryBudgetException naming the layer whose activation is too large, or the total bytes
     */
    public static void requireBatch(Backend backend, int inputWidth, List<Layer> layers, int rows, boolean training,
                                    String what) {
        // The common small batch first, without the arrays the message would need: predict is called often.
        long widest = inputWidth;
        long sum = inputWidth;
        int counted = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (allocatesOutput(layers.get(i), training)) {
                int width = layers.get(i).outputWidth();
                widest = Math.max(widest, width);
                sum += width;
                counted++;
            }
        }
        if (rows * widest <= HostMemory.MAX_ARRAY_ELEMENTS && 3L * rows * sum * Float.BYTES <= SMALL_BATCH_BYTES) {
            return;   // every activation fits a tensor, and three times all of them is a small batch
        }
        int[] widths = new int[counted + 1];
        String[] names = new String[widths.length];
        widths[0] = inputWidth;
        names[0] = "the input";
        for (int i = 0, k = 1; i < layers.size(); i++) {
            if (allocatesOutput(layers.get(i), training)) {
                widths[k] = layers.get(i).outputWidth();
                names[k++] = layers.get(i).name();
            }
        }
        long bytes = batchBytes(what, rows, training, widths, names);
        if (bytes <= SMALL_BATCH_BYTES) {
            return;   // asking the backend costs more than such a batch can matter (predict is called often)
        }
        HostMemory.requireBytes("a " + what + " of " + rows + " rows", bytes, backend.memoryBudgetBytes(),
                budgetName(backend));
    }

    /**
     * Whether a batch through {@code layer} allocates an output: always in training; at inference not for
     * {@link Dropout}, the identity there, which passes its input on.
     */
    private static boolean allocatesOutput(Layer layer, boolean training) {
        return training || !(layer instanceof Dropout);
    }

    /**
     * The whole plan of a dense network before it is built: parameters, optimizer state and one batch, so
     * that a program can refuse an impossible size without first allocating the layers that do fit.
     *
     * @param backend        where it would run
     * @param batchRows      rows per training step
     * @param optimizerSlots state tensors per parameter of the optimizer (0 for SGD, 2 for Adam)
     * @param widths         input width, then each dense layer's units
     * @throws MemoryBudgetException naming what does not fit and the bytes it needs
     */
    public static void requireDenseNetwork(Backend backend, int batchRows, int optimizerSlots, int... widths) {
        long parameters = 0;
        long largestWeight = 0;
        String[] names = new String[widths.length];
        names[0] = "the input";
        for (int l = 1; l < widths.length; l++) {
            names[l] = "dense_" + l + " (" + widths[l] + " units)";
            long weights = (long) widths[l - 1] * widths[l];
            HostMemory.requireElements("dense_" + l + ".weight (" + widths[l - 1] + ", " + widths[l] + ")", weights);
            parameters += weights + widths[l];
            largestWeight = Math.max(largestWeight, weights);
        }
        long bytes = (2L + optimizerSlots) * parameters * Float.BYTES
                + batchBytes("training batch", batchRows, true, widths, names);
        HostMemory.requireBytes("the network (" + parameters + " parameters, their gradients and " + optimizerSlots
                        + " optimizer state slot" + (optimizerSlots == 1 ? "" : "s") + ", and a batch of " + batchRows
                        + " rows)", bytes, backend.memoryBudgetBytes(), budgetName(backend));
        HostMemory.requireArray("the largest weight's initial values", largestWeight);
    }

    private static long batchBytes(String what, int rows, boolean training, int[] widths, String[] names) {
        long floats = 0;
        for (int l = 0; l < widths.length; l++) {
            long elements = (long) rows * widths[l];
            if (elements > HostMemory.MAX_ARRAY_ELEMENTS) {
                throw new MemoryBudgetException("a " + what + " of " + rows + " rows through " + names[l] + " is ("
                        + rows + ", " + widths[l] + ") = " + elements + " elements, more than one tensor can hold ("
                        + HostMemory.MAX_ARRAY_ELEMENTS + "); use smaller batches or fewer units",
                        elements * Float.BYTES, -1);
            }
            floats += elements;
            if (training && l >= 1 && l < widths.length - 1) {
                floats += elements;   // the next layer's input gradient
            }
        }
        if (training) {
            floats += 2L * rows * widths[widths.length - 1];   // targets and the loss gradient
        }
        return floats * Float.BYTES;
    }

    private static String budgetName(Backend backend) {
        return "the " + backend.name() + " backend's memory budget";
    }
}
