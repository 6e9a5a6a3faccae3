package dev.nnj.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnj.api.Activation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network as {@code Sequential.stateDict()} plus the architecture as JSON, in one byte array:
 *
 * <pre>
 *   8 bytes   magic "NNJSPRK1"
 *   4 bytes   header length H, little-endian
 *   H bytes   UTF-8 JSON: {"inputWidth":64,"hidden":[{"units":64,"activation":"relu"}],"classes":10,
 *                          "loss":"categorical_crossentropy",
 *                          "tensors":[{"name":"dense_1.weight","size":4096}, …]}
 *   4·Σ size  the tensors' float32 values, little-endian, row-major, in header order
 * </pre>
 *
 * Decoding checks every length against the bytes actually present before it allocates anything.
 */
public final class StateDictCodec implements NetworkCodec {
    private static final byte[] MAGIC = "NNJSPRK1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public byte[] encode(NetworkSpec spec, Map<String, float[]> parameters) {
        ObjectNode header = JSON.createObjectNode();
        header.put("inputWidth", spec.inputWidth());
        ArrayNode hidden = header.putArray("hidden");
        int[] units = spec.hiddenUnits();
        Activation[] activations = spec.hiddenActivations();
        for (int i = 0; i < units.length; i++) {
            hidden.addObject().put("units", units[i]).put("activation", activations[i].label());
        }
        header.put("classes", spec.classes());
        header.put("loss", spec.lossName());
        ArrayNode tensors = header.putArray("tensors");
        long floats = 0;
        for (Map.Entry<String, float[]> e : parameters.entrySet()) {
            tensors.addObject().put("name", e.getKey()).put("size", e.getValue().length);
            floats += e.getValue().length;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = MAGIC.length + 4L + json.length + 4 * floats;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network of " + floats + " parameters is too large for one array");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(json.length).put(json);
        for (float[] values : parameters.values()) {
            out.asFloatBuffer().put(values);
            out.position(out.position() + 4 * values.length);
        }
        return out.array();
    }

    @Override
    public Decoded decode(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length + 4
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(source + ": not an nnj network (no NNJSPRK1 header)");
        }
        in.position(MAGIC.length);
        int headerLength = in.getInt();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > in.remaining()) {
            throw new IllegalArgumentException(source + ": header length " + headerLength + " is outside 1.."
                    + Math.min(MAX_HEADER, in.remaining()));
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, in.position(), headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": header is not valid JSON: " + e.getMessage(), e);
        }
        in.position(in.position() + headerLength);
        NetworkSpec spec;
        try {
            JsonNode hidden = required(header, "hidden", source);
            int[] units = new int[hidden.size()];
            Activation[] activations = new Activation[hidden.size()];
            for (int i = 0; i < units.length; i++) {
                units[i] = intField(hidden.get(i), "units", source);
                activations[i] = NetworkSpec.parseActivation(required(hidden.get(i), "activation", source).asText());
            }
            spec = new NetworkSpec(intField(header, "inputWidth", source), units, activations,
                    intField(header, "classes", source),
                    NetworkSpec.parseLoss(required(header, "loss", source).asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": bad architecture: " + e.getMessage(), e);
        }
        JsonNode tensors = required(header, "tensors", source);
        long floats = 0;
        for (Iterator<JsonNode> it = tensors.elements(); it.hasNext(); ) {
            int size = intField(it.next(), "size", source);
            if (size < 0) {
                throw new IllegalArgumentException(source + ": negative tensor size " + size);
            }
            floats += size;
        }
        if (4 * floats != in.remaining()) {
            throw new IllegalArgumentException(source + ": header lists " + floats + " floats (" + 4 * floats
                    + " bytes) but " + in.remaining() + " bytes of data follow");
        }
        Map<String, float[]> parameters = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = tensors.elements(); it.hasNext(); ) {
            JsonNode t = it.next();
            String name = required(t, "name", source).asText();
            float[] values = new float[intField(t, "size", source)];
            in.asFloatBuffer().get(values);
            in.position(in.position() + 4 * values.length);
            if (parameters.put(name, values) != null) {
                throw new IllegalArgumentException(source + ": tensor '" + name + "' appears twice");
            }
        }
        return new Decoded(spec, parameters);
    }

    private static JsonNode required(JsonNode node, String field, String source) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(source + ": header lacks '" + field + "'");
        }
        return value;
    }

    private static int intField(JsonNode node, String field, String source) {
        JsonNode value = required(node, field, source);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(source + ": '" + field + "' must be an integer, got " + value);
        }
        return value.intValue();
    }
}
