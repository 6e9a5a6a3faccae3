package dev.nnj.spark;

import java.io.Serializable;

/**
 * Called in each training task after it has computed its result and before it returns it; for tests that
 * make a task fail (for example on its first attempt) to check that Spark's retry changes nothing.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {
    /** The default: does nothing. */
    TaskHook NONE = (round, partition, attempt) -> { };

    /**
     * Runs in the task, after it computed its result and before it returns it.
     *
     * @param round     0-based number of the step (synchronous mode) or round (averaging mode) in the run
     * @param partition the task's partition
     * @param attempt   Spark's attempt number of the task, 0 for the first
     */
    void afterCompute(int round, int partition, int attempt);
}
