package dev.nnj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves an {@link NnjClassificationModel} in Spark ML's layout, on any file system Spark reaches:
 * {@code path/metadata} (class, uid, params: Spark's own metadata writer, so {@code PipelineModel.load}
 * finds the class) and {@code path/network/network.safetensors} (the network, as the {@link NetworkCodec} encodes
 * it), the latter written to a temporary name, synced and renamed, so a crash never leaves a partial file
 * under the final name.
 */
final class NnjModelWriter extends MLWriter {
    /** The network file, under {@code path/network/}. */
    static final String NETWORK_FILE = "network.safetensors";

    private final NnjClassificationModel model;
    private final NetworkCodec codec;

    NnjModelWriter(NnjClassificationModel model, NetworkCodec codec) {
        this.model = model;
        this.codec = codec;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(model, path, sparkSession());
        byte[] bytes = codec.encode(model.networkSpec(), model.parameters());
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
