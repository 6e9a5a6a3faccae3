package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.LossKind;
import dev.nnj.api.Tensor;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The backend's own contracts, on the emulated device: what a training step transfers, shape errors that name
 * the op and both shapes before any kernel runs, the threading rule, out-of-memory messages, and close.
 */
class BackendContractTest {

    @Test
    void aTrainingEpochCopiesInOnlyBatchesAndCopiesOutOnlyTheTwoEpochSums() {
        EmulatedDevice device = new EmulatedDevice();
        try (CudaBackend b = new CudaBackend(device); Sequential m = ModelChecks.model(b); Adam opt = new Adam(0.01f)) {
            // Warm up: parameters are uploaded once when the model is built, optimizer state at the first step.
            ModelChecks.train(m, opt);
            int uploads = device.uploads;
            int downloads = device.downloads;
            ModelChecks.train(m, opt);
            int batches = 3 * ((300 + 31) / 32);
            assertEquals(2 * batches, device.uploads - uploads, "features and targets of each batch, nothing else");
            assertEquals(2 * 3, device.downloads - downloads, "the loss and correct-count sums, once per epoch");
        }
    }

    @Test
    void shapeErrorsNameTheOpTheArgumentsAndTheirShapesBeforeAnyLaunch() {
        EmulatedDevice device = new EmulatedDevice();
        try (CudaBackend b = new CudaBackend(device)) {
            Tensor a = b.zeros(2, 3);
            Tensor w = b.zeros(4, 5);
            Tensor c = b.zeros(2, 5);
            int launches = device.launches;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.gemm(false, false, 1f, a, w, 0f, c));
            assertTrue(e.getMessage().contains("gemm") && e.getMessage().contains("(2, 3)")
                    && e.getMessage().contains("(4, 5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.multiply(a, c, a));
            assertTrue(e.getMessage().contains("multiply") && e.getMessage().contains("'b' (2, 5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.biasActivation(a, b.zeros(4), Activation.RELU, 0f, a));
            assertTrue(e.getMessage().contains("'bias' must have 3 elements"), e.getMessage());
            Tensor square = b.zeros(3, 3);
            e = assertThrows(IllegalArgumentException.class, () -> b.gemm(false, false, 1f, square, a.backend()
                    .zeros(3, 3), 0f, square));
            assertTrue(e.getMessage().contains("must not be the same tensor"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.sgdStep(a, a, null, 0.1f, 0.9f, 0f, 0f, false, true));
            assertTrue(e.getMessage().contains("'velocity' is required"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.dropoutMask(1f, 1L, a));
            assertTrue(e.getMessage().contains("rate"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.lossSum(LossKind.MSE, a, a, 0f, c));
            assertTrue(e.getMessage().contains("'out' must have 1 elements"), e.getMessage());
            assertEquals(launches, device.launches, "nothing reached the device");
        }
    }

    @Test
    void launchGridsStayPositiveUpToTheLargestIntSizes() {
        // Shapes this large cannot be allocated here; the grid arithmetic is checked on its own.
        assertEquals(1, CudaBackend.columnBlocks(1));
        assertEquals(1, CudaBackend.columnBlocks(32));
        assertEquals(2, CudaBackend.columnBlocks(33));
        assertEquals(1 << 26, CudaBackend.columnBlocks(Integer.MAX_VALUE), "ceil((2^31 - 1) / 32), not a wrapped int");
        try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
            int maxGrid = 2 * 32;  // the emulated device's 2 SMs
            assertEquals(maxGrid, b.gridFor(Integer.MAX_VALUE, CudaBackend.ELEMENTWISE_BLOCK));
            assertEquals(maxGrid, b.gridFor(Integer.MAX_VALUE, CudaBackend.ROWS_PER_BLOCK));
            assertEquals(1, b.gridFor(1, CudaBackend.ELEMENTWISE_BLOCK));
        }
    }

    @Test
    void rowKernelsWalkTheColumnsOfTheLongestRowsWithoutWrapping() {
        // The row kernels' grids depend on rows only (gridFor, above): the longest rows are one row of up to
        // 2^31 - 1 columns, walked by one warp. Rows that long cannot be allocated here, so the column walk
        // (NNJ_FOR_EACH_COLUMN, as the emulated device ports it) is checked on its own, for the lane that ends on
        // the last column: at cols = 2^31 - 1 (the largest int) and 2^31 - 9 (the largest tensor Checks allows).
        // The step that ends each walk is past 2^31 - 1, where an int column index wraps negative and would
        // pass j < cols again.
        try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
            assertEquals(1, b.gridFor(1, CudaBackend.ROWS_PER_BLOCK), "one row, however long: one block");
        }
        for (int cols : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 8}) {
            int lane = (cols - 1) % 32;
            long[] walk = {0, -1};  // columns seen, the last one
            EmulatedDevice.forEachColumn(lane, cols, (l, j) -> {
                if (j != lane + 32 * walk[0]) {   // a wrapped index fails here rather than looping on
                    fail("lane " + lane + " of " + cols + " columns: column " + j + " after " + walk[1]);
                }
                walk[0]++;
                walk[1] = j;
            });
            assertEquals(((long) cols - lane + 31) / 32, walk[0], "lane " + lane + " of " + cols + " columns");
            assertEquals(cols - 1, walk[1], "lane " + lane + " ends on the last column of " + cols);
            assertTrue((int) (walk[1] + 32) < 0, "the step after it wraps in int: an int index would not stop");
        }
    }

    @Test
    void argmaxTreeAnswersTheLastColumnsOfTheLongestRows() {
        // nnj_warp_argmax's shuffle tree (as the emulated device ports it) on the lanes' state after walking a
        // row of 2^31 - 1 columns, which cannot be allocated here. Lane l's last column is the largest below
        // cols that is l mod 32: 2^31 - 32 + l for lanes 0 to 30 (lane 30 has the row's last, 2^31 - 2), and
        // 2^31 - 33 for lane 31. A lane that took no column (all NaN) holds NO_INDEX and never wins.
        int cols = Integer.MAX_VALUE;
        int last = cols - 1;
        float[] best = new float[32];
        int[] at = new int[32];
        for (int lane = 0; lane < 32; lane++) {
            at[lane] = (int) (lane + 32L * ((cols - 1L - lane) / 32));
            best[lane] = 1f;
        }
        assertEquals(last, at[30]);
        assertEquals(Integer.MAX_VALUE - 32, at[31]);
        assertEquals(Integer.MAX_VALUE - 32, EmulatedDevice.warpArgmaxTree(best, at),
                "a tie in every lane: the smallest index, lane 31's");
        best[30] = 2f;
        assertEquals(last, EmulatedDevice.warpArgmaxTree(best, at), "the maximum on the row's last column");

        // x[0] = -infinity, which lane 0 always takes, and every other column NaN: the other lanes' best is
        // -infinity too, a tie, but they have no index, and NO_INDEX, below every index, must not win it.
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        Arrays.fill(at, EmulatedDevice.NO_INDEX);
        at[0] = 0;
        assertEquals(0, EmulatedDevice.warpArgmaxTree(best, at), "lanes without a column never win");
        best[0] = -1f;
        best[30] = 5f;
        at[30] = last;
        assertEquals(last, EmulatedDevice.warpArgmaxTree(best, at), "the greater of the two lanes with a column");
        best[30] = -1f;
        assertEquals(0, EmulatedDevice.warpArgmaxTree(best, at), "a tie between them: the first maximum");
    }

    @Test
    void tensorsOfAnotherBackendAreRefusedByName() {
        try (CudaBackend b = new CudaBackend(new EmulatedDevice()); Backend cpu = Backends.get("cpu")) {
            Tensor mine = b.zeros(3);
            Tensor theirs = cpu.zeros(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.multiply(mine, theirs, mine));
            assertTrue(e.getMessage().contains("lives on cpu, op runs on cuda"), e.getMessage());
        }
    }

    @Test
    void anotherThreadMayCallWithTheContextMadeCurrent() throws Exception {
        EmulatedDevice device = new EmulatedDevice();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (CudaBackend b = new CudaBackend(device)) {
            Tensor t = b.zeros(1000);
            int before = device.contextSwitches;
            // The emulated device fails any call on a thread where it is not current.
            Future<float[]> f = pool.submit(() -> {
                b.fill(t, 2f);
                return t.toArray();
            });
            assertEquals(2f, f.get()[999]);
            assertTrue(device.contextSwitches > before, "made current on the worker thread");
            new EmulatedDevice();   // another device current on this thread, as other CUDA code might leave it
            b.fill(t, 3f);
            assertEquals(3f, t.toArray()[999], "and made current again back on this thread");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneThreadMayAlternateBetweenBackendsOnTwoDevices() {
        // Each device's calls fail unless its context is current on the thread: the second backend's ops leave
        // the second device current, so the first backend must set its own again before each op.
        try (CudaBackend first = new CudaBackend(new EmulatedDevice());
             CudaBackend second = new CudaBackend(new EmulatedDevice())) {
            Tensor a = first.zeros(4);
            Tensor b = second.zeros(4);
            for (int i = 1; i <= 3; i++) {
                first.fill(a, i);
                second.fill(b, 10 * i);
                assertEquals(i, a.toArray()[3]);
                assertEquals(10 * i, b.toArray()[3]);
            }
        }
    }

    @Test
    void outOfMemoryNamesSizeDeviceAndUseAfterOneRetry() {
        try (CudaBackend b = new CudaBackend(new EmulatedDevice(1 << 20))) {
            Tensor kept = b.zeros(100_000);
            b.zeros(50_000).close();
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> b.zeros(200_000));
            assertTrue(e.getMessage().contains("781.25 KiB") && e.getMessage().contains("Emulated GPU (device 0)")
                    && e.getMessage().contains("nnj holds 512.00 KiB in 1 live tensors"), e.getMessage());
            assertEquals(0, b.memoryStats().bytesCached(), "the cache was emptied for the retry");
            kept.close();
        }
    }

    @Test
    void closeFreesEverythingAndLaterUseFailsClearly() {
        EmulatedDevice device = new EmulatedDevice();
        CudaBackend b = new CudaBackend(device);
        Tensor open = b.zeros(10, 10);
        b.zeros(5).close();
        b.close();
        b.close();
        assertEquals(0, device.bytesOnDevice(), "cached and still-open blocks are freed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.fill(open, 1f));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        open.close();
    }

    @Test
    void tensorsTheCallerForgetsAreReturnedToTheCache() throws Exception {
        try (CudaBackend b = new CudaBackend(new EmulatedDevice())) {
            long start = b.memoryStats().bytesInUse();
            for (int i = 0; i < 100; i++) {
                b.zeros(1000);
            }
            for (int i = 0; i < 50 && b.memoryStats().bytesInUse() != start; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(start, b.memoryStats().bytesInUse(), "unreachable tensors handed back by the cleaner");
        }
    }
}
