package org.mixq.data;

import java.util.SplittableRandom;

/**
 * Coverage masks (0 = background, 1 = figure) of the synthetic classes on a 32x32 grid. FigureMasks
 * come from signed distances d (negative inside) with a one-pixel soft edge,
 * {@code clamp(0.5 - d)}, so small shapes are anti-aliased rather than jagged. Textures fill a
 * soft-edged patch of random size and place, so a texture is not told apart by covering the
 * whole image. Sines come from a table: generation must take well under a second.
 */
final class FigureMasks {
    private static final int SIDE = SyntheticImages.SIDE;
    private static final double TAU = 2 * Math.PI;
    private static final int SINE_STEPS = 4096;
    private static final float[] SINE = new float[SINE_STEPS];

    static {
        for (int i = 0; i < SINE_STEPS; i++) {
            SINE[i] = (float) StrictMath.sin(TAU * i / SINE_STEPS);
        }
    }

    private FigureMasks() {
    }

    /** Draws class {@code label}'s figure into {@code mask}. */
    static void fill(float[] mask, int label, SplittableRandom rng) {
        double cx = 16 + (rng.nextDouble() - 0.5) * 12;
        double cy = 16 + (rng.nextDouble() - 0.5) * 12;
        double r = 4.5 + rng.nextDouble() * 6;
        double angle = rng.nextDouble() * TAU;
        switch (label) {
            case 0 -> disk(mask, cx, cy, r);
            case 1 -> square(mask, cx, cy, r * 0.85, angle);
            case 2 -> triangle(mask, cx, cy, r, angle);
            case 3 -> ring(mask, cx, cy, r, 1 + rng.nextDouble() * 1.5);
            case 4 -> cross(mask, cx, cy, r, r * (0.25 + rng.nextDouble() * 0.15), angle);
            case 5 -> stripes(mask, Math.toRadians(90 + jitter(rng, 20)), rng);
            case 6 -> stripes(mask, Math.toRadians(jitter(rng, 20)), rng);
            case 7 -> stripes(mask, Math.toRadians((rng.nextBoolean() ? 45 : 135) + jitter(rng, 12)), rng);
            case 8 -> checkerboard(mask, angle, 2.5 + rng.nextDouble() * 2.5, rng);
            case 9 -> dots(mask, angle, 5.5 + rng.nextDouble() * 3, 1.2 + rng.nextDouble() * 1.0, rng);
            default -> throw new IllegalArgumentException("label: " + label + " is outside 0..9");
        }
    }

    /** {@code count} small disks or squares anywhere, merged into {@code mask}: clutter that belongs to no class. */
    static void distractors(float[] mask, int count, SplittableRandom rng) {
        float[] one = new float[mask.length];
        for (int i = 0; i < count; i++) {
            double x = 1 + rng.nextDouble() * 30;
            double y = 1 + rng.nextDouble() * 30;
            double r = 1.5 + rng.nextDouble() * 2;
            if (rng.nextBoolean()) {
                disk(one, x, y, r);
            } else {
                square(one, x, y, r * 0.85, rng.nextDouble() * TAU);
            }
            for (int k = 0; k < mask.length; k++) {
                mask[k] = Math.max(mask[k], one[k]);
            }
        }
    }

    private static double jitter(SplittableRandom rng, double degrees) {
        return (rng.nextDouble() * 2 - 1) * degrees;
    }

