package dev.nnj.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Labels that skip classes (1, 2, 3; codes 0, 5, 10) size the output layer by the largest, as Spark ML does, and
 * {@code fit} warns naming the classes no row has; labels 0 .. k-1 spread over partitions say nothing.
 */
class MissingClassesTest {

    @Test
    void labelsFromOneLeaveClassZeroEmpty() {
        assertEquals("column 'label' has labels up to 3, so the network has 4 classes, and 1 of them (0) are in no "
                + "training row: labels are class indices 0 .. k-1 (StringIndexer makes them from any column)",
                TrainingData.missingClasses(List.of(new int[] {1, 2}, new int[] {2, 3}), 3, "label"));
    }

    @Test
    void codesNameTheFirstFiveMissingClasses() {
        assertEquals("column 'code' has labels up to 10, so the network has 11 classes, and 8 of them (1, 2, 3, 4, "
                + "6, …) are in no training row: labels are class indices 0 .. k-1 (StringIndexer makes them from "
                + "any column)", TrainingData.missingClasses(List.of(new int[] {0, 5}, new int[] {10}), 10, "code"));
    }

    @Test
    void everyClassPresentSomewhereIsNoWarning() {
        assertNull(TrainingData.missingClasses(List.of(new int[] {0, 2}, new int[] {}, new int[] {1}), 2, "label"));
    }
}
