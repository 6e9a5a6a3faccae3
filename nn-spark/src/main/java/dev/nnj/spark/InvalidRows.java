package dev.nnj.spark;

import java.util.Locale;

/**
 * What {@code transform} does with a row whose features nnj cannot predict from (null, another size, NaN, infinite,
 * beyond float32), by the names MLlib's transformers give {@code handleInvalid}.
 */
enum InvalidRows {
    /** Fail the job, naming the row (the default: a silent NaN is easy to miss downstream). */
    ERROR,
    /** Leave the row out of the result. */
    SKIP,
    /** Keep the row, its prediction, probabilities and raw scores NaN (MLlib's MLP gives a NaN row prediction 0). */
    KEEP;

    /**
     * The mode of its lower-case name.
     *
     * @param name {@code error}, {@code skip} or {@code keep}, in any case
     * @return the mode
     * @throws IllegalArgumentException for another name, listing these
     */
    static InvalidRows parse(String name) {
        for (InvalidRows mode : values()) {
            if (mode.name().equalsIgnoreCase(name.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("handleInvalid must be error, skip or keep, got '" + name + "'");
    }

    /** {@return the name, as the param takes it} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
