package dev.nnj.cpu;

/**
 * A piece of work split into {@code parts} that {@link WorkerPool} runs at once, part {@code 0} in the
 * calling thread. Kernels implement it on long-lived objects whose fields hold the call's arguments, so
 * that dispatching an op allocates nothing (no lambda capturing per call).
 */
interface ParallelTask {

    /** Runs part {@code part} of {@code parts}; every part may call {@link WorkerPool#barrier()}. */
    void run(int part, int parts);
}
