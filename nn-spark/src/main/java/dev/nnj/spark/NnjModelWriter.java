package dev.nnj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves an {@link NnjClassificationModel} or {@link NnjRegressionModel} in Spark ML's layout, on any file system Spark
 * reaches: {@code path/metadata} (class, uid, params: Spark's own metadata writer, so {@code PipelineModel.load} finds
 * the class) and {@code path/network/network.safetensors} (the network, as the {@link NetworkCodec} encodes it), the
 * latter written to a temporary name, synced and renamed, so a crash never leaves a partial file under the final name.
 */
final class NnjModelWriter extends MLWriter {
    /** The network file, under {@code path/network/}. */
    static final String NETWORK_FILE = "network.safetensors";

    private final Params stage;
    private final NetworkSpec spec;
    private final Map<String, float[]> parameters;
    /** Entries stored beside the network (a regressor's label scaling); empty for a classifier. */
    private final Map<String, String> metadata;
    private final NetworkCodec codec;

    NnjModelWriter(NnjClassificationModel model, NetworkCodec codec) {
        this(model, model.networkSpec(), model.parameters(), Map.of(), codec);
    }

    NnjModelWriter(Params stage, NetworkSpec spec, Map<String, float[]> parameters, Map<String, String> metadata,
                   NetworkCodec codec) {
        this.stage = stage;
        this.spec = spec;
        this.parameters = parameters;
        this.metadata = metadata;
        this.codec = codec;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
        byte[] bytes = codec.encode(spec, parameters, metadata);
        Path dir = new Path(path, "network");
        Path target = new Path(dir, NETWORK_FILE);
        Path temp = new Path(dir, "." + NETWORK_FILE + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
            fs.mkdirs(dir);
            try (FSDataOutputStream out = fs.create(temp, true)) {
                out.write(bytes);
                out.hsync();
            }
            if (!fs.rename(temp, target)) {
                fs.delete(temp, false);
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the network to " + target + ": " + e.getMessage(), e);
        }
    }
}
