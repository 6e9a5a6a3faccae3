package dev.nnj.api.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When a FAILED gradient check adds that a hidden kink makes such differences: a disagreement or two just past the
 * tolerance, not a wrong derivative's share in most elements (a verifier's 5 % error, r 9.9e-3 where gradients were
 * near the resolution, 35 of 51 elements off, got the line), and not a NaN gradient.
 */
class HiddenKinkRuleTest {
    private static final double TOLERANCE = GradientCheck.DEFAULT_TOLERANCE;

    @Test
    void aFewDisagreementsJustPastTheToleranceLookLikeAKink() {
        assertTrue(GradientCheck.looksLikeAHiddenKink(1, 51, 1.1e-3, TOLERANCE));
        assertTrue(GradientCheck.looksLikeAHiddenKink(5, 51, 9e-3, TOLERANCE));
    }

    @Test
    void manyDisagreementsFarOffOrNaNDoNot() {
        assertFalse(GradientCheck.looksLikeAHiddenKink(35, 51, 9.9e-3, TOLERANCE), "most elements off");
        assertFalse(GradientCheck.looksLikeAHiddenKink(6, 51, 2e-3, TOLERANCE), "more than one in ten");
        assertFalse(GradientCheck.looksLikeAHiddenKink(1, 51, 0.2, TOLERANCE), "far off");
        assertFalse(GradientCheck.looksLikeAHiddenKink(1, 51, Double.NaN, TOLERANCE), "a NaN gradient");
        assertFalse(GradientCheck.looksLikeAHiddenKink(0, 51, 0, TOLERANCE), "nothing failed");
    }
}
