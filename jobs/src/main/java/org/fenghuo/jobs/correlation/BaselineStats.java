package org.fenghuo.jobs.correlation;

/** Poisson tail probabilities and the mean and spread of a history of counts. */
final class BaselineStats {
    private BaselineStats() {}

    /** P(X ≥ k) for X ~ Poisson(lambda), computed as 1 − P(X ≤ k−1) with a stable series. */
    static double poissonTail(int k, double lambda) {
        if (k <= 0) return 1.0;
        if (lambda <= 0) return 0.0;
        // sum the upper tail directly from k while terms matter: no cancellation when the tail is tiny
        double logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
        double term = Math.exp(logTerm);
        double sum = 0;
        for (int i = k; i < k + 10_000; i++) {
            sum += term;
            term *= lambda / (i + 1);
            if (term < sum * 1e-15) break;
        }
        return Math.min(1.0, sum);
    }

    static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.log(i);
        return s;
    }

    /** Mean and standard deviation of counts (a missing period is a zero). */
    record Summary(double mean, double sd, int periods) {}

    static Summary summarise(int[] counts) {
        if (counts.length == 0) return new Summary(0, 0, 0);
        double sum = 0;
        for (int c : counts) sum += c;
        double mean = sum / counts.length;
        double var = 0;
        for (int c : counts) var += (c - mean) * (c - mean);
        double sd = counts.length > 1 ? Math.sqrt(var / (counts.length - 1)) : 0;
        return new Summary(mean, sd, counts.length);
    }
}
