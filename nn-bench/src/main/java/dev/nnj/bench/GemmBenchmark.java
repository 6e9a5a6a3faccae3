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
 * Square FP32 matrix product {@code C = A·B} ({@code n × n}, {@code beta = 0}), time per product. The
 * throughput is {@code 2n³ / time}: {@link Report} adds it as a GFLOP/s column, and
 * {@code bench/compare-anchors.sh} sets it beside numpy/OpenBLAS at the same {@code n}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ADD_MODULES, VECTOR_MODULE, IGNORE_UNRECOGNIZED, NATIVE_ACCESS})
@State(Scope.Thread)
public class GemmBenchmark {
    /** The state JMH creates for each trial. */
    public GemmBenchmark() {
    }


    /** Backend to run on; pass several with {@code -p backend=cpu,cuda}. */
    @Param({"cpu"})
    public String backend;

    /** The side of the square matrices. */
    @Param({"64", "128", "256", "512", "1024", "2048"})
    public int n;

    private Backend be;
    private Tensor a;
    private Tensor b;
    private Tensor c;

    /** Creates the backend and random {@code (n, n)} operands. */
    @Setup(Level.Trial)
    public void setUp() {
        be = BenchSupport.open(backend);
        a = BenchSupport.random(be, 1, n, n);
        b = BenchSupport.random(be, 2, n, n);
        c = be.zeros(n, n);
    }

    /** {@code c = a · b}, {@code 2n³} flops. */
    @Benchmark
    public void gemm() {
        be.gemm(false, false, 1f, a, b, 0f, c);
        be.synchronize();   // asynchronous backends: time the product, not its launch
    }

    /** Frees the tensors and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        BenchSupport.closeAll(a, b, c, be);
    }
}
