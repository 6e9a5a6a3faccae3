package dev.nnj.onnx;

import dev.nnj.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reading the values (float32, float64, int64) and the shape of an ONNX tensor ({@link TensorProto}), with errors that
 * name it.
 */
final class OnnxTensors {
    private OnnxTensors() {
    }

    /**
     * The tensor's values in row-major order, from {@code raw_data} (little-endian, as ONNX stores it) or
     * {@code float_data}.
     *
     * @param tensor a float32 tensor stored in the file
     * @param what   what the tensor is, for messages, e.g. {@code "node 2 (Gemm 'fc1'): weight 'fc1.weight'"}
     * @return its {@code Π dims} values
     * @throws OnnxImportException for another element type, data kept outside the file, or a value count that does not
     *                             match the shape
     */
    static float[] floats(TensorProto tensor, String what) {
        if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxImportException(what + " has element type " + typeName(tensor.getDataType())
                    + "; nnj imports float32 weights (convert the model's weights to float32 first)");
        }
        Data data = data(tensor, Float.BYTES, tensor.getFloatDataCount(), what);
        float[] values = new float[data.count];
        if (data.raw != null) {
            data.raw.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
        }
        return values;
    }

    /**
     * The values of a float32 or float64 tensor, as doubles, in row-major order.
     *
     * @param tensor a float32 or float64 tensor stored in the file
     * @param what   what the tensor is, for messages
     * @return its {@code Π dims} values
     * @throws OnnxImportException for another element type, data kept outside the file, or a value count that does not
     *                             match the shape
     */
    static double[] doubles(TensorProto tensor, String what) {
        if (tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            float[] f = floats(tensor, what);
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (tensor.getDataType() != TensorProto.DataType.DOUBLE_VALUE) {
            throw new OnnxImportException(what + " has element type " + typeName(tensor.getDataType())
                    + "; nnj imports float32 or float64 constants there");
        }
        Data data = data(tensor, Double.BYTES, tensor.getDoubleDataCount(), what);
        double[] values = new double[data.count];
        if (data.raw != null) {
            data.raw.asDoubleBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getDoubleData(i);
            }
        }
        return values;
    }

    /**
     * The values of an int64 tensor, such as a Reshape's shape, in row-major order.
     *
     * @param tensor an int64 tensor stored in the file
     * @param what   what the tensor is, for messages
     * @return its {@code Π dims} values
     * @throws OnnxImportException for another element type, data kept outside the file, or a value count that does not
     *                             match the shape
     */
    static long[] longs(TensorProto tensor, String what) {
        if (tensor.getDataType() != TensorProto.DataType.INT64_VALUE) {
            throw new OnnxImportException(what + " has element type " + typeName(tensor.getDataType())
                    + "; ONNX gives it as int64");
        }
        Data data = data(tensor, Long.BYTES, tensor.getInt64DataCount(), what);
        long[] values = new long[data.count];
        if (data.raw != null) {
            data.raw.asLongBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getInt64Data(i);
            }
        }
        return values;
    }

    /**
     * Where a tensor's values are: its {@code count} values, and {@code raw_data} as a little-endian buffer of exactly
     * that many, or null when they are in the tensor's typed field ({@code float_data}, …).
     */
    private record Data(int count, ByteBuffer raw) {
    }

    /**
     * What every reader checks before it allocates: the values are in the file, their count fits an array, and
     * {@code raw_data} holds {@code count · bytesPerValue} bytes or else the typed field {@code typedCount} values.
     */
    private static Data data(TensorProto tensor, int bytesPerValue, int typedCount, String what) {
        requireInFile(tensor, what);
        requireOneValueField(tensor, what);
        long count = elements(tensor);
        if (count > Integer.MAX_VALUE) {
            throw new OnnxImportException(what + " has " + count + " values, more than a Java array holds");
        }
        if (tensor.hasRawData()) {
            ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != count * bytesPerValue) {
                throw new OnnxImportException(what + ": shape " + Arrays.toString(dims(tensor)) + " needs "
                        + count * bytesPerValue + " bytes of raw data, the file has " + raw.remaining());
            }
            return new Data((int) count, raw);
        }
        if (typedCount != count) {
            throw new OnnxImportException(what + ": shape " + Arrays.toString(dims(tensor)) + " needs " + count
                    + " values, the file has " + typedCount);
        }
        return new Data((int) count, null);
    }

    /**
     * Refuses a tensor whose values are given twice, as {@code raw_data} and in a typed field such as
     * {@code float_data}, or in two typed fields: ONNX allows one (onnx.checker: "should contain one and only one
     * value field"), and reading either one silently would pick a model.
     */
    private static void requireOneValueField(TensorProto tensor, String what) {
        List<String> fields = new ArrayList<>();
        if (tensor.hasRawData()) {
            fields.add("raw_data");
        }
        addIf(fields, tensor.getFloatDataCount(), "float_data");
        addIf(fields, tensor.getDoubleDataCount(), "double_data");
        addIf(fields, tensor.getInt32DataCount(), "int32_data");
        addIf(fields, tensor.getInt64DataCount(), "int64_data");
        addIf(fields, tensor.getUint64DataCount(), "uint64_data");
        addIf(fields, tensor.getStringDataCount(), "string_data");
        if (fields.size() > 1) {
            throw new OnnxImportException(what + " holds its values twice, in " + String.join(" and ", fields)
                    + "; ONNX allows one field of values, and which of them is the model's is ambiguous");
        }
    }

    private static void addIf(List<String> fields, int count, String field) {
        if (count > 0) {
            fields.add(field);
        }
    }

    /** Refuses a tensor whose values are in a file of their own, beside the model's. */
    private static void requireInFile(TensorProto tensor, String what) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException(what + " keeps its values in an external file; save the model with its "
                    + "weights inside it (onnx.save_model(model, path, save_as_external_data=False))");
        }
    }

    /** {@return the tensor's dimensions} */
    static long[] dims(TensorProto tensor) {
        long[] dims = new long[tensor.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tensor.getDims(i);
        }
        return dims;
    }

    /** {@return the number of values the tensor's shape holds: 1 for a scalar} */
    static long elements(TensorProto tensor) {
        long n = 1;
        for (long d : dims(tensor)) {
            if (d < 0) {
                throw new OnnxImportException("tensor '" + tensor.getName() + "' has a negative dimension: "
                        + Arrays.toString(dims(tensor)));
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                throw new OnnxImportException("tensor '" + tensor.getName() + "' has shape "
                        + Arrays.toString(dims(tensor)) + ", more values than a Java array holds");
            }
            n *= d;
        }
        return n;
    }

    /**
     * An ONNX element type by its name ({@code float}, {@code int64}, {@code double}), or {@code #n} for a number the
     * schema does not know.
     *
     * @param dataType the {@code TensorProto.DataType} number
     * @return the name for messages
     */
    static String typeName(int dataType) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(dataType);
        return type == null ? "#" + dataType : type.name().toLowerCase(Locale.ROOT);
    }
}
