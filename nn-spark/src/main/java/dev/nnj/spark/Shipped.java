package dev.nnj.spark;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A value sent to every task of one job: inside the task closure when small, as a Spark broadcast when
 * large. A broadcast is fetched once per executor (BitTorrent-like) but costs a few round trips to create
 * and destroy, which dominates a step when the model is a few kilobytes; the closure is sent with every
 * task, which is cheap for small values and wasteful for large ones.
 *
 * @param <T> the value's type
 */
final class Shipped<T extends Serializable> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Values up to this many bytes travel in the closure. */
    static final long CLOSURE_LIMIT_BYTES = 1 << 20;

    private final T inline;
    private final Broadcast<T> broadcast;

    private Shipped(T inline, Broadcast<T> broadcast) {
        this.inline = inline;
        this.broadcast = broadcast;
    }

    /**
     * @param sc    the context
     * @param value the value
     * @param bytes its approximate serialized size
     * @return the value, ready to be captured by a task closure
     */
    static <T extends Serializable> Shipped<T> of(JavaSparkContext sc, T value, long bytes) {
        return bytes <= CLOSURE_LIMIT_BYTES ? new Shipped<>(value, null) : new Shipped<>(null, sc.broadcast(value));
    }

    /** @return the value, on the driver or in a task */
    T value() {
        return broadcast != null ? broadcast.value() : inline;
    }

    /** Frees the broadcast, if any, once its job is done. */
    void release() {
        if (broadcast != null) {
            broadcast.destroy();
        }
    }
}
