package org.mixq.nn.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.core.Backend;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.Init;
import org.mixq.nn.Layer;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;
import org.mixq.nn.Scratch;

/**
 * Batch normalization over channel dim 1 of NCHW (or [n, c]) input, PyTorch's defaults:
 * momentum 0.1, eps 1e-5, gamma = 1, beta = 0, running mean 0 and variance 1. TRAIN uses the
 * batch statistics and updates the running ones; EVAL uses the running ones.
 */
public final class BatchNorm2d implements Layer {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private final Backend backend;
    private final String name;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor saveMean;
    private final Tensor saveInvStd;
    private final Scratch output;
    private final Scratch dInput;
    private Tensor savedInput;
    private boolean trainedForward;

    public BatchNorm2d(Backend backend, String name, int channels) {
        this.backend = backend;
        this.name = name;
        this.gamma = new Parameter(backend, name + ".gamma", Shape.of(channels), false);
        gamma.set(Init.filled(channels, 1f));
        this.beta = new Parameter(backend, name + ".beta", Shape.of(channels), false);
        this.runningMean = backend.alloc(channels);
        this.runningVar = backend.alloc(channels);
        backend.fill(runningVar, 1f);
        this.saveMean = backend.alloc(channels);
        this.saveInvStd = backend.alloc(channels);
        this.output = new Scratch(backend);
        this.dInput = new Scratch(backend);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.get(x.shape());
        if (mode == Mode.TRAIN) {
            backend.batchNormForwardTraining(y, saveMean, saveInvStd, runningMean, runningVar, x, gamma.value(),
                    beta.value(), MOMENTUM, EPS);
        } else {
            backend.batchNormForwardInference(y, x, gamma.value(), beta.value(), runningMean, runningVar, EPS);
        }
        savedInput = x;
        trainedForward = mode == Mode.TRAIN;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (!trainedForward) {
            throw new IllegalStateException("batch norm " + name + ": backward needs a forward in TRAIN mode (batch statistics)");
        }
        Tensor dx = dInput.get(savedInput.shape());
        backend.batchNormBackward(dx, gamma.grad(), beta.grad(), dy, savedInput, gamma.value(), saveMean, saveInvStd);
        return dx;
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(name + ".runningMean", runningMean);
        m.put(name + ".runningVar", runningVar);
        return m;
    }

    @Override
    public void close() {
        gamma.close();
        beta.close();
        runningMean.close();
        runningVar.close();
        saveMean.close();
        saveInvStd.close();
        output.close();
        dInput.close();
    }
}
