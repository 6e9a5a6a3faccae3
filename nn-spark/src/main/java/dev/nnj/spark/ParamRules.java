package dev.nnj.spark;

import java.io.Serializable;
import scala.runtime.AbstractFunction1;

/**
 * The estimator's param validators: Spark runs a param's validator whenever a value is set (a setter,
 * {@code fit(dataset, paramMap)}, a {@code ParamGridBuilder} grid, a saved estimator loaded back), so a bad value is
 * refused there, naming the param, rather than when {@code fit} has already started a job. A rule that fails throws
 * its own {@link IllegalArgumentException} with the reason (Spark's own message would say only "given invalid
 * value"). Rules between params (one activation per layer, Nesterov needing momentum) wait for {@code fit}, where
 * every param has its final value.
 */
final class ParamRules {
    private ParamRules() {
    }

    /**
     * A validator from a check that throws for a bad value.
     *
     * @param <T>   the param's value type as Spark passes it (boxed)
     * @param check throws {@link IllegalArgumentException} with the reason
     * @return the validator
     */
    static <T> AbstractFunction1<T, Object> rule(Check<T> check) {
        return new Rule<>(check);
    }

    /** An integer param of at least {@code min}. */
    static <T> AbstractFunction1<T, Object> atLeast(String param, int min) {
        return rule(v -> {
            int value = ((Number) v).intValue();
            if (value < min) {
                throw new IllegalArgumentException(param + " must be at least " + min + ", got " + value);
            }
        });
    }

    /** A real param that is a positive finite number as a float (what the optimizer gets). */
    static <T> AbstractFunction1<T, Object> positiveFinite(String param) {
        return rule(v -> {
            float value = ((Number) v).floatValue();
            if (!(value > 0f) || Float.isInfinite(value)) {
                // 1e-50 and 1e39 are positive and finite as doubles, but 0 and infinity as the optimizer's float.
                throw new IllegalArgumentException(param + " must be a positive finite number as a float32 (from "
                        + "about 1.4e-45 to 3.4e38), got " + v);
            }
        });
    }

    /** A real param that is a finite number of at least 0 as a float. */
    static <T> AbstractFunction1<T, Object> nonNegativeFinite(String param) {
        return rule(v -> {
            float value = ((Number) v).floatValue();
            if (!(value >= 0f) || Float.isInfinite(value)) {
                throw new IllegalArgumentException(param + " must be a finite number >= 0 as a float32 (at most "
                        + "about 3.4e38), got " + v);
            }
        });
    }

    /** A string param that {@code parse} accepts (it throws, naming the accepted values, for others). */
    static AbstractFunction1<String, Object> parsedBy(String param, Check<String> parse) {
        return notNull(param, "", parse);
    }

    /**
     * A string or array param that is not null: Spark takes a null as a value, and a stage would otherwise fail
     * later with a {@link NullPointerException} that names nothing, or look for a column called "null".
     *
     * @param param the param's name, for the message
     * @param hint  what to set instead, e.g. "; an empty name leaves the column out", or empty
     * @param check the param's other bounds, run on a value that is not null
     * @return the validator
     */
    static <T> AbstractFunction1<T, Object> notNull(String param, String hint, Check<T> check) {
        return rule(v -> {
            if (v == null) {
                throw new IllegalArgumentException(param + " must not be null" + hint);
            }
            check.require(v);
        });
    }

    /** A string or array param that is not null, with no other bounds; see {@link #notNull(String, String, Check)}. */
    static <T> AbstractFunction1<T, Object> notNull(String param, String hint) {
        return notNull(param, hint, v -> { });
    }

    /** A check of one value. */
    @FunctionalInterface
    interface Check<T> extends Serializable {
        /**
         * @param value the value being set
         * @throws IllegalArgumentException if it is not valid
         */
        void require(T value);
    }

    /**
     * Spark's validator type ({@code T => Boolean}), serializable with the estimator.
     *
     * @param <T> the param's value type as Spark passes it
     */
    private static final class Rule<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Check<T> check;

        Rule(Check<T> check) {
            this.check = check;
        }

        @Override
        public Object apply(T value) {
            check.require(value);
            return Boolean.TRUE;
        }
    }
}
