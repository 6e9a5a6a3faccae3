package dev.nnj.api.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a model file's architecture JSON is refused: by what is wrong with it first. */
class ArchitectureTest {

    /**
     * A layer type nnj does not have ({@code "conv"}, named {@code dense_1} by an edit or another tool) is named as
     * such; it was refused as a layer "named 'dense_1', but a model names its layer 1 'conv_1'".
     */
    @Test
    void anUnknownLayerTypeIsNamedBeforeTheLayersName() {
        String json = "{\"input_width\":4,\"layers\":[{\"type\":\"conv\",\"name\":\"dense_1\","
                + "\"config\":{\"units\":3}}]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.fromJson(StrictJson.parseObject(json)));
        assertTrue(e.getMessage().contains("unknown layer type 'conv'"), e.getMessage());
    }
}
