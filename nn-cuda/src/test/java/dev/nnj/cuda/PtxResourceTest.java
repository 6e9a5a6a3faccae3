package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.cuda.loader.NativeCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX matches its source and the Java side, checked without nvcc or a GPU:
 * <ul>
 *   <li>its header records the SHA-256 of {@code src/main/cuda/kernels.cu} (regenerate with
 *       {@code scripts/generate-ptx.sh} after editing the .cu);</li>
 *   <li>its ISA version is one every CUDA 12.0+ driver reads, and its target is sm_75;</li>
 *   <li>every {@link Kernel} is an entry, with the parameter list its {@link Kernel#signature()} declares.</li>
 * </ul>
 */
class PtxResourceTest {

    private static String ptx() {
        byte[] b = JCudaDevice.ptxBytes();
        assertEquals(0, b[b.length - 1], "NUL-terminated for cuModuleLoadData");
        return new String(b, 0, b.length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void headerRecordsTheHashOfTheCudaSource() throws Exception {
        Path cu = Paths.get(System.getProperty("basedir", "."), "src", "main", "cuda", "kernels.cu");
        String expected = NativeCache.sha256Hex(Files.readAllBytes(cu));
        Matcher m = Pattern.compile("(?m)^// source-sha256: ([0-9a-f]{64})$").matcher(ptx());
        assertTrue(m.find(), "no source-sha256 line in the PTX header");
        assertEquals(expected, m.group(1), "kernels.ptx is stale: run nn-cuda/scripts/generate-ptx.sh");
    }

    @Test
    void rowKernelsWalkTheirColumnsWithA64BitIndex() throws Exception {
        // A lane's column loop steps up to 31 past cols, past 2^31 - 1 for the longest rows: an int index would
        // overflow. Loops bounded by cols go through NNJ_FOR_EACH_COLUMN, whose index is a long long.
        Path cu = Paths.get(System.getProperty("basedir", "."), "src", "main", "cuda", "kernels.cu");
        String source = Files.readString(cu, StandardCharsets.UTF_8);
        Matcher intLoop = Pattern.compile("for \\((?:unsigned )?int (\\w+) = [^;]*; \\1 < (?:\\(\\w+\\) )?cols\\b")
                .matcher(source);
        if (intLoop.find()) {
            fail("a loop over a row's columns with an int index in kernels.cu: " + intLoop.group());
        }
        assertTrue(source.contains("#define NNJ_FOR_EACH_COLUMN(j, lane, cols) \\\n"
                + "    for (long long j = (lane); j < (long long) (cols); j += 32)\n"), "NNJ_FOR_EACH_COLUMN's index");
    }

    @Test
    void isaAndTargetSuitCuda12Drivers() {
        String ptx = ptx();
        Matcher v = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)$").matcher(ptx);
        assertTrue(v.find());
        int version = Integer.parseInt(v.group(1)) * 10 + Integer.parseInt(v.group(2));
        assertTrue(version <= 80, "PTX ISA " + v.group(1) + "." + v.group(2) + " needs a driver newer than CUDA 12.0");
        assertTrue(ptx.contains("\n.target sm_75\n"), "target must stay sm_75 (CudaProbe.MIN_COMPUTE_CAPABILITY)");
        assertEquals(75, CudaProbe.MIN_COMPUTE_CAPABILITY);
    }

    @Test
    void everyKernelIsAnEntryWithTheDeclaredParameters() {
        String ptx = ptx();
        for (Kernel k : Kernel.values()) {
            List<String> params = parameters(ptx, k.symbol());
            assertNotNull(params, k.symbol() + " is not an .entry of kernels.ptx");
            StringBuilder sig = new StringBuilder();
            for (String type : params) {
                switch (type) {
                    case "u64":
                    case "s64":
                    case "b64":
                        // A pointer or a 64-bit integer: both 8 bytes, as JCuda passes them.
                        sig.append('8');
                        break;
                    case "u32":
                    case "s32":
                    case "b32":
                        sig.append('I');
                        break;
                    case "f32":
                        sig.append('F');
                        break;
                    default:
                        throw new AssertionError(k.symbol() + ": unexpected parameter type " + type);
                }
            }
            assertEquals(k.signature().replace('P', '8').replace('L', '8'), sig.toString(),
                    k.symbol() + ": Kernel.signature does not match the PTX parameters " + params);
        }
    }

    @Test
    void noEntryIsLeftUnused() {
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(ptx());
        List<String> entries = new ArrayList<>();
        while (m.find()) {
            entries.add(m.group(1));
        }
        List<String> used = new ArrayList<>();
        for (Kernel k : Kernel.values()) {
            used.add(k.symbol());
        }
        assertEquals(used.size(), entries.size(), "entries " + entries + " vs kernels " + used);
        assertTrue(entries.containsAll(used));
    }

    /** The {@code .param} types of {@code .entry name(...)}, in order, or null if there is no such entry. */
    static List<String> parameters(String ptx, String name) {
        int at = ptx.indexOf(".visible .entry " + name + "(");
        if (at < 0) {
            return null;
        }
        int end = ptx.indexOf(')', at);
        Matcher m = Pattern.compile("\\.param \\.(\\w+) " + name + "_param_\\d+").matcher(ptx.substring(at, end));
        List<String> types = new ArrayList<>();
        while (m.find()) {
            types.add(m.group(1));
        }
        return types;
    }
}
