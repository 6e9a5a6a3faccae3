package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classes a ranking figure needs rows of, the one rule behind the report's line and the refusal of an undefined
 * {@code --monitor}: scikit-learn's {@code roc_auc_score} refuses one class, {@code average_precision_score} needs
 * positives only, and one-vs-rest needs every class.
 */
class RankingFiguresTest {

    @Test
    void twoClassesRocAucNeedsBothAveragePrecisionThePositiveOnly() {
        boolean[] onlyNegatives = {true, false};
        assertEquals(List.of(1), RankingFigures.missingClasses(onlyNegatives, true, 1));
        assertEquals(List.of(1), RankingFigures.missingClasses(onlyNegatives, false, 1));
        // Positive class 0 is present: its precision-recall curve is defined without negatives.
        assertEquals(List.of(1), RankingFigures.missingClasses(onlyNegatives, true, 0));
        assertEquals(List.of(), RankingFigures.missingClasses(onlyNegatives, false, 0));
        assertEquals(List.of(), RankingFigures.missingClasses(new boolean[] {true, true}, true, 1));
    }

    @Test
    void moreClassesNeedEveryClassForBothFigures() {
        boolean[] present = {true, false, true, false};
        assertEquals(List.of(1, 3), RankingFigures.missingClasses(present, true, -1));
        assertEquals(List.of(1, 3), RankingFigures.missingClasses(present, false, -1));
        assertEquals(List.of("b", "d"), RankingFigures.names(List.of(1, 3), new String[] {"a", "b", "c", "d"}));
    }
}
