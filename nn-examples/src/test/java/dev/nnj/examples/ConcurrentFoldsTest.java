package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.train.EpochStats;
import dev.nnj.api.train.TrainingControl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The folds of {@code --cv --jobs}: printed in fold order, and stopped when one of them fails. */
class ConcurrentFoldsTest {

    private static Interruption report() {
        return new Interruption(new PrintWriter(new StringWriter()));
    }

    @Test
    @Timeout(30)
    void linesComeOutInFoldOrderWhateverOrderTheFoldsFinishIn() {
        StringWriter text = new StringWriter();
        CountDownLatch laterFoldsDone = new CountDownLatch(2);
        List<CrossValidation.FoldResult> results = new ConcurrentFolds(3, 3, 10).run(new PrintWriter(text), report(),
                (f, out, control) -> {
                    if (f == 0) {
                        await(laterFoldsDone);   // the first fold finishes last
                    }
                    out.println("fold " + (f + 1));
                    if (f > 0) {
                        laterFoldsDone.countDown();
                    }
                    return new CrossValidation.FoldResult(f + 1, null, null, 10, 0, 0, null, null);
                });
        assertEquals("fold 1\nfold 2\nfold 3\n", text.toString().replace(System.lineSeparator(), "\n"));
        assertEquals(List.of(1, 2, 3), results.stream().map(CrossValidation.FoldResult::fold).toList());
    }

    /** A fold that fails stops the others at the end of their epoch, and its failure is what the run throws. */
    @Test
    @Timeout(30)
    void aFailingFoldStopsTheOthersAndItsFailureIsRethrown() {
        AtomicBoolean stopAsked = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("fold 2 diverged");
        ConcurrentFolds folds = new ConcurrentFolds(2, 2, 1_000_000);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> folds.run(
                new PrintWriter(new StringWriter()), report(), (f, out, control) -> {
                    if (f == 1) {
                        await(running);
                        throw boom;
                    }
                    TrainingControl c = new TrainingControl() {
                        @Override
                        public void requestStop(String reason) {
                            stopAsked.set(true);
                        }

                        @Override
                        public boolean stopRequested() {
                            return stopAsked.get();
                        }

                        @Override
                        public dev.nnj.api.optim.Optimizer optimizer() {
                            return null;
                        }

                        @Override
                        public int epochs() {
                            return 1_000_000;
                        }
                    };
                    control.onTrainingStart(c);
                    running.countDown();
                    for (int epoch = 1; epoch <= 1_000_000 && !c.stopRequested(); epoch++) {
                        control.onEpochEnd(new EpochStats(epoch, 1_000_000, 0, 0, Double.NaN, Double.NaN, 0));
                        Thread.onSpinWait();
                    }
                    return new CrossValidation.FoldResult(f + 1, null, null, 1, 0, 0, null, null);
                }));
        assertSame(boom, thrown);
        assertTrue(stopAsked.get(), "the running fold was asked to stop");
    }

    @Test
    @Timeout(30)
    void theInterruptNamesTheFoldsRunningAndTheirEpochs() {
        ConcurrentFolds folds = new ConcurrentFolds(2, 2, 1000);
        assertEquals("during 2-fold cross-validation, between folds", folds.running());
        CyclicBarrier bothAt = new CyclicBarrier(2);
        CyclicBarrier read = new CyclicBarrier(2);
        String[] seen = new String[1];
        folds.run(new PrintWriter(new StringWriter()), report(), (f, out, control) -> {
            control.onEpochEnd(new EpochStats(f == 0 ? 41 : 99, 1000, 0, 0, Double.NaN, Double.NaN, 0));
            await(bothAt);
            if (f == 0) {
                seen[0] = folds.running();
            }
            await(read);
            return new CrossValidation.FoldResult(f + 1, null, null, 1000, 0, 0, null, null);
        });
        assertEquals("in folds 1 and 2 of 2 (at epochs 42 and 100 of 1000)", seen[0]);
        assertEquals("during 2-fold cross-validation, between folds", folds.running(), "all done");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
