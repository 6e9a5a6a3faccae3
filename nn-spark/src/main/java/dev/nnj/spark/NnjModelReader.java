package dev.nnj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/** Loads what {@link NnjModelWriter} saved, checking the network file's size before reading it. */
final class NnjModelReader extends MLReader<NnjClassificationModel> {
    /** Larger files are refused before any allocation. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final NetworkCodec codec;

    NnjModelReader(NetworkCodec codec) {
        this.codec = codec;
    }

    @Override
    public NnjClassificationModel load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                NnjClassificationModel.class.getName());
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
        NnjClassificationModel model = new NnjClassificationModel(metadata.uid(), decoded.spec(),
                decoded.parameters(), List.of());
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }
}
