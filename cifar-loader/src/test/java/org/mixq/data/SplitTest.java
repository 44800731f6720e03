package org.mixq.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
    @Test
    void standardSplitOfCifarSizedSetIs45000And5000() {
        Split s = Split.standard(DataFiles.indexed(50_000, 10), 1);
        assertEquals(45_000, s.train().size());
        assertEquals(5_000, s.validation().size());
    }

    @Test
    void standardSplitOfMnistSizedSetIs55000And5000() {
        Split s = Split.standard(DataFiles.indexed(60_000, 10), 1);
        assertEquals(55_000, s.train().size());
        assertEquals(5_000, s.validation().size());
    }

    @Test
    void partsAreDisjointAndCoverTheSet() {
        Dataset full = DataFiles.indexed(1000, 10);
        Split s = Split.standard(full, 7);
        Set<Integer> train = ids(s.train());
        Set<Integer> val = ids(s.validation());
        assertEquals(900, train.size());
        assertEquals(100, val.size());
        assertTrue(train.stream().noneMatch(val::contains), "train and validation share an image");
        Set<Integer> all = new HashSet<>(train);
        all.addAll(val);
        assertEquals(1000, all.size());
    }

    @Test
    void labelsFollowTheirImages() {
        Split s = Split.of(DataFiles.indexed(500, 7), 300, 100, 3);
        for (Dataset d : new Dataset[] {s.train(), s.validation()}) {
            for (int i = 0; i < d.size(); i++) {
                assertEquals(DataFiles.index(d, i) % 7, d.label(i));
            }
        }
    }

    @Test
    void sameSeedGivesSameSplitAndAnotherSeedAnother() {
        Dataset full = DataFiles.indexed(1000, 10);
        assertEquals(ids(Split.standard(full, 5).validation()), ids(Split.standard(full, 5).validation()));
        assertNotEquals(ids(Split.standard(full, 5).validation()), ids(Split.standard(full, 6).validation()));
    }

    @Test
    void validationDependsOnlyOnSeedAndSizeAndSmallerTrainingSubsetsAreNested() {
        Dataset full = DataFiles.indexed(2000, 10);
        Split big = Split.of(full, 1500, 200, 11);
        Split small = Split.of(full, 300, 200, 11);
        assertEquals(ids(big.validation()), ids(small.validation()));
        assertTrue(ids(big.train()).containsAll(ids(small.train())));
        assertFalse(ids(small.train()).stream().anyMatch(ids(small.validation())::contains));
    }

    @Test
    void partsKeepTheFileOrder() {
        Split s = Split.standard(DataFiles.indexed(300, 3), 2);
        int[] order = new int[s.train().size()];
        Arrays.setAll(order, i -> DataFiles.index(s.train(), i));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertTrue(Arrays.equals(sorted, order));
    }

    @Test
    void sizesThatDoNotFitAreRejected() {
        Dataset full = DataFiles.indexed(100, 10);
        assertThrows(IllegalArgumentException.class, () -> Split.of(full, 90, 11, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(full, -1, 10, 1));
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            s.add(DataFiles.index(d, i));
        }
        return s;
    }
}
