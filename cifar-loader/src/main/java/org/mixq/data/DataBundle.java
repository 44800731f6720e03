package org.mixq.data;

/** A dataset's two published parts: the training set and the test set, which are never mixed. */
public record DataBundle(Dataset train, Dataset test) {
    public DataBundle {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train " + train + " and test " + test + " differ in image shape or classes");
        }
    }
}
