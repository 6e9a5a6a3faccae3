package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.io.SavedModel;
import dev.nnj.onnx.proto.OnnxProto.AttributeProto;
import dev.nnj.onnx.proto.OnnxProto.GraphProto;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;
import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken ONNX files get a clear refusal, never another exception: thousands of files damaged at random, byte by byte
 * and node by node (attribute values out of range among the damages: a negative alpha reached {@code Dense}'s
 * constructor until the importer checked it), each either imports or is refused with an {@link OnnxImportException}
 * (or an {@link IOException}); a {@code NullPointerException}, an index out of bounds or an error of any other kind
 * fails the test, naming the damage.
 */
class OnnxImportFuzzTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.get("cpu");
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxImportFuzzTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /**
     * Imports the bytes as {@code loadSaved} does; fails the test on anything but success or a clear refusal.
     *
     * @return 1 when imported, 0 when refused
     */
    private static int importOrRefuse(byte[] bytes, String damage) {
        try (SavedModel ignored = OnnxImporter.loadSaved(new ByteArrayInputStream(bytes), "fuzz.onnx", backend)) {
            return 1;   // the damage left a network nnj reads (a changed weight, a renamed node)
        } catch (OnnxImportException | IOException e) {
            return 0;   // refused with a message: what a broken file should get
        } catch (RuntimeException | Error e) {
            return fail(damage + ": " + e, e);
        }
    }

    @Test
    void bytesDamagedAtRandomAreImportedOrRefusedClearly() throws IOException {
        Random r = new Random(23);
        int imported = 0;
        int trials = 0;
        for (String file : new String[] {"torch_batchnorm.onnx", "torch_images.onnx"}) {
            byte[] original = resource(file);
            for (int trial = 0; trial < 1500; trial++) {
                byte[] bytes = original.clone();
                int flips = 1 + r.nextInt(4);
                StringBuilder damage = new StringBuilder(file + ", trial " + trial + ":");
                for (int f = 0; f < flips; f++) {
                    int at = r.nextInt(bytes.length);
                    bytes[at] = (byte) r.nextInt(256);
                    damage.append(" byte ").append(at);
                }
                if (r.nextInt(10) == 0) {
                    int length = r.nextInt(bytes.length);
                    bytes = java.util.Arrays.copyOf(bytes, length);
                    damage.append(", cut to ").append(length);
                }
                imported += importOrRefuse(bytes, damage.toString());
                trials++;
            }
        }
        System.out.printf("damaged bytes: %d of %d files imported, the rest refused%n", imported, trials);
    }

    @Test
    void graphsDamagedNodeByNodeAreImportedOrRefusedClearly() throws IOException {
        Random r = new Random(29);
        int imported = 0;
        int trials = 0;
        for (String file : new String[] {"torch_batchnorm.onnx", "torch_digits.onnx", "torch_images.onnx",
            "torch_activations.onnx", "torch_prelu.onnx"}) {
            ModelProto original = ModelProto.parseFrom(resource(file));
            for (int trial = 0; trial < 600; trial++) {
                GraphProto.Builder g = original.getGraph().toBuilder();
                String damage = file + ", trial " + trial + ": " + damage(g, r);
                imported += importOrRefuse(original.toBuilder().setGraph(g).build().toByteArray(), damage);
                trials++;
            }
        }
        System.out.printf("damaged graphs: %d of %d imported, the rest refused%n", imported, trials);
    }

    /**
     * nnj's own export with its metadata damaged: the preprocessing's JSON with characters changed, dropped or
     * repeated, and values of other JSON types; each imports or is refused naming the metadata key.
     */
    @Test
    void metadataDamagedAtRandomIsImportedOrRefusedClearly() throws IOException {
        Random r = new Random(31);
        ModelProto original;
        try (dev.nnj.api.model.Sequential model = DigitsNetwork.build(backend, 16, 3)) {
            float[] x = dev.nnj.api.data.Digits.load().features();
            dev.nnj.api.io.Preprocessing p = dev.nnj.api.io.Preprocessing.none()
                    .withScaler(new dev.nnj.api.data.StandardScaler().fit(x, 64))
                    .withClassNames(dev.nnj.api.data.Digits.classNames());
            // Without its checksum, which would refuse every change: the metadata's own checks are under test.
            original = OnnxChecksumTest.withoutChecksum(OnnxExporter.toOnnx(new SavedModel(model, p,
                    java.util.Map.of()), OnnxExporter.Input.RAW_FEATURES));
        }
        String[] swaps = {"0", "-1", "1e999", "\"\"", "null", "[]", "{}", "true", "[1,2]", "\"x\""};
        int imported = 0;
        for (int trial = 0; trial < 1500; trial++) {
            ModelProto.Builder m = original.toBuilder();
            int key = r.nextInt(m.getMetadataPropsCount());
            StringBuilder json = new StringBuilder(m.getMetadataProps(key).getValue());
            int at = r.nextInt(Math.max(1, json.length()));
            String damage;
            switch (r.nextInt(4)) {
                case 0:
                    json.deleteCharAt(at);
                    damage = "a character dropped";
                    break;
                case 1:
                    String chars = "{}[],:\"0-.e ";
                    json.setCharAt(at, chars.charAt(r.nextInt(chars.length())));
                    damage = "a character changed";
                    break;
                case 2:
                    json.insert(at, json.charAt(at));
                    damage = "a character repeated";
                    break;
                default: {
                    // A value after a colon replaced by one of another type.
                    int colon = json.indexOf(":", at);
                    if (colon < 0) {
                        colon = json.indexOf(":");
                    }
                    int end = colon + 1;
                    while (end < json.length() && ",}".indexOf(json.charAt(end)) < 0 && json.charAt(end) != '[') {
                        end++;
                    }
                    if (colon >= 0) {
                        json.replace(colon + 1, end, swaps[r.nextInt(swaps.length)]);
                    }
                    damage = "a value replaced";
                }
            }
            m.setMetadataProps(key, m.getMetadataProps(key).toBuilder().setValue(json.toString()));
            imported += importOrRefuse(m.build().toByteArray(), "trial " + trial + ": " + damage + " at " + at
                    + " in " + m.getMetadataProps(key).getKey() + " = " + json);
        }
        System.out.printf("damaged metadata: %d of 1500 imported, the rest refused%n", imported);
    }

    /** One structural change to the graph, described. */
    private static String damage(GraphProto.Builder g, Random r) {
        switch (r.nextInt(9)) {
            case 0: {
                int i = r.nextInt(g.getNodeCount());
                g.removeNode(i);
                return "node " + i + " removed";
            }
            case 1: {
                int i = r.nextInt(g.getInitializerCount());
                g.removeInitializer(i);
                return "initializer " + i + " removed";
            }
            case 2: {
                int i = r.nextInt(g.getNodeCount());
                NodeProto.Builder n = g.getNode(i).toBuilder();
                if (n.getInputCount() > 0) {
                    java.util.List<String> inputs = new java.util.ArrayList<>(n.getInputList());
                    inputs.remove(r.nextInt(inputs.size()));
                    n.clearInput().addAllInput(inputs);
                }
                g.setNode(i, n);
                return "an input of node " + i + " removed";
            }
            case 3: {
                int i = r.nextInt(g.getNodeCount());
                String[] ops = {"Relu", "Gemm", "MatMul", "Add", "BatchNormalization", "Flatten", "Reshape", "Softmax",
                    "Cast", "Div", "Identity", "Transpose", "LeakyRelu", "PRelu", "LogSoftmax", "Elu"};
                String op = ops[r.nextInt(ops.length)];
                g.setNode(i, g.getNode(i).toBuilder().setOpType(op));
                return "node " + i + " made a " + op;
            }
            case 4: {
                int i = r.nextInt(g.getInitializerCount());
                TensorProto.Builder t = g.getInitializer(i).toBuilder();
                if (t.getDimsCount() > 0) {
                    t.setDims(r.nextInt(t.getDimsCount()), r.nextInt(5) - 1);
                }
                g.setInitializer(i, t);
                return "a dimension of initializer " + i + " changed";
            }
            case 5: {
                int i = r.nextInt(g.getInitializerCount());
                g.setInitializer(i, g.getInitializer(i).toBuilder().setDataType(r.nextInt(17)));
                return "the element type of initializer " + i + " changed";
            }
            case 6: {
                int i = r.nextInt(g.getNodeCount());
                NodeProto.Builder n = g.getNode(i).toBuilder().clearAttribute();
                g.setNode(i, n);
                return "the attributes of node " + i + " cleared";
            }
            case 7: {
                // A value out of range: a negative or NaN alpha, epsilon or scale; an axis or flag off by a few.
                int i = r.nextInt(g.getNodeCount());
                NodeProto.Builder n = g.getNode(i).toBuilder();
                if (n.getAttributeCount() == 0) {
                    return "node " + i + " left as it was (no attributes)";
                }
                int k = r.nextInt(n.getAttributeCount());
                AttributeProto.Builder a = n.getAttribute(k).toBuilder();
                float[] floats = {-1f, -0.25f, 0f, Float.NaN, Float.POSITIVE_INFINITY, 1e30f};
                long[] ints = {-2, -1, 0, 1, 2, 7};
                a.setF(floats[r.nextInt(floats.length)]).setI(ints[r.nextInt(ints.length)]);
                g.setNode(i, n.setAttribute(k, a));
                return "attribute '" + a.getName() + "' of node " + i + " set to " + a.getF() + " / " + a.getI();
            }
            default: {
                int i = r.nextInt(g.getNodeCount());
                int j = r.nextInt(g.getNodeCount());
                NodeProto a = g.getNode(i);
                g.setNode(i, g.getNode(j));
                g.setNode(j, a);
                return "nodes " + i + " and " + j + " swapped";
            }
        }
    }
}
