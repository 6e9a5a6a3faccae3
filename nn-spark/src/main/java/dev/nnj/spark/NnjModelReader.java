package dev.nnj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Loads what {@link NnjModelWriter} saved, checking the network file's size before reading it.
 *
 * @param <M> the model class
 */
final class NnjModelReader<M extends Params> extends MLReader<M> {
    /** Larger files are refused before any allocation. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final NetworkCodec codec;
    private final Class<M> type;
    /** Makes the model of a uid and a decoded network, refusing a network of the other kind with its source. */
    private final Factory<M> factory;

    /** A classifier's reader. */
    @SuppressWarnings("unchecked")
    NnjModelReader(NetworkCodec codec) {
        this(codec, (Class<M>) NnjClassificationModel.class, (uid, decoded, source) -> {
            if (decoded.spec().isRegression()) {
                throw new IllegalArgumentException(source + ": a regression network (" + decoded.spec() + "); load it "
                        + "with NnjRegressionModel.load");
            }
            return (M) new NnjClassificationModel(uid, decoded.spec(), decoded.parameters(), List.of());
        });
    }

    NnjModelReader(NetworkCodec codec, Class<M> type, Factory<M> factory) {
        this.codec = codec;
        this.type = type;
        this.factory = factory;
    }

    /** @param <M> the model class */
    @FunctionalInterface
    interface Factory<M> {
        M create(String uid, NetworkCodec.Decoded decoded, String source);
    }

    @Override
    public M load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                type.getName());
        Path file = new Path(new Path(path, "network"), NnjModelWriter.NETWORK_FILE);
        byte[] bytes;
        try {
            FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
            long length = fs.getFileStatus(file).getLen();
            if (length > MAX_BYTES) {
                throw new IllegalArgumentException(file + ": " + length + " bytes, more than a network file holds");
            }
            bytes = new byte[(int) length];
            try (FSDataInputStream in = fs.open(file)) {
                in.readFully(0, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network from " + file + ": " + e.getMessage(), e);
        }
        NetworkCodec.Decoded decoded = codec.decode(bytes, file.toString());
        M model = factory.create(metadata.uid(), decoded, file.toString());
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }
}
