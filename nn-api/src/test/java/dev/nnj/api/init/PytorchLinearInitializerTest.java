package dev.nnj.api.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Initializer#pytorchLinear()} draws as {@code nn.Linear.reset_parameters} does: uniform in
 * {@code ±1/√fanIn}, whatever the fan-out, so its variance is {@code 1 / (3 fanIn)}.
 */
class PytorchLinearInitializerTest {

    @Test
    void drawsUniformlyWithinOneOverTheRootOfTheFanIn() {
        for (int fanIn : new int[] {1, 64, 1000}) {
            float[] w = new float[60_000];
            Initializer.pytorchLinear().fill(w, fanIn, 7, new Random(3));
            double bound = 1 / Math.sqrt(fanIn);
            double sum = 0;
            double squares = 0;
            float least = Float.MAX_VALUE;
            float greatest = -Float.MAX_VALUE;
            for (float v : w) {
                sum += v;
                squares += (double) v * v;
                least = Math.min(least, v);
                greatest = Math.max(greatest, v);
            }
            assertTrue(least >= -bound && greatest <= bound, fanIn + ": within ±" + bound + ", got " + least + " to "
                    + greatest);
            assertTrue(least < -0.99 * bound && greatest > 0.99 * bound, fanIn + ": reaches the bounds");
            double variance = squares / w.length - (sum / w.length) * (sum / w.length);
            assertEquals(1.0 / (3 * fanIn), variance, 0.02 / (3 * fanIn), "fan-in " + fanIn);
        }
        assertEquals("pytorch_linear", Initializer.pytorchLinear().toString());
    }
}
