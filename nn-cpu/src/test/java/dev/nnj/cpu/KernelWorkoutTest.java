package dev.nnj.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Constructor;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's workout is a real training step: its losses are finite and fall, and every implementation
 * of {@link Kernels} computes the same ones (so the warm-up exercises the kernels on meaningful values, and
 * a kernel broken on the workout's edge shapes shows here too).
 */
class KernelWorkoutTest {
    private static final int ROUNDS = 60;

    @Test
    void lossesAreFiniteAndFall() {
        KernelWorkout w = new KernelWorkout(new ReferenceKernels(), 42);
        w.step();
        w.step();
        double early = w.lossTotal();
        for (int i = 2; i < ROUNDS; i++) {
            w.step();
        }
        double late = w.lossTotal();
        assertTrue(Double.isFinite(late), "loss " + late);
        // Mean loss of the last two rounds against the first two.
        KernelWorkout again = new KernelWorkout(new ReferenceKernels(), 42);
        for (int i = 0; i < ROUNDS - 2; i++) {
            again.step();
        }
        double before = again.lossTotal();
        again.step();
        again.step();
        double lastTwo = again.lossTotal() - before;
        assertTrue(lastTwo < early, "last two rounds' loss " + lastTwo + " not below the first two's " + early);
        assertEquals(ROUNDS, w.rounds());
    }

    @Test
    void scalarAndVectorKernelsComputeTheReferenceLosses() throws ReflectiveOperationException {
        double reference = total(new ReferenceKernels());
        assertEquals(reference, total(new ScalarKernels(null)), 1e-4 * Math.abs(reference), "scalar kernels");
        assumeTrue(CpuBackend.vectorized(), "Vector API fast path not enabled in this JVM");
        Constructor<?> ctor = Class.forName("dev.nnj.cpu.VectorKernels").getDeclaredConstructor(WorkerPool.class);
        Kernels vector = (Kernels) ctor.newInstance((WorkerPool) null);
        assertEquals(reference, total(vector), 1e-4 * Math.abs(reference), "Vector API kernels");
    }

    private static double total(Kernels k) {
        KernelWorkout w = new KernelWorkout(k, 7);
        for (int i = 0; i < ROUNDS; i++) {
            w.step();
        }
        return w.lossTotal();
    }
}
