package org.fenghuo.simulator.util;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** Picks items with given relative weights; binary search over cumulative weights, so thousands of items are cheap. */
public final class Weighted<T> {
    private final List<T> items;
    private final double[] cumulative;

    private Weighted(List<T> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) throw new IllegalArgumentException("need one weight per item, at least one item");
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0)) throw new IllegalArgumentException("negative weight " + weights[i]);
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("weights sum to zero");
    }

    public static <T> Weighted<T> of(List<T> items, double[] weights) {
        return new Weighted<>(items, weights.clone());
    }

    public static <T> Weighted<T> of(List<T> items, java.util.function.ToDoubleFunction<T> weight) {
        return new Weighted<>(items, items.stream().mapToDouble(weight).toArray());
    }

    /** Pairs of item, weight: {@code Weighted.ofPairs("A", 3, "B", 1)}. */
    @SuppressWarnings("unchecked")
    public static <T> Weighted<T> ofPairs(Object... itemWeightPairs) {
        List<T> items = new ArrayList<>();
        double[] weights = new double[itemWeightPairs.length / 2];
        for (int i = 0; i < weights.length; i++) {
            items.add((T) itemWeightPairs[2 * i]);
            weights[i] = ((Number) itemWeightPairs[2 * i + 1]).doubleValue();
        }
        return new Weighted<>(items, weights);
    }

    public T pick(RandomGenerator rnd) {
        double x = rnd.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        if (i < 0) i = -i - 1;
        // skip zero-weight items that share a cumulative value
        while (i < cumulative.length - 1 && cumulative[i] <= x) i++;
        return items.get(i);
    }

    public List<T> items() { return items; }
}
