package org.mixq.core.cpu;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.core.ConvSpec;
import org.mixq.core.Tensor;
import org.mixq.core.testing.RandomArrays;

/**
 * Every CPU op family on fixed random inputs, reduced to one SHA-256 of the output bits per
 * op: the reproducible mode must give the same lines in any JVM, on any thread count and
 * vector width. {@link #main} runs it on the backend that {@link Backends#best()} gives (so a
 * child JVM goes through the same mode switch as a user), one line per op on standard output.
 *
 * <p>The convolutions reach every path: direct (32 x 32 planes, whose filter gradient the
 * default mode sends to the direct kernel), panels (8 x 8, 3x3 with padding 1), im2col + GEMM
 * (stride 2, several groups of images) and the pointwise 1 x 1 GEMM; the products are deeper
 * than one packed block and split into several tiles.
 */
final class ReproducibleWorkload {
    private final Backend b;
    private final SplittableRandom rnd = new SplittableRandom(2026);
    private final List<String> lines = new ArrayList<>();

    private ReproducibleWorkload(Backend backend) {
        this.b = backend;
    }

    /** One line per op: its name and the SHA-256 of its outputs' bits. */
    static List<String> run(Backend backend) {
        ReproducibleWorkload w = new ReproducibleWorkload(backend);
        w.gemms();
        w.convs();
        w.normAndPooling();
        w.lossAndUpdate();
        w.fakeQuant();
        return w.lines;
    }

    public static void main(String[] args) {
        try (Backend backend = Backends.best()) {
            run(backend).forEach(System.out::println);
        }
    }

