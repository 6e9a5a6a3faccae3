package dev.nnj.onnx;

import dev.nnj.onnx.proto.OnnxProto.AttributeProto;
import dev.nnj.onnx.proto.OnnxProto.NodeProto;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attributes ONNX defines for each operator nnj imports, in any opset, so that an importer can refuse the rest.
 *
 * <p>An attribute the importer does not read is otherwise ignored, and the node is imported as though it were not
 * there: a {@code Softmax} with a {@code temperature} would compute the plain softmax. onnx.checker refuses such a
 * node ("Unrecognized attribute"); so does nnj. Attributes of older opsets that do not change what the node computes
 * on a {@code (batch, features)} tensor ({@code consumed_inputs}, {@code is_test}, {@code spatial}, Gemm's
 * {@code broadcast}) are known, and pass.
 */
final class KnownAttributes {

    private static final Set<String> NONE = Set.of();
    private static final Set<String> LEGACY = Set.of("consumed_inputs");
    /** Add, Sub, Mul and Div before opset 7 took {@code broadcast} and {@code axis}; see {@link #check}. */
    private static final Set<String> ARITHMETIC = Set.of("axis", "broadcast", "consumed_inputs");

    private static final Map<String, Set<String>> BY_OPERATOR = Map.ofEntries(
            Map.entry("Gemm", Set.of("alpha", "beta", "transA", "transB", "broadcast")),
            Map.entry("MatMul", NONE),
            Map.entry("Add", ARITHMETIC),
            Map.entry("Sub", ARITHMETIC),
            Map.entry("Mul", ARITHMETIC),
            Map.entry("Div", ARITHMETIC),
            Map.entry("Identity", NONE),
            Map.entry("Dropout", Set.of("ratio", "is_test", "seed", "consumed_inputs")),
            Map.entry("Flatten", Set.of("axis")),
            Map.entry("Relu", LEGACY),
            Map.entry("Sigmoid", LEGACY),
            Map.entry("Tanh", LEGACY),
            Map.entry("PRelu", LEGACY),
            Map.entry("LeakyRelu", Set.of("alpha", "consumed_inputs")),
            Map.entry("Elu", Set.of("alpha", "consumed_inputs")),
            Map.entry("Softmax", Set.of("axis")),
            Map.entry("LogSoftmax", Set.of("axis")),
            Map.entry("Reshape", Set.of("allowzero", "shape", "consumed_inputs")),
            Map.entry("Cast", Set.of("to", "saturate", "round_mode")),
            Map.entry("Transpose", Set.of("perm")),
            Map.entry("BatchNormalization",
                    Set.of("epsilon", "momentum", "spatial", "is_test", "training_mode", "consumed_inputs")),
            Map.entry("Constant", Set.of("value", "value_float", "value_floats", "value_int", "value_ints",
                    "value_string", "value_strings", "sparse_value")));

    private KnownAttributes() {
    }

    /**
     * Refuses an attribute ONNX does not define for the node's operator, and an {@code axis} on Add, Sub, Mul or Div
     * (opsets 1-6, where it aligned the constant with another dimension than the last; nnj broadcasts as numpy does,
     * the rule of opset 7 on). Operators not in the table are left to the importer, which refuses them by name.
     *
     * @param where the node as messages name it, e.g. {@code node 3 (Softmax 'out')}
     */
    static void check(NodeProto node, String where) {
        Set<String> known = BY_OPERATOR.get(node.getOpType());
        if (known == null) {
            return;
        }
        for (AttributeProto a : node.getAttributeList()) {
            if (!known.contains(a.getName())) {
                throw new OnnxImportException(where + " has the attribute '" + a.getName() + "', which ONNX does not "
                        + "define for " + node.getOpType() + (known.isEmpty() ? " (it defines none)"
                        : " (it defines " + String.join(", ", new TreeSet<>(known)) + ")") + "; onnx.checker refuses "
                        + "it too, and imported without it the node would compute something else than the file says");
            }
            if (a.getName().equals("axis") && known == ARITHMETIC) {   // Add, Sub, Mul or Div
                throw new OnnxImportException(where + " has the attribute 'axis' of opsets 1-6, which broadcasts "
                        + "its constant from another dimension than the last; nnj imports numpy-style broadcasting, "
                        + "ONNX's rule from opset 7 (export the model with opset 7 or later)");
            }
        }
    }
}
