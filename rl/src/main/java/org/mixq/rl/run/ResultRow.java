package org.mixq.rl.run;

/** A final result: method, accuracies (validation and test, NaN when not measured), bits, size. */
public record ResultRow(String method, double validationAccuracy, double testAccuracy, double weightedBits, long sizeBytes) {
}
