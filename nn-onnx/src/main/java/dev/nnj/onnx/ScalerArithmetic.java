package dev.nnj.onnx;

import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.StandardScaler;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of nnj's raw-features graph, in graph order, in one place: {@link OnnxExporter} writes it as nodes,
 * and {@link OnnxImporter} checks that a graph carrying nnj's metadata still computes it before it hands the scalers
 * back as the model's preprocessing. Each operation is in double, on one constant per column, as the scalers compute:
 * <pre>
 *   scaler          min-max   x · scale + offset          standard   (x - mean) / scale   (each part as it has it)
 *   target scaler   min-max   (y - offset) / scale        standard   y · scale + mean     (the inverse)
 * </pre>
 */
final class ScalerArithmetic {
    /**
     * One operation.
     *
     * @param op       Add, Sub, Mul or Div
     * @param constant the name of its constant in the graph
     * @param values   the constant: one value per column
     * @param output   the name of its result
     */
    record Op(String op, String constant, double[] values, String output) {
    }

    private ScalerArithmetic() {
    }

    /**
     * The scaler's map from raw features to the network's input.
     *
     * @param scaler a fitted {@link MinMaxScaler} or {@link StandardScaler}
     */
    static List<Op> forward(Object scaler) {
        List<Op> ops = new ArrayList<>();
        if (scaler instanceof MinMaxScaler) {
            MinMaxScaler m = (MinMaxScaler) scaler;
            ops.add(new Op("Mul", "scaler.scale", m.scale(), "scaler.scaled"));
            ops.add(new Op("Add", "scaler.offset", m.offset(), "scaler.shifted"));
        } else {
            StandardScaler st = (StandardScaler) scaler;
            if (st.withMean()) {
                ops.add(new Op("Sub", "scaler.mean", st.mean(), "scaler.centred"));
            }
            if (st.withStd()) {
                ops.add(new Op("Div", "scaler.scale", st.scale(), "scaler.divided"));
            }
        }
        return ops;
    }

    /**
     * The inverse of a target scaler: from the network's output to the targets' own units.
     *
     * @param targetScaler a fitted {@link MinMaxScaler} or {@link StandardScaler}
     */
    static List<Op> inverse(Object targetScaler) {
        List<Op> ops = new ArrayList<>();
        if (targetScaler instanceof MinMaxScaler) {
            MinMaxScaler m = (MinMaxScaler) targetScaler;
            ops.add(new Op("Sub", "target_scaler.offset", m.offset(), "target_scaler.unshifted"));
            ops.add(new Op("Div", "target_scaler.scale", m.scale(), "target_scaler.unscaled"));
        } else {
            StandardScaler st = (StandardScaler) targetScaler;
            if (st.withStd()) {
                ops.add(new Op("Mul", "target_scaler.scale", st.scale(), "target_scaler.unscaled"));
            }
            if (st.withMean()) {
                ops.add(new Op("Add", "target_scaler.mean", st.mean(), "target_scaler.uncentred"));
            }
        }
        return ops;
    }

    /** The operations as one affine map per column; an empty map for none. */
    static AffineMap map(List<Op> ops) {
        AffineMap map = new AffineMap();
        for (Op op : ops) {
            map.add(op.op(), op.values(), op.constant());
        }
        return map;
    }
}
