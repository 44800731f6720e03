package org.mixq.rl.agent;

/**
 * Exact sampling from a normal distribution N(mu, sigma^2) truncated to [lo, hi], the
 * exploration noise of HAQ (scipy {@code truncnorm} around the actor output). Both branches
 * are rejection samplers, so every draw follows the truncated density exactly:
 * <ul>
 * <li>sigma up to half the interval: draw from N(mu, sigma^2) until the draw lies in [lo, hi].
 *     With mu in [lo, hi] at least {@code Phi(2) - 1/2 = 0.477} of the draws are accepted.</li>
 * <li>wider sigma: draw x uniform on [lo, hi] and accept it with probability
 *     {@code exp(-(x - mu)^2 / (2 sigma^2))}, which is the truncated density up to a constant;
 *     at least {@code exp(-2) = 0.135} of the draws are accepted.</li>
 * </ul>
 * The mean must lie in [lo, hi] (the actor's sigmoid output always does), which is what keeps
 * both acceptance rates bounded away from zero.
 */
public final class TruncatedNormal {
    private TruncatedNormal() {
    }

    /** One draw from N(mu, sigma^2) truncated to [lo, hi]; sigma 0 returns mu. */
    public static double sample(SplitMix64 rng, double mu, double sigma, double lo, double hi) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("lo must be below hi, got [" + lo + ", " + hi + "]");
        }
        if (!(mu >= lo && mu <= hi)) {
            throw new IllegalArgumentException("mu must lie in [" + lo + ", " + hi + "], got " + mu);
        }
        if (!(sigma >= 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("sigma must be finite and non-negative, got " + sigma);
        }
        if (sigma == 0) {
            return mu;
        }
        if (sigma <= 0.5 * (hi - lo)) {
            while (true) {
                double x = mu + sigma * rng.nextGaussian();
                if (x >= lo && x <= hi) {
                    return x;
                }
            }
        }
        while (true) {
            double x = rng.nextDouble(lo, hi);
            double z = (x - mu) / sigma;
            if (rng.nextDouble() < StrictMath.exp(-0.5 * z * z)) {
                return x;
            }
        }
    }
}
