package dev.nnj.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Running an ONNX model in ONNX Runtime for Java, and holding nnj's outputs to its. */
final class OnnxRuntimeCheck {
    private OnnxRuntimeCheck() {
    }

    /**
     * Runs the model on {@code (rows, columns)} row-major inputs.
     *
     * @param model  the ONNX model's bytes
     * @param input  the graph input's name
     * @param output the graph output's name
     * @return one row of outputs per input row
     */
    static float[][] run(byte[] model, String input, String output, float[] features, int rows, int columns)
            throws OrtException {
        return run(model, input, output, features, new long[] {rows, columns});
    }

    /**
     * Runs the model on row-major inputs of the given shape, such as {@code (rows, 1, 8, 8)} images.
     *
     * @param shape the input's shape, batch first
     * @return one row of outputs per input row
     */
    static float[][] run(byte[] model, String input, String output, float[] features, long[] shape)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), shape);
             OrtSession.Result result = session.run(Map.of(input, x))) {
            return (float[][]) result.get(output).orElseThrow().getValue();
        }
    }

    /**
     * Requires every one of nnj's outputs within {@code tolerance} of ONNX Runtime's.
     *
     * @param nnj   nnj's {@code (rows, width)} outputs, row-major
     * @param ort   ONNX Runtime's outputs
     * @param what  the model, for messages
     * @return the largest difference
     */
    static double requireClose(float[] nnj, float[][] ort, int rows, int width, double tolerance, String what) {
        assertEquals(rows, ort.length, what + ": rows");
        double worst = 0;
        for (int i = 0; i < ort.length; i++) {
            assertEquals(width, ort[i].length, what + ": columns");
            for (int j = 0; j < width; j++) {
                double d = Math.abs(ort[i][j] - nnj[i * width + j]);
                assertTrue(d <= tolerance, what + ": row " + i + " column " + j + ": nnj " + nnj[i * width + j]
                        + ", ONNX Runtime " + ort[i][j]);
                worst = Math.max(worst, d);
            }
        }
        return worst;
    }
}
