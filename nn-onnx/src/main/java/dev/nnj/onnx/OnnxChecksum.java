package dev.nnj.onnx;

import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.StringStringEntryProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The checksum of nnj's ONNX exports, its {@value OnnxExporter#CHECKSUM_KEY} metadata entry: CRC-32C, as 8 lowercase
 * hex digits (as nnj's safetensors files keep theirs), of the model message without that entry, serialized by
 * protobuf-java.
 *
 * <p>ONNX has no length or checksum of its own, and protobuf reads a message cut between two fields as a whole one,
 * so a damaged or truncated file could load as another model: a weight's flipped bits, or its {@code nnj.input}
 * entry lost, which made the scaler apply twice. The CRC is of the parsed message serialized again, not of the
 * file's bytes: a file another program re-saved unchanged ({@code onnx.save(onnx.load(f), g)}, which writes the
 * fields in another order) still verifies, and the field order of nnj's own files is free
 * ({@link OnnxExporter#export(dev.nnj.api.io.SavedModel, java.nio.file.Path)} writes {@code opset_import} last).
 * Protobuf-java writes a message's known fields in field-number order, the same bytes for the same message, and an
 * nnj export holds no field its schema does not know.
 */
final class OnnxChecksum {
    private static final Pattern DIGITS = Pattern.compile("[0-9a-f]{8}");

    private OnnxChecksum() {
    }

    /** {@code model} with its checksum as its first metadata entry, in place of any it had. */
    static ModelProto add(ModelProto model) {
        ModelProto without = remove(model);
        return without.toBuilder().addMetadataProps(0, StringStringEntryProto.newBuilder()
                .setKey(OnnxExporter.CHECKSUM_KEY).setValue(crc(without))).build();
    }

    /**
     * Checks the model against its checksum entry, when it has one; a model without one (exported by another tool,
     * or by nnj before it wrote one) passes unchecked.
     *
     * @throws OnnxImportException if the entry appears twice, is not 8 hex digits, or does not match the model
     */
    static void verify(ModelProto model) {
        String saved = null;
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(OnnxExporter.CHECKSUM_KEY)) {
                if (saved != null) {
                    throw new OnnxImportException("metadata key '" + OnnxExporter.CHECKSUM_KEY + "' appears twice");
                }
                saved = e.getValue();
            }
        }
        if (saved == null) {
            return;
        }
        if (!DIGITS.matcher(saved).matches()) {
            throw new OnnxImportException("metadata '" + OnnxExporter.CHECKSUM_KEY + "' is \"" + saved + "\"; nnj "
                    + "writes a CRC-32C as 8 lowercase hex digits: the file was damaged" + howToLoadAnyway());
        }
        String actual = crc(remove(model));
        if (!actual.equals(saved)) {
            throw new OnnxImportException("the model does not match the checksum nnj saved in it ("
                    + OnnxExporter.CHECKSUM_KEY + " " + saved + ", the model's is " + actual + "): it changed after "
                    + "nnj exported it, damaged or cut short (truncated) on its way, or edited by another tool (any "
                    + "edit counts, even one that computes the same: shape inference, a new doc_string). Copy or "
                    + "export it again" + howToLoadAnyway());
        }
    }

    private static String howToLoadAnyway() {
        return "; to load a model you changed on purpose, remove its '" + OnnxExporter.CHECKSUM_KEY + "' metadata "
                + "entry first";
    }

    /** The model without its checksum entries. */
    private static ModelProto remove(ModelProto model) {
        ModelProto.Builder b = model.toBuilder();
        for (int i = b.getMetadataPropsCount() - 1; i >= 0; i--) {
            if (b.getMetadataProps(i).getKey().equals(OnnxExporter.CHECKSUM_KEY)) {
                b.removeMetadataProps(i);
            }
        }
        return b.build();
    }

    /** CRC-32C of the model serialized, as 8 lowercase hex digits; streamed, so no copy of the weights is made. */
    private static String crc(ModelProto model) {
        CRC32C crc = new CRC32C();
        try (OutputStream out = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
            model.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a null stream does not fail
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
