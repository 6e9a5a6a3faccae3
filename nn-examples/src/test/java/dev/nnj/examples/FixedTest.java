package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The command line's four-decimal figures round as Python's, and so as its classification report does. */
class FixedTest {

    @Test
    void aTieOfTheShortestDecimalRoundsAsPythonDoes() {
        double accuracy = 3477.0 / 4000;   // the double just below 0.86925
        assertEquals("0.8693", String.format(Locale.ROOT, "%.4f", accuracy), "Java's rule, which the lines had");
        assertEquals("0.8692", Fixed.four(accuracy), "Python's format(x, '.4f') and the report's");
        assertEquals("0.9222", Fixed.four(332.0 / 360));
        assertEquals("1.0000", Fixed.four(1));
        assertEquals("NaN", Fixed.four(Double.NaN));
    }

    @Test
    void aLineOfFiguresRoundsEachAsPythonAndLeavesTheOtherConversionsToJava() {
        assertEquals("epoch  3/30  loss 0.9812 acc 0.8187  100%  elapsed 1.50 s" + System.lineSeparator(),
                Fixed.format("epoch %2d/%d  loss %.4f acc %.4f  100%%  elapsed %.2f s%n", 3, 30, 157.0 / 160,
                        131.0 / 160, 1.5));
        assertEquals("R2 -6.0000e+55", Fixed.format("R2 %.4e", -6e55));
        assertEquals("mean NaN", Fixed.format("mean %.4f", Double.NaN));
    }

    @Test
    void aNegativeFigureThatRoundsToZeroKeepsItsSignAndScientificFiguresRoundAsPythonToo() {
        assertEquals("-0.0000", Fixed.four(-0.00003), "Python's format(-0.00003, '.4f')");
        assertEquals("-0.0000", Fixed.four(-0.0));
        assertEquals("0.0000", Fixed.four(0.00003));
        assertEquals("1.0000e+06", Fixed.format("%.4e", 1000050.0), "Python's format(1000050.0, '.4e'): half to even");
        assertEquals("1.0001e+06", String.format(java.util.Locale.ROOT, "%.4e", 1000050.0), "Java's, half up");
        assertEquals("[    0.8692]  [0.8692    ]", Fixed.format("[%10.4f]  [%-10.4f]", 3477.0 / 4000, 3477.0 / 4000));
        assertEquals("   1.2e-05", Fixed.format("%10.1e", 0.0000123), "a width on an exponent form");
    }
}
