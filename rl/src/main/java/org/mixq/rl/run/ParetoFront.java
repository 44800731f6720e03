package org.mixq.rl.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The points not dominated in (lower cost, higher accuracy). */
public final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * The non-dominated subset, ordered by increasing cost: a point survives when no other point
     * has cost <= its cost and accuracy >= its accuracy with at least one strict.
     */
    public static <T> List<T> of(List<T> points, ToDoubleFunction<T> cost, ToDoubleFunction<T> accuracy) {
        List<T> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(accuracy).reversed()));
        List<T> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T p : sorted) {
            double a = accuracy.applyAsDouble(p);
            if (a > best) {
                front.add(p);
                best = a;
            }
        }
        return front;
    }
}
