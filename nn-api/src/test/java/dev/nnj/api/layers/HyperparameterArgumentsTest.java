package dev.nnj.api.layers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.init.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A NaN or infinite slope, scale or initial value is refused where it is given: let through, it would surface as
 * a NaN output far from its cause, with a message about input scaling.
 */
class HyperparameterArgumentsTest {

    private static void refused(Executable construction, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage() + " should say " + fragment);
        }
    }

    @Test
    void nonFiniteAlphaIsRefusedByEveryLayerThatTakesOne() {
        for (float alpha : List.of(Float.NaN, Float.POSITIVE_INFINITY, -0.5f)) {
            refused(() -> new LeakyReLU(alpha), "alpha must be finite and >= 0", Float.toString(alpha));
            refused(() -> new ELU(alpha), "alpha must be finite and >= 0");
            refused(() -> new ActivationLayer(Activation.ELU, alpha), "alpha must be finite and >= 0");
            refused(() -> new Dense(3, Activation.LEAKY_RELU, alpha, Initializer.glorotUniform(),
                    Initializer.zeros()), "alpha must be finite and >= 0");
        }
    }

    @Test
    void theAlphaRuleIsFiniteAndAtLeastZero() {
        for (float alpha : List.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.5f,
                -Float.MIN_VALUE)) {
            assertFalse(Activation.isValidAlpha(alpha), Float.toString(alpha));
        }
        for (float alpha : List.of(0f, -0f, Float.MIN_VALUE, 0.01f, 1.8615961f, Float.MAX_VALUE)) {
            assertTrue(Activation.isValidAlpha(alpha), Float.toString(alpha));
        }
    }

    private static CustomActivation named(String name) {
        return new CustomActivation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public float apply(float z) {
                return z;
            }

            @Override
            public float derivative(float z) {
                return 1;
            }
        };
    }

    /** The name becomes the layer type and name ({@code swish_1}): null, "", "My Act" would make null_1, _1, My Act_1. */
    @Test
    void aCustomActivationNeedsALowerCaseIdentifierForName() {
        refused(() -> new CustomActivationLayer(named(null)), "lower-case identifier", "got null");
        refused(() -> new CustomActivationLayer(named("")), "lower-case identifier", "got \"\"");
        refused(() -> new CustomActivationLayer(named("My Act")), "lower-case identifier", "got \"My Act\"");
        refused(() -> new CustomActivationLayer(named("1st")), "got \"1st\"");
        CustomActivationLayer ok = new CustomActivationLayer(named("gelu_tanh2"));
        assertTrue(ok.type().equals("gelu_tanh2") && ok.describe().equals("custom gelu_tanh2"), ok.describe());
    }

    @Test
    void nonFiniteInitializerSettingsAreRefused() {
        refused(() -> Initializer.constant(Float.NaN), "constant initializer", "NaN");
        refused(() -> Initializer.constant(Float.NEGATIVE_INFINITY), "constant initializer", "Infinity");
        refused(() -> Initializer.normal(Double.NaN, 1), "normal initializer", "mean NaN");
        refused(() -> Initializer.normal(0, Double.POSITIVE_INFINITY), "normal initializer", "std Infinity");
        refused(() -> Initializer.uniform(-1, Double.POSITIVE_INFINITY), "uniform needs finite low <= high");
    }
}
