package org.mixq.rl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mixq.rl.search.SearchRun;

/** Which episode is "best" under an accuracy budget, a cost budget, or neither. */
class AccuracyBudgetSelectionTest {
    private static final double FP = 0.90;

    /** Drops in points: r0 0, r1 0.3, r2 0.7, r3 0.4, r4 0.2, r5 10. */
    private static final EpisodeRow R0 = row(0, 0.00, 0.900, 100);
    private static final EpisodeRow R1 = row(1, -0.03, 0.897, 50);
    private static final EpisodeRow R2 = row(2, -0.07, 0.893, 40);
    private static final EpisodeRow R3 = row(3, -0.04, 0.896, 45);
    private static final EpisodeRow R4 = row(4, -0.02, 0.898, 45);
    private static final EpisodeRow R5 = row(5, 0.50, 0.800, 30);
    private static final List<EpisodeRow> ROWS = List.of(R0, R1, R2, R3, R4, R5);

    private static EpisodeRow row(int e, double reward, double acc, double cost) {
        return new EpisodeRow(e, reward, acc, 3.0, 1000, cost, new int[] {8, 3, 8}, new int[] {32, 32, 32}, 1.0);
    }

    @Test
    void withoutABudgetTheHighestRewardWins() {
        assertSame(R5, Selection.highestReward().choose(ROWS));
        assertSame(SearchRun.best(ROWS), Selection.highestReward().choose(ROWS));
        assertNull(Selection.highestReward().choose(List.of()));
    }

    @Test
    void lowestCostWithinTheDropAndTheMoreAccurateOfEqualCosts() {
        Selection s = Selection.accuracyBudget(FP, 0.5, 0);
        assertSame(R4, s.choose(ROWS), "r3 and r4 both cost 45 within 0.5 points; r4 is more accurate");
        assertTrue(s.meets(R4));
        assertFalse(s.meets(R2));
        assertSame(R2, Selection.accuracyBudget(FP, 1.0, 0).choose(ROWS));
        assertSame(R0, Selection.accuracyBudget(FP, 0, 0).choose(ROWS), "a drop of 0 keeps full-precision accuracy");
        assertSame(R5, Selection.accuracyBudget(FP, 10, 0).choose(ROWS));
    }

    @Test
    void theDropIsAbsolutePointsNotRelative() {
        // 0.5 points below 90% is 89.5%; 0.5% relative would be 89.55%.
        EpisodeRow at = row(0, 0, 0.8950, 10);
        EpisodeRow below = row(1, 0, 0.8949, 5);
        assertSame(at, Selection.accuracyBudget(FP, 0.5, 0).choose(List.of(at, below)));
    }

    @Test
    void withACostTargetToo() {
        assertSame(R4, Selection.accuracyBudget(FP, 0.5, 45).choose(ROWS));
        Selection tight = Selection.accuracyBudget(FP, 0.5, 44);
        EpisodeRow fallback = tight.choose(ROWS);
        assertSame(R2, fallback, "no row meets both: the most accurate within the cost target");
        assertFalse(tight.meets(fallback));
        assertSame(R5, Selection.accuracyBudget(FP, 0.5, 10).choose(ROWS), "none within the cost: the cheapest");
    }

    @Test
    void costBudgetPicksTheMostAccurateWithinIt() {
        assertSame(R4, Selection.costBudget(45).choose(ROWS));
        assertSame(R2, Selection.costBudget(44).choose(ROWS));
        assertSame(R0, Selection.costBudget(0).choose(ROWS));
        assertSame(R5, Selection.costBudget(1).choose(ROWS));
    }

    @Test
    void theOrderOfTheRowsDoesNotMatterAndTheEarliestEqualWins() {
        Random rnd = new Random(3);
        for (Selection s : List.of(Selection.accuracyBudget(FP, 0.5, 0), Selection.accuracyBudget(FP, 0.5, 44),
                Selection.costBudget(45), Selection.highestReward())) {
            EpisodeRow expected = s.choose(ROWS);
            for (int k = 0; k < 20; k++) {
                List<EpisodeRow> shuffled = new ArrayList<>(ROWS);
                Collections.shuffle(shuffled, rnd);
                assertSame(expected, s.choose(shuffled), s.describe());
            }
        }
        EpisodeRow twin = row(9, -0.02, 0.898, 45);
        assertSame(R4, Selection.accuracyBudget(FP, 0.5, 0).choose(List.of(R4, twin)));
        assertSame(twin, Selection.accuracyBudget(FP, 0.5, 0).choose(List.of(twin, R4)));
    }

    @Test
    void describesItselfAndRefusesANegativeDrop() {
        assertEquals("lowest cost within 0.5 points of full precision (90.00%) and cost <= 44.0",
                Selection.accuracyBudget(FP, 0.5, 44).describe());
        assertEquals("highest accuracy with cost <= 45.0", Selection.costBudget(45).describe());
        assertThrows(IllegalArgumentException.class, () -> Selection.accuracyBudget(FP, -1, 0));
    }
}
