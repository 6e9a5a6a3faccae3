package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.LossKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The network file: round trip, and clear errors on broken input. */
class StateDictCodecTest {
    private static final NetworkSpec SPEC = new NetworkSpec(3, new int[] {4, 2},
            new Activation[] {Activation.TANH, Activation.LEAKY_RELU}, 5, LossKind.MSE);
    private final StateDictCodec codec = new StateDictCodec();

    private static Map<String, float[]> parameters() {
        Random r = new Random(1);
        Map<String, float[]> p = new LinkedHashMap<>();
        int[][] shapes = {{3, 4}, {4}, {4, 2}, {2}, {2, 5}, {5}};
        for (int i = 0; i < shapes.length; i++) {
            int size = Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b);
            float[] v = new float[size];
            for (int j = 0; j < size; j++) {
                v[j] = (float) r.nextGaussian();
            }
            p.put("dense_" + (i / 2 + 1) + (i % 2 == 0 ? ".weight" : ".bias"), v);
        }
        return p;
    }

    @Test
    void roundTripKeepsArchitectureNamesAndBits() {
        Map<String, float[]> p = parameters();
        NetworkCodec.Decoded d = codec.decode(codec.encode(SPEC, p), "mem");
        assertEquals(SPEC, d.spec());
        assertEquals(p.keySet().stream().toList(), d.parameters().keySet().stream().toList());
        for (String name : p.keySet()) {
            assertArrayEquals(p.get(name), d.parameters().get(name), name);
        }
    }

    private void assertRejected(byte[] bytes, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(bytes, "f.nnj"));
        assertTrue(e.getMessage().startsWith("f.nnj: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void brokenFilesGiveErrorsNamingTheFileAndTheProblem() {
        byte[] good = codec.encode(SPEC, parameters());
        assertRejected(Arrays.copyOf(good, 5), "NNJSPRK1");
        assertRejected(Arrays.copyOf(good, good.length - 4), "bytes of data follow");
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        assertRejected(longer, "bytes of data follow");
        byte[] hugeHeader = good.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        assertRejected(hugeHeader, "header length");
        byte[] badJson = good.clone();
        badJson[12] = '#';
        assertRejected(badJson, "not valid JSON");
        String header = "{\"inputWidth\":3,\"hidden\":[{\"units\":4,\"activation\":\"swish\"}],\"classes\":5,"
                + "\"loss\":\"mse\",\"tensors\":[]}";
        assertRejected(withHeader(header), "swish");
        String noTensors = "{\"inputWidth\":3,\"hidden\":[],\"classes\":5,\"loss\":\"mse\"}";
        assertRejected(withHeader(noTensors), "lacks 'tensors'");
    }

    private static byte[] withHeader(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + h.length).order(ByteOrder.LITTLE_ENDIAN)
                .put("NNJSPRK1".getBytes(StandardCharsets.US_ASCII)).putInt(h.length).put(h).array();
    }
}
