package dev.nnj.bench;

import static dev.nnj.bench.BenchSupport.ADD_MODULES;
import static dev.nnj.bench.BenchSupport.IGNORE_UNRECOGNIZED;
import static dev.nnj.bench.BenchSupport.NATIVE_ACCESS;
import static dev.nnj.bench.BenchSupport.VECTOR_MODULE;

import dev.nnj.api.Backend;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.data.IndexSplit;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.History;
import dev.nnj.api.train.Trainer;
import dev.nnj.examples.DigitsData;
import dev.nnj.examples.DigitsPreset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per epoch of the digits trainer's presets through {@link Trainer#fit}, as {@code digits} runs them:
 * every batch of the 1437 training rows (staged from the host, shuffled for keras), then the evaluation on
 * the 360 test rows that the trainer records after each epoch.
 * <ul>
 *   <li>{@code article}: one full-batch (1437 rows) SGD step per epoch;</li>
 *   <li>{@code keras}: 45 Adam steps of 32 rows per epoch.</li>
 * </ul>
 * Each call trains {@value #EPOCHS} epochs of the same model (so the trainer's per-call set-up is spread
 * thin) and the score is per epoch; 1000 epochs, the article's run, take about 1000 × the score.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ADD_MODULES, VECTOR_MODULE, IGNORE_UNRECOGNIZED, NATIVE_ACCESS})
@State(Scope.Thread)
public class EpochBenchmark {
    /** The state JMH creates for each trial. */
    public EpochBenchmark() {
    }

    static final int EPOCHS = 10;

    /** Backend to run on; pass several with {@code -p backend=cpu,cuda}. */
    @Param({"cpu"})
    public String backend;

    /** The digits preset trained: {@code article} or {@code keras}. */
    @Param({"article", "keras"})
    public String preset;

    private Backend be;
    private Sequential model;
    private Optimizer optimizer;
    private Trainer trainer;
    private Dataset train;
    private Dataset test;
    private final Loss loss = Loss.categoricalCrossEntropy();

    /** Loads the digits, builds the preset's model and trainer on the backend. */
    @Setup(Level.Trial)
    public void setUp() {
        DigitsPreset p = DigitsPreset.parse(preset);
        IndexSplit.Datasets data = DigitsData.scaledArticleSplit();
        train = data.train();
        test = data.test();
        be = BenchSupport.open(backend);
        model = p.buildModel(be, DigitsPreset.HIDDEN_UNITS, 0);
        optimizer = p.optimizer();
        trainer = Trainer.builder().epochs(EPOCHS).batchSize(p.batchSize()).shuffle(true).seed(0).build();
    }

    /**
     * Trains {@value #EPOCHS} epochs.
     *
     * @return the history, so that the work cannot be eliminated
     */
    @Benchmark
    @OperationsPerInvocation(EPOCHS)
    public History epoch() {
        return trainer.fit(model, loss, optimizer, train, test);
    }

    /** Frees the model and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        BenchSupport.closeAll(optimizer, model, be);
    }
}