    private void gemms() {
        int[][] sizes = {{70, 1001, 300}, {300, 40, 700}, {9, 37, 5}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Tensor a = random(-1f, 1f, ta ? s[2] : s[0], ta ? s[0] : s[2]);
                Tensor bm = random(-1f, 1f, tb ? s[1] : s[2], tb ? s[2] : s[1]);
                Tensor c = random(-1f, 1f, s[0], s[1]);
                b.gemm(c, a, bm, ta, tb, 1.5f, t == 0 ? 0f : 0.75f);
                record("gemm " + s[0] + "x" + s[1] + "x" + s[2] + " t" + t, c);
            }
        }
    }

    private void convs() {
        // n, c, hw, k, stride, pad, filter
        int[][] layers = {{4, 8, 32, 16, 1, 1, 3}, {6, 16, 8, 24, 1, 1, 3}, {64, 4, 10, 8, 2, 0, 3}, {3, 12, 6, 20, 1, 0, 1},
                {2, 64, 16, 32, 1, 1, 3}};
        for (int[] l : layers) {
            ConvSpec spec = ConvSpec.of(l[4], l[5]);
            int p = spec.outH(l[2], l[6]);
            Tensor x = random(-1f, 1f, l[0], l[1], l[2], l[2]);
            Tensor w = random(-0.5f, 0.5f, l[3], l[1], l[6], l[6]);
            Tensor bias = random(-1f, 1f, l[3]);
            Tensor dy = random(-1f, 1f, l[0], l[3], p, p);
            Tensor y = b.alloc(l[0], l[3], p, p);
            Tensor dx = b.alloc(l[0], l[1], l[2], l[2]);
            Tensor dw = random(-1f, 1f, l[3], l[1], l[6], l[6]);
            Tensor dBias = random(-1f, 1f, l[3]);
            b.conv2dForward(y, x, w, bias, spec);
            b.conv2dBackwardData(dx, dy, w, spec);
            b.conv2dBackwardFilter(dw, dBias, dy, x, spec);
            String name = "conv " + java.util.Arrays.toString(l);
            record(name + " y", y);
            record(name + " dx", dx);
            record(name + " dw", dw);
            record(name + " dBias", dBias);
        }
    }

    private void normAndPooling() {
        int[] dims = {8, 16, 12, 12};
        Tensor x = random(-1f, 3f, dims);
        Tensor gamma = random(0.5f, 1.5f, 16);
        Tensor beta = random(-0.5f, 0.5f, 16);
        Tensor y = b.alloc(dims);
        Tensor mean = b.alloc(16);
        Tensor invStd = b.alloc(16);
        Tensor runningMean = random(-0.1f, 0.1f, 16);
        Tensor runningVar = random(0.9f, 1.1f, 16);
        b.batchNormForwardTraining(y, mean, invStd, runningMean, runningVar, x, gamma, beta, 0.1f, 1e-5f);
        Tensor dx = b.alloc(dims);
        Tensor dGamma = b.alloc(16);
        Tensor dBeta = b.alloc(16);
        b.batchNormBackward(dx, dGamma, dBeta, random(-1f, 1f, dims), x, gamma, mean, invStd);
        Tensor inferred = b.alloc(dims);
        b.batchNormForwardInference(inferred, x, gamma, beta, runningMean, runningVar, 1e-5f);
        record("batchNorm", y, mean, invStd, runningMean, runningVar, dx, dGamma, dBeta, inferred);
        Tensor relu = b.alloc(dims);
        b.reluForward(relu, x);
        Tensor dRelu = b.alloc(dims);
        b.reluBackward(dRelu, random(-1f, 1f, dims), relu);
        Tensor pooled = b.alloc(8, 16, 6, 6);
        b.maxPool2dForward(pooled, x, 2, 2);
        Tensor dPool = b.alloc(dims);
        b.maxPool2dBackward(dPool, random(-1f, 1f, 8, 16, 6, 6), x, pooled, 2, 2);
        Tensor avg = b.alloc(8, 16);
        b.globalAvgPoolForward(avg, x);
        Tensor dAvg = b.alloc(dims);
        b.globalAvgPoolBackward(dAvg, random(-1f, 1f, 8, 16));
        record("relu and pooling", relu, dRelu, pooled, dPool, avg, dAvg);
    }

    private void lossAndUpdate() {
        Tensor logits = random(-4f, 4f, 64, 10);
        float[] labels = new float[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(10);
        }
        Tensor target = b.alloc(64);
        b.copyIn(target, labels);
        Tensor loss = b.alloc(1);
        Tensor probs = b.alloc(64, 10);
        b.softmaxCrossEntropyForward(loss, probs, logits, target);
        Tensor dLogits = b.alloc(64, 10);
        b.softmaxCrossEntropyBackward(dLogits, probs, target);
        record("softmax cross-entropy", loss, probs, dLogits);
        Tensor param = random(-1f, 1f, 5000);
        Tensor velocity = random(-0.1f, 0.1f, 5000);
        Tensor grad = random(-1f, 1f, 5000);
        Tensor biasY = random(-1f, 1f, 8, 16, 3, 3);
        b.biasAdd(biasY, random(-1f, 1f, 16));
        Tensor dBias = random(-1f, 1f, 16);
        b.biasBackward(dBias, biasY);
        Tensor sum = b.alloc(5000);
        b.add(sum, param, grad);
        b.sgdUpdate(param, velocity, grad, 0.05f, 0.9f, 5e-4f);
        record("elementwise and sgd", biasY, dBias, sum, param, velocity);
    }

    private void fakeQuant() {
        Tensor w = random(-1f, 1f, 32, 16, 3, 3);
        for (int bits : new int[] {1, 2, 3, 4, 8}) {
            Tensor wq = b.alloc(32, 16, 3, 3);
            Tensor mask = b.alloc(32, 16, 3, 3);
            Tensor scale = b.alloc(32);
            b.fakeQuantWeightsForward(wq, mask, scale, w, bits);
            Tensor dw = b.alloc(32, 16, 3, 3);
            b.fakeQuantWeightsBackward(dw, random(-1f, 1f, 32, 16, 3, 3), mask);
            Tensor x = random(-0.5f, 3f, 8, 16, 6, 6);
            Tensor clip = random(1.5f, 2.5f, 1);
            Tensor y = b.alloc(8, 16, 6, 6);
            Tensor dx = b.alloc(8, 16, 6, 6);
            Tensor dClip = b.alloc(1);
            if (bits >= 2) {
                b.fakeQuantActivationsForward(y, x, clip, bits);
                b.fakeQuantActivationsBackward(dx, dClip, random(-1f, 1f, 8, 16, 6, 6), x, clip);
            }
            record("fake quant " + bits + " bits", wq, mask, scale, dw, y, dx, dClip);
        }
    }

    private Tensor random(float lo, float hi, int... dims) {
        Tensor t = b.alloc(dims);
        b.copyIn(t, RandomArrays.uniform(rnd, t.size(), lo, hi));
        return t;
    }

    private void record(String name, Tensor... outputs) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Tensor t : outputs) {
            float[] v = t.toArray();
            ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES);
            bytes.asFloatBuffer().put(v);
            sha.update(bytes.array());
        }
        lines.add(name + " " + HexFormat.of().formatHex(sha.digest()));
    }
}
