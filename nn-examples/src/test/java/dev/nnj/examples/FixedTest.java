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
}
