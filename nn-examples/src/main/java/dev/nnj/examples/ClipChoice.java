package dev.nnj.examples;

import dev.nnj.api.train.Trainer;
import java.util.Locale;

/**
 * {@code --clip-norm X} or {@code --clip-value X}: gradient clipping between each backward pass and the optimizer's
 * step, as PyTorch's {@code torch.nn.utils.clip_grad_norm_(params, X)} (the global L2 norm over every parameter's
 * gradient, scaled down to at most {@code X}; Keras's {@code global_clipnorm}, not its per-variable {@code clipnorm})
 * and {@code clip_grad_value_(params, X)} (each element clamped to {@code [-X, X]}; Keras's {@code clipvalue}).
 * Recorded in a model file as {@code none}, {@code norm X} or {@code value X}, so that a resumed run clips as the run
 * it continues did.
 *
 * @param kind  what is clipped
 * @param limit {@code X}; 0 for {@link Kind#NONE}
 */
record ClipChoice(Kind kind, float limit) {
    /** What is clipped. */
    enum Kind {
        /** Nothing: the gradients as backpropagation gives them. */
        NONE,
        /** The global norm of all gradients. */
        NORM,
        /** Each gradient element. */
        VALUE
    }

    /** No clipping, as the presets train. */
    static final ClipChoice NONE = new ClipChoice(Kind.NONE, 0);

    /** Sets the clipping on a trainer; nothing for {@link #NONE}. */
    void applyTo(Trainer.Builder trainer) {
        switch (kind) {
            case NORM -> trainer.clipGradientNorm(limit);
            case VALUE -> trainer.clipGradientValue(limit);
            default -> { }
        }
    }

    /** What the clipping does, for the trainer's "Training:" lines; null for none. */
    String describe() {
        return switch (kind) {
            case NORM -> "gradients scaled to a global L2 norm of at most " + limit
                    + " before each step (PyTorch's clip_grad_norm_, Keras's global_clipnorm)";
            case VALUE -> "gradient elements clamped to [-" + limit + ", " + limit
                    + "] before each step (PyTorch's clip_grad_value_, Keras's clipvalue)";
            default -> null;
        };
    }

    /**
     * The choice as a model file records it: {@code none}, {@code norm 1.0}, {@code value 0.5}.
     *
     * @param text the record
     * @return the choice
     * @throws IllegalArgumentException if it is none of those
     */
    static ClipChoice parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        int space = t.indexOf(' ');
        Kind kind = space < 0 ? null : switch (t.substring(0, space)) {
            case "norm" -> Kind.NORM;
            case "value" -> Kind.VALUE;
            default -> null;
        };
        float limit = kind == null ? Float.NaN : limit(t.substring(space + 1));
        if (kind == null || !(limit > 0) || Float.isInfinite(limit)) {
            throw new IllegalArgumentException("gradient clipping '" + text + "' is not none, norm X or value X with X "
                    + "> 0");
        }
        return new ClipChoice(kind, limit);
    }

    /** A recorded limit as the options read numbers ({@link Converters#parseDecimalFloat}), NaN where it is none. */
    private static float limit(String text) {
        try {
            return Converters.parseDecimalFloat(text);
        } catch (NumberFormatException e) {
            return Float.NaN;   // refused by parse, naming the whole record
        }
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT) + " " + limit;
    }
}
