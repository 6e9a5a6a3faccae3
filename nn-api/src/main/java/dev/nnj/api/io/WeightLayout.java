package dev.nnj.api.io;

/**
 * How a Dense weight is laid out in a file. nnj computes {@code z = x·W + b} with {@code W} of shape
 * {@code (in, out)}, as the article does; PyTorch's {@code nn.Linear} computes {@code z = x·Wᵀ + b} and stores
 * {@code W} as {@code (out, in)}. The two are transposes of each other; biases are the same {@code (out)}.
 */
public enum WeightLayout {
    /** {@code (in, out)}, nnj's own layout. */
    IN_OUT("in_out"),
    /** {@code (out, in)}, PyTorch's {@code nn.Linear.weight}, so the file loads into {@code torch.nn.Sequential}. */
    OUT_IN("out_in");

    private final String label;

    WeightLayout(String label) {
        this.label = label;
    }

    /**
     * The name stored in the metadata key {@code nnj.weight_layout}.
     *
     * @return {@code in_out} or {@code out_in}
     */
    public String label() {
        return label;
    }

    /**
     * The layout named {@code label}.
     *
     * @param label {@code in_out} or {@code out_in}
     * @return the layout
     * @throws IllegalArgumentException for any other name
     */
    public static WeightLayout parse(String label) {
        for (WeightLayout l : values()) {
            if (l.label.equals(label)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown weight layout '" + label + "'; expected in_out or out_in");
    }

    /**
     * The file shape of a Dense weight of {@code in} inputs and {@code out} units.
     *
     * @param in  input width
     * @param out units
     * @return {@code {in, out}} or {@code {out, in}}
     */
    public int[] weightShape(int in, int out) {
        return this == IN_OUT ? new int[] {in, out} : new int[] {out, in};
    }

    /**
     * A Dense weight stored in this layout, in nnj's {@code (in, out)} layout: the values themselves for
     * {@link #IN_OUT}, their transpose for {@link #OUT_IN}.
     *
     * @param stored the weight as stored, row-major
     * @param rows   rows as stored ({@code in}, or {@code out} for {@link #OUT_IN})
     * @param cols   columns as stored
     * @return the {@code (in, out)} values (the same array for {@link #IN_OUT})
     */
    public float[] toInOut(float[] stored, int rows, int cols) {
        return this == IN_OUT ? stored : transpose(stored, rows, cols);
    }

    /**
     * Transposes a row-major {@code (rows, cols)} matrix.
     *
     * @param m    the values
     * @param rows rows of {@code m}
     * @param cols columns of {@code m}
     * @return the {@code (cols, rows)} transpose
     */
    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }
}
