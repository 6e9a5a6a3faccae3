package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast decimal path must give Float.parseFloat's bits for every text it accepts, and accept the common ones. */
class DecimalTextTest {

    /** Whether the text took the fast path; if it did, its bits must be parseFloat's. */
    private static boolean assertSameAsParseFloat(String text) {
        float fast = DecimalText.parse(text);
        if (fast == fast) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)), Float.floatToRawIntBits(fast), text);
            return true;
        }
        return false;
    }

    private static void assertFast(String text) {
        float fast = DecimalText.parse(text);
        assertTrue(fast == fast, () -> text + " should take the fast path");
        assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)), Float.floatToRawIntBits(fast), text);
    }

    @Test
    void commonNumbersReadFastAndExactly() {
        for (String text : new String[] {"0", "16", "-3", "+7", "-0", "+0", "007", "999999999", "-999999999",
                "123456789", "2147483", "0.5", "-0.25", ".5", "5.", "+.5", "-0.0", "0.0313725490196078",
                "3.14159265358979", "1e5", "1E+05", "1.5e-3", "-2.5E-7", "0e999", "123456789012345",
                "0.000000000000001", "1e22", "1e-22", "340282346638528859811704183484516925440e-38"}) {
            if (text.length() > 20) {
                assertSameAsParseFloat(text);
            } else {
                assertFast(text);
            }
        }
    }

    @Test
    void midpointsBetweenFloatsAreLeftToParseFloat() {
        // 2^24 + 1 lies halfway between 16777216 and 16777218: its nearest double is the midpoint itself.
        assertTrue(Float.isNaN(DecimalText.parse("16777217")));
        assertTrue(Float.isNaN(DecimalText.parse("33554434")));   // between 33554432 and 33554436
        assertTrue(Float.isNaN(DecimalText.parse("16777217.0")));
        assertEquals(16777216f, Float.parseFloat("16777217"));
        assertFast("33554435");   // not a midpoint: nearer 33554436
    }

    @Test
    void otherTextIsLeftToParseFloat() {
        for (String text : new String[] {"", "-", "+", ".", "-.", "e5", ".e1", "1e", "1e+", "1.5.2", "1f", "2d",
                "0x10", "nan", "NaN", "Infinity", "-inf", " 1", "1 ", "--1", "1-", "1,5", "1e99999",
                "1234567890123456789", "0.1234567890123456789012", "1e45", "1e-45", "1e39", "1e-46", "abc"}) {
            assertTrue(Float.isNaN(DecimalText.parse(text)), () -> "'" + text + "' should not take the fast path");
        }
    }

    @Test
    void randomDecimalsAgreeWithParseFloatBitForBit() {
        Random random = new Random(7);
        int fast = 0;
        for (int i = 0; i < 2_000_000; i++) {
            StringBuilder text = new StringBuilder();
            switch (random.nextInt(3)) {
                case 0 -> text.append('-');
                case 1 -> text.append(random.nextInt(4) == 0 ? "+" : "");
                default -> { }
            }
            int intDigits = random.nextInt(10);
            for (int d = 0; d < intDigits; d++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
            if (intDigits == 0 || random.nextBoolean()) {
                text.append('.');
                int fracDigits = random.nextInt(17) + (intDigits == 0 ? 1 : 0);
                for (int d = 0; d < fracDigits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(4) == 0) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : "")
                        .append(random.nextInt(30));
            }
            String s = text.toString();
            if (assertSameAsParseFloat(s)) {
                fast++;
            }
        }
        assertTrue(fast > 1_000_000, "only " + fast + " of 2,000,000 took the fast path");
    }

    @Test
    void theSeventeenDigitsPythonAndJavaWriteReadFastAndExactly() {
        Random random = new Random(5);
        int fast = 0;
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            double v = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> random.nextGaussian() * 1000;
                case 2 -> random.nextDouble() * 1e-4;     // written as 1.2345678901234567E-5
                default -> Math.rint(random.nextGaussian() * 1e6) / 1e3;
            };
            String text = Double.toString(v);
            if (assertSameAsParseFloat(text)) {
                fast++;
            }
        }
        assertTrue(fast > n - 10, "only " + fast + " of " + n + " took the fast path");
        for (String text : new String[] {"0.30000000000000004", "123.45678901234568",
                "-1.2345678901234567e-05", "0.000012345678901234567"}) {
            assertFast(text);
        }
    }

    @Test
    void powersBeyondTenToTheTwentySecondAgreeNearMidpoints() {
        Random random = new Random(13);
        int fast = 0;
        for (int i = 0; i < 300_000; i++) {
            int power = 23 + random.nextInt(15);
            float f = (float) (random.nextDouble() * Math.pow(10, random.nextBoolean() ? power : -power));
            if (!(f >= Float.MIN_NORMAL) || Float.isInfinite(f)) {
                continue;
            }
            double mid = ((double) f + Math.nextUp(f)) / 2;
            String text = new java.math.BigDecimal(mid).round(new java.math.MathContext(1 + random.nextInt(19)))
                    .toString();
            if (assertSameAsParseFloat(text)) {
                fast++;
            }
        }
        assertTrue(fast > 100_000, "only " + fast + " took the fast path");
    }

    @Test
    void integersAndNearMidpointsAgreeWithParseFloat() {
        Random random = new Random(11);
        for (int i = 0; i < 300_000; i++) {
            assertSameAsParseFloat(Long.toString(random.nextLong() % 1_000_000_000_000_000L));
            // Decimals near floats' midpoints: a float's midpoint with its last digits cut or changed.
            float f = Float.intBitsToFloat(random.nextInt() & 0x7f7fffff);
            if (Float.isFinite(f) && f != 0) {
                double mid = ((double) f + Math.nextUp(f)) / 2;
                String digits = new java.math.BigDecimal(mid).round(new java.math.MathContext(1 + random.nextInt(19)))
                        .toString();
                assertSameAsParseFloat(digits);
            }
        }
    }
}
