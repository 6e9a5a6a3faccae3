package dev.nnj.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ClassWeights#balanced} against scikit-learn's {@code compute_class_weight("balanced", ...)}. */
class ClassWeightsTest {

    /**
     * Rows of classes 0, 1 and 2 (70, 25 and 5 of them) for a model of four outputs: scikit-learn counts the three
     * classes of {@code y}, {@code 100 / (3 · n_c)} = 0.47619, 1.33333, 6.66667. Counting the fourth, empty output
     * gave 0.357, 1 and 5, every weight 3/4 of scikit-learn's.
     */
    @Test
    void balancedCountsTheClassesTheRowsHaveAsScikitLearnDoes() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 70 ? 0 : i < 95 ? 1 : 2;
        }
        ClassWeights w = ClassWeights.balanced(Dataset.ofLabels(new float[100], 1, labels, 4));
        assertEquals(100.0 / (3 * 70), w.weight(0), 1e-6);
        assertEquals(100.0 / (3 * 25), w.weight(1), 1e-6);
        assertEquals(100.0 / (3 * 5), w.weight(2), 1e-6);
        assertEquals(1.0, w.weight(3), 0, "an output no row marks: weight 1, used by no row");

        ClassWeights all = ClassWeights.balanced(Dataset.ofLabels(new float[100], 1, labels, 3));
        assertEquals(100.0 / (3 * 5), all.weight(2), 1e-6, "every class present: as before");
    }
}
