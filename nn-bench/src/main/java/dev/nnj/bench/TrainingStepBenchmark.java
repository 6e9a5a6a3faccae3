package dev.nnj.bench;

import static dev.nnj.bench.BenchSupport.ADD_MODULES;
import static dev.nnj.bench.BenchSupport.IGNORE_UNRECOGNIZED;
import static dev.nnj.bench.BenchSupport.NATIVE_ACCESS;
import static dev.nnj.bench.BenchSupport.VECTOR_MODULE;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.examples.DigitsPreset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step on a batch already on the device: forward pass, loss (summed on the device, as the
 * trainer does), backpropagation and the optimizer update. After the first steps every buffer exists, so
 * with {@code -prof gc} the step should show {@code gc.alloc.rate.norm ≈ 0 B/op}: the zero-allocation claim.
 * <p>{@code model} is {@code <net>-b<batch>}:
 * <ul>
 *   <li>{@code digits}: the keras preset's 64-64-10 network (relu, softmax, Adam);</li>
 *   <li>{@code article}: the article preset's 64-64-10 network (sigmoid, softmax, SGD 0.1);</li>
 *   <li>{@code mlp}: 784-1024-1024-10, relu, relu, softmax, Adam(1e-3).</li>
 * </ul>
 * Defaults: {@code digits-b32} and {@code mlp-b256}; try {@code -p model=article-b1437,mlp-b1024}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ADD_MODULES, VECTOR_MODULE, IGNORE_UNRECOGNIZED, NATIVE_ACCESS})
@State(Scope.Thread)
public class TrainingStepBenchmark {
    /** The state JMH creates for each trial. */
    public TrainingStepBenchmark() {
    }

    /** Steps run in setup, so that lazily created buffers and optimizer state exist before warm-up. */
    private static final int PRIMING_STEPS = 3;

    /** Backend to run on; pass several with {@code -p backend=cpu,cuda}. */
    @Param({"cpu"})
    public String backend;

    /** {@code <net>-b<batch>} with net digits, article or mlp. */
    @Param({"digits-b32", "mlp-b256"})
    public String model;

    private Backend be;
    private Sequential net;
    private Optimizer optimizer;
    private List<Parameter> parameters;
    private final Loss loss = Loss.categoricalCrossEntropy();
    private Tensor x;
    private Tensor y;
    private Tensor lossSum;

    /** Builds the model, its optimizer and a random batch on the backend, and runs priming steps so every buffer exists. */
    @Setup(Level.Trial)
    public void setUp() {
        int dash = model.lastIndexOf("-b");
        if (dash < 0) {
            throw new IllegalArgumentException("model must be <net>-b<batch>, e.g. mlp-b256, got '" + model + "'");
        }
        String name = model.substring(0, dash);
        int batch = Integer.parseInt(model.substring(dash + 2));
        be = BenchSupport.open(backend);
        int inputs;
        switch (name) {
            case "digits":
            case "article":
                DigitsPreset preset = name.equals("digits") ? DigitsPreset.KERAS : DigitsPreset.ARTICLE;
                inputs = 64;
                net = preset.buildModel(be, DigitsPreset.HIDDEN_UNITS, 0);
                optimizer = preset.optimizer();
                break;
            case "mlp":
                inputs = 784;
                net = new Sequential(be, inputs, 0)
                        .add(new Dense(1024, Activation.RELU))
                        .add(new Dense(1024, Activation.RELU))
                        .add(new Dense(10, Activation.SOFTMAX));
                optimizer = new Adam(1e-3f);
                break;
            default:
                throw new IllegalArgumentException("unknown net '" + name + "' in '" + model
                        + "'; use digits, article or mlp");
        }
        parameters = net.parameters();
        x = BenchSupport.random(be, 1, batch, inputs);
        y = BenchSupport.oneHot(be, 2, batch, net.outputWidth());
        lossSum = be.zeros(1);
        for (int i = 0; i < PRIMING_STEPS; i++) {
            step();
        }
    }

    /** One forward pass, loss sum, backward pass and optimizer update. */
    @Benchmark
    public void step() {
        Tensor out = net.forward(x, true);
        be.lossSum(loss.kind(), out, y, 0f, lossSum);   // kept on the device, like the trainer's epoch sum
        net.backward(loss, y);
        optimizer.step(parameters);
        be.synchronize();
    }

    /** Frees the model, the batch and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        BenchSupport.closeAll(x, y, lossSum, optimizer, net, be);
    }
}
