package dev.nnj.onnx;

import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.StrictJson;
import dev.nnj.onnx.proto.OnnxProto.ModelProto;
import dev.nnj.onnx.proto.OnnxProto.StringStringEntryProto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an ONNX model's {@code metadata_props} tell nnj: nothing for a graph from elsewhere, and for one nnj exported
 * ({@link OnnxExporter#toOnnx(dev.nnj.api.io.SavedModel, OnnxExporter.Input)}) the preprocessing the graph does not
 * hold, and whether the graph takes raw features or scaled ones.
 */
final class OnnxMetadata {
    private OnnxMetadata() {
    }

    /**
     * The model's metadata entries, in file order.
     *
     * @throws OnnxImportException if a key appears twice (which of the two would hold?)
     */
    static Map<String, String> entries(ModelProto model) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (entries.put(e.getKey(), e.getValue()) != null) {
                throw new OnnxImportException("metadata key '" + e.getKey() + "' appears twice");
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /**
     * The preprocessing of the {@value ModelFiles#PREPROCESSING_KEY} entry, as nnj's model file keeps it, or
     * {@link Preprocessing#none()} without one.
     *
     * @throws OnnxImportException if the entry is not a preprocessing nnj reads
     */
    static Preprocessing preprocessing(Map<String, String> entries) {
        String json = entries.get(ModelFiles.PREPROCESSING_KEY);
        if (json == null) {
            return Preprocessing.none();
        }
        try {
            return Preprocessing.fromJson(StrictJson.parseObject(json));
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException("metadata '" + ModelFiles.PREPROCESSING_KEY + "': " + e.getMessage());
        }
    }

    /**
     * Whether the {@value OnnxExporter#INPUT_KEY} entry says the graph takes raw features, its scalers in its own
     * nodes ({@link OnnxExporter.Input#RAW_FEATURES}); false for scaled features and without the entry.
     *
     * @throws OnnxImportException for another value
     */
    static boolean takesRawFeatures(Map<String, String> entries) {
        String input = entries.get(OnnxExporter.INPUT_KEY);
        if (input == null || input.equals(OnnxExporter.Input.SCALED_FEATURES.label())) {
            return false;
        }
        if (input.equals(OnnxExporter.Input.RAW_FEATURES.label())) {
            return true;
        }
        throw new OnnxImportException("metadata '" + OnnxExporter.INPUT_KEY + "' is \"" + input + "\"; nnj writes \""
                + OnnxExporter.Input.SCALED_FEATURES.label() + "\" or \"" + OnnxExporter.Input.RAW_FEATURES.label()
                + "\"");
    }
}
