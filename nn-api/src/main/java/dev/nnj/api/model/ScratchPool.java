package dev.nnj.api.model;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Idle {@link InferenceScratch} sets waiting for the next inference call: a call takes one (or creates one
 * when none is idle) and gives it back, so N threads predicting at once use N sets and a warm call allocates
 * no tensor. Lock-free: a fixed row of slots claimed by compare-and-set; a set given back when every slot is
 * full is closed instead.
 */
final class ScratchPool implements AutoCloseable {
    private final AtomicReferenceArray<InferenceScratch> idle;
    private final Supplier<InferenceScratch> factory;

    /**
     * @param slots   how many idle sets to keep
     * @param factory creates a set when none is idle
     */
    ScratchPool(int slots, Supplier<InferenceScratch> factory) {
        this.idle = new AtomicReferenceArray<>(slots);
        this.factory = factory;
    }

    /** An idle set, or a new one; give it back with {@link #release}. */
    InferenceScratch acquire() {
        for (int i = 0; i < idle.length(); i++) {
            InferenceScratch s = idle.get(i);
            if (s != null && idle.compareAndSet(i, s, null)) {
                return s;
            }
        }
        return factory.get();
    }

    /** Gives a set back for reuse, trimmed to {@link InferenceScratch#IDLE_BYTES}, or closes it when the pool is full. */
    void release(InferenceScratch scratch) {
        scratch.trim(InferenceScratch.IDLE_BYTES);
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, scratch)) {
                return;
            }
        }
        scratch.close();
    }

    /** Closes every idle set; called when no inference is in flight (the model's guard is held). */
    @Override
    public void close() {
        for (int i = 0; i < idle.length(); i++) {
            InferenceScratch s = idle.getAndSet(i, null);
            if (s != null) {
                s.close();
            }
        }
    }
}
