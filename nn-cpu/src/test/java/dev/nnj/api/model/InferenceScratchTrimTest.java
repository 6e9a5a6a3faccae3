package dev.nnj.api.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Tensor;
import dev.nnj.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle scratch set keeps the buffers of small batches and lets go of a large call's: without the trim, one
 * 10,000-row call on a 784-256-10 network left 41 MB in every idle set until the model was closed.
 */
class InferenceScratchTrimTest {

    @Test
    void anIdleSetKeepsSmallBatchesAndClosesALargeCallsBuffers() {
        try (CpuBackend cpu = new CpuBackend();
             InferenceScratch s = new InferenceScratch(cpu, 784, List.of(256, 10))) {
            Tensor smallInput = s.input(32);
            Tensor smallHidden = s.output(0, 32);
            Tensor largeInput = s.input(10_000);
            Tensor largeHidden = s.output(0, 10_000);
            Tensor largeOutput = s.output(1, 10_000);
            s.trim(InferenceScratch.IDLE_BYTES);
            assertTrue(largeInput.isClosed() && largeHidden.isClosed(), "the large buffers of the large call are closed");
            assertFalse(largeOutput.isClosed(), "its (10000, 10) output, 400 KB, fits beside the small batch's");
            assertFalse(smallInput.isClosed() || smallHidden.isClosed(), "the 32-row buffers are kept");
            assertSame(smallInput, s.input(32), "a warm small call gets its buffer back");
            assertNotSame(largeInput, s.input(10_000), "a large call makes its buffer again");
        }
    }

    /** A dropout layer is the identity at inference: no output buffer is made for it (it was, and never written). */
    @Test
    void aDropoutLayerGetsNoInferenceBuffer() {
        try (CpuBackend cpu = new CpuBackend();
             Sequential model = new Sequential(cpu, 64, 1L)) {
            model.add(new dev.nnj.api.layers.Dense(256, dev.nnj.api.Activation.RELU))
                    .add(new dev.nnj.api.layers.Dropout(0.5f))
                    .add(new dev.nnj.api.layers.Dense(10, dev.nnj.api.Activation.SOFTMAX));
            Inference inference = new Inference(cpu, 64);
            inference.reset(model.layers());
            int rows = 100;
            float[] probabilities = inference.predict(new float[rows * 64], rows);
            org.junit.jupiter.api.Assertions.assertEquals(rows * 10, probabilities.length);
            InferenceScratch s = inference.scratchPool().acquire();
            try {
                long expected = (long) rows * (64 + 256 + 10) * Float.BYTES;   // input, dense_1, dense_2
                org.junit.jupiter.api.Assertions.assertEquals(expected, s.bytes(),
                        "the input and the two dense layers' outputs; nothing for dropout's 256 columns");
            } finally {
                inference.scratchPool().release(s);
                inference.close();
            }
        }
    }

    @Test
    void aPoolGivesBackTrimmedSets() {
        try (CpuBackend cpu = new CpuBackend()) {
            ScratchPool pool = new ScratchPool(2, () -> new InferenceScratch(cpu, 784, List.of(256, 10)));
            InferenceScratch s = pool.acquire();
            Tensor large = s.input(10_000);
            Tensor small = s.input(8);
            pool.release(s);
            assertTrue(large.isClosed(), "released with the large call's buffer closed");
            assertFalse(small.isClosed());
            pool.close();
            assertTrue(small.isClosed(), "closing the pool closes what it kept");
        }
    }
}
