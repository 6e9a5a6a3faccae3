package dev.nnj.bench;

import static dev.nnj.bench.BenchSupport.ADD_MODULES;
import static dev.nnj.bench.BenchSupport.IGNORE_UNRECOGNIZED;
import static dev.nnj.bench.BenchSupport.NATIVE_ACCESS;
import static dev.nnj.bench.BenchSupport.VECTOR_MODULE;

import dev.nnj.api.Backend;
import dev.nnj.api.Tensor;
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
 * The three matrix products of a Dense layer with input {@code x (batch, in)}, weight {@code W (in, out)}
 * and pre-activation gradient {@code dZ (batch, out)}, each {@code 2·batch·in·out} flops:
 * <pre>
 *   forward          Z  = x · W      (batch, out)
 *   backwardInput    dX = dZ · Wᵀ    (batch, in)
 *   backwardWeights  dW = xᵀ · dZ    (in, out)
 * </pre>
 * Shapes are {@code batch x in x out}: the digits network (64-64-10) at batch 32 (the keras preset) and 1437
 * (the article's full batch), and the 784-1024-1024-10 MLP at batch 32, 256 and 1024.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ADD_MODULES, VECTOR_MODULE, IGNORE_UNRECOGNIZED, NATIVE_ACCESS})
@State(Scope.Thread)
public class DenseBenchmark {
    /** The state JMH creates for each trial. */
    public DenseBenchmark() {
    }


    /** Backend to run on; pass several with {@code -p backend=cpu,cuda}. */
    @Param({"cpu"})
    public String backend;

    /** {@code batch x in x out}. */
    @Param({"32x64x64", "32x64x10", "1437x64x64", "1437x64x10",
        "32x784x1024", "32x1024x1024", "32x1024x10",
        "256x784x1024", "256x1024x1024", "256x1024x10",
        "1024x784x1024", "1024x1024x1024", "1024x1024x10"})
    public String shape;

    private Backend be;
    private Tensor x;
    private Tensor w;
    private Tensor dz;
    private Tensor z;
    private Tensor dx;
    private Tensor dw;

    /** Creates the backend and random {@code x}, {@code W} and {@code dZ} of the chosen shape. */
    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parseShape(shape);
        int batch = s[0];
        int in = s[1];
        int out = s[2];
        be = BenchSupport.open(backend);
        x = BenchSupport.random(be, 1, batch, in);
        w = BenchSupport.random(be, 2, in, out);
        dz = BenchSupport.random(be, 3, batch, out);
        z = be.zeros(batch, out);
        dx = be.zeros(batch, in);
        dw = be.zeros(in, out);
    }

    /** {@code "256x784x1024"} → {@code {256, 784, 1024}}. */
    static int[] parseShape(String shape) {
        String[] parts = shape.trim().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape must be batch x in x out, e.g. 256x784x1024, got '" + shape
                    + "'");
        }
        int[] s = new int[3];
        for (int i = 0; i < 3; i++) {
            s[i] = Integer.parseInt(parts[i].trim());
            if (s[i] < 1) {
                throw new IllegalArgumentException("shape '" + shape + "' has a dimension < 1");
            }
        }
        return s;
    }

    /** {@code Z = x · W}. */
    @Benchmark
    public void forward() {
        be.gemm(false, false, 1f, x, w, 0f, z);
        be.synchronize();
    }

    /** {@code dX = dZ · Wᵀ}. */
    @Benchmark
    public void backwardInput() {
        be.gemm(false, true, 1f, dz, w, 0f, dx);
        be.synchronize();
    }

    /** {@code dW = xᵀ · dZ}. */
    @Benchmark
    public void backwardWeights() {
        be.gemm(true, false, 1f, x, dz, 0f, dw);
        be.synchronize();
    }

    /** Frees the tensors and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        BenchSupport.closeAll(x, w, dz, z, dx, dw, be);
    }
}