    static void disk(float[] mask, double cx, double cy, double r) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = distance(x - cx, y - cy) - r;
                put(mask, x, y, d);
            }
        }
    }

    static void ring(float[] mask, double cx, double cy, double r, double halfWidth) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = Math.abs(distance(x - cx, y - cy) - r) - halfWidth;
                put(mask, x, y, d);
            }
        }
    }

    /** A square of half side {@code h}, turned by {@code angle}; the distance is the Chebyshev one of the turned frame. */
    static void square(float[] mask, double cx, double cy, double h, double angle) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double u = (x - cx) * cos + (y - cy) * sin;
                double v = (y - cy) * cos - (x - cx) * sin;
                put(mask, x, y, Math.max(Math.abs(u), Math.abs(v)) - h);
            }
        }
    }

    /** An equilateral triangle with circumradius {@code r}: the largest of the distances to its three edge lines. */
    static void triangle(float[] mask, double cx, double cy, double r, double angle) {
        double inradius = r / 2;
        double[] nx = new double[3];
        double[] ny = new double[3];
        for (int e = 0; e < 3; e++) {
            nx[e] = StrictMath.cos(angle + e * TAU / 3);
            ny[e] = StrictMath.sin(angle + e * TAU / 3);
        }
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = Double.NEGATIVE_INFINITY;
                for (int e = 0; e < 3; e++) {
                    d = Math.max(d, (x - cx) * nx[e] + (y - cy) * ny[e] - inradius);
                }
                put(mask, x, y, d);
            }
        }
    }

    /** A plus sign of arm length {@code r} and half thickness {@code t}: the union of two bars. */
    static void cross(float[] mask, double cx, double cy, double r, double t, double angle) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double u = Math.abs((x - cx) * cos + (y - cy) * sin);
                double v = Math.abs((y - cy) * cos - (x - cx) * sin);
                double d = Math.min(Math.max(u - r, v - t), Math.max(u - t, v - r));
                put(mask, x, y, d);
            }
        }
    }

    /** Stripes whose intensity varies along the direction {@code normal} (radians; 90 degrees = along y, so horizontal stripes). */
    static void stripes(float[] mask, double normal, SplittableRandom rng) {
        double period = 4 + rng.nextDouble() * 4;
        double fx = StrictMath.cos(normal) / period;
        double fy = StrictMath.sin(normal) / period;
        double phase = rng.nextDouble();
        float sharp = 1 + (float) rng.nextDouble() * 2;
        float[] patch = patch(rng);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float s = sine(x * fx + y * fy + phase);
                mask[y * SIDE + x] = patch[y * SIDE + x] * clamp(0.5f + 0.5f * sharp * s);
            }
        }
    }

    /** A checkerboard of square cells of side {@code cell}, turned by {@code angle}. */
    static void checkerboard(float[] mask, double angle, double cell, SplittableRandom rng) {
        double fx = StrictMath.cos(angle) / (2 * cell);
        double fy = StrictMath.sin(angle) / (2 * cell);
        double pu = rng.nextDouble();
        double pv = rng.nextDouble();
        float[] patch = patch(rng);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float s = sine(x * fx + y * fy + pu) * sine(y * fx - x * fy + pv);
                mask[y * SIDE + x] = patch[y * SIDE + x] * clamp(0.5f + 2f * s);
            }
        }
    }

    /** Round dots of radius {@code radius} on a square lattice of pitch {@code pitch}, turned by {@code angle}. */
    static void dots(float[] mask, double angle, double pitch, double radius, SplittableRandom rng) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double ou = rng.nextDouble();
        double ov = rng.nextDouble();
        float[] patch = patch(rng);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double u = (x * cos + y * sin) / pitch + ou;
                double v = (y * cos - x * sin) / pitch + ov;
                double du = (u - Math.rint(u)) * pitch;
                double dv = (v - Math.rint(v)) * pitch;
                mask[y * SIDE + x] = patch[y * SIDE + x] * clamp((float) (0.5 - (Math.sqrt(du * du + dv * dv) - radius)));
            }
        }
    }

    /** The soft-edged rectangle a texture fills: 16 to 32 pixels a side, anywhere it fits. */
    private static float[] patch(SplittableRandom rng) {
        int w = 16 + rng.nextInt(17);
        int h = 16 + rng.nextInt(17);
        double x0 = rng.nextInt(SIDE - w + 1);
        double y0 = rng.nextInt(SIDE - h + 1);
        float[] patch = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = Math.max(Math.max(x0 - x, x - (x0 + w - 1)), Math.max(y0 - y, y - (y0 + h - 1)));
                put(patch, x, y, d);
            }
        }
        return patch;
    }

    /** sqrt(dx^2 + dy^2) without Math.hypot's overflow care, which costs ten times more here. */
    private static double distance(double dx, double dy) {
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** sin(2 pi t) from the table; t in turns, any sign. */
    private static float sine(double t) {
        return SINE[(int) Math.floor(t * SINE_STEPS) & (SINE_STEPS - 1)];
    }

    private static void put(float[] mask, int x, int y, double d) {
        mask[y * SIDE + x] = clamp((float) (0.5 - d));
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
