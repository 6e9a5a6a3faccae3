package dev.nnj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.data.Dataset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** MlpShapes: its command line, its data, and the line it prints, which bench/mlp-shapes.sh reads. */
class MlpShapesTest {

    @Test
    void readsACaseAndNamesWhatIsWrong() {
        MlpShapes.Case c = MlpShapes.Case.parse("784-256-10", "relu", "ce", "adam", "128");
        assertArrayEquals(new int[] {784, 256, 10}, c.widths());
        assertEquals(Activation.RELU, c.activation());
        assertEquals(20_000, c.rows());
        assertEquals("784-256-10", c.shape());
        assertEquals(500, MlpShapes.Case.parse("32-1024-1", "tanh", "mse", "sgd", "1", "500", "0", "1").rows());
        assertMessage("SHAPE needs an input and an output width", "784", "relu", "ce", "adam", "128");
        assertMessage("ACTIVATION must be an elementwise one", "8-2", "softmax", "ce", "adam", "4");
        assertMessage("the loss must be ce or mse, got 'hinge'", "8-2", "relu", "hinge", "adam", "4");
        assertMessage("BATCH must be a whole number of at least 1, got '0'", "8-2", "relu", "ce", "adam", "0");
        assertMessage("usage: MlpShapes", "8-2", "relu");
    }

    @Test
    void theDataHasTheShapeAndClassesOfTheCase() {
        Dataset classes = MlpShapes.data(MlpShapes.Case.parse("6-4-3", "relu", "ce", "sgd", "8", "50", "0", "0"));
        assertEquals(50, classes.size());
        assertEquals(6, classes.featureCount());
        assertEquals(3, classes.targetCount());
        assertTrue(classes.hasClassTargets());
        Dataset regression = MlpShapes.data(MlpShapes.Case.parse("6-2", "tanh", "mse", "sgd", "8", "50", "0", "0"));
        assertEquals(2, regression.targetCount());
    }

    /** A short run prints the line the script reads, with a median and a falling loss. */
    @Test
    void aRunPrintsItsMedianEpochAndLoss() {
        MlpShapes.Case c = MlpShapes.Case.parse("8-16-3", "relu", "ce", "adam", "16", "400", "0", "0");
        String line;
        try (Backend backend = Backends.get("cpu")) {
            line = MlpShapes.run(c, backend);
        }
        Matcher m = Pattern.compile("^mlp program=nnj shape=8-16-3 activation=relu loss=ce optimizer=adam batch=16 "
                + "rows=400 threads=\\S+ first_epoch_ms=(\\S+) median_epoch_ms=(\\S+) epochs=(\\d+) samples_per_s=\\d+ "
                + "loss_first=(\\S+) loss_last=(\\S+)$").matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(Double.parseDouble(m.group(2)) > 0 && Integer.parseInt(m.group(3)) >= 3, line);
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MlpShapes.Case.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
