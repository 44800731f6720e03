package org.mixq.rl.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.data.Batch;
import org.mixq.data.BatchLoader;
import org.mixq.data.Dataset;
import org.mixq.nn.Parameter;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.ActivationCalibration;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.Evaluator;
import org.mixq.nn.train.LrSchedule;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;

/**
 * What the search evaluates a policy on: a model restored from its full-precision weights
 * before every episode, a short quantization-aware fine-tune on the training part of the split,
 * and top-1 accuracy on the held-out validation part (never the test set).
 *
 * <p>Every episode is a pure function of (full-precision weights, policy, episode number): the
 * weights, batch-norm statistics and SGD momentum are restored, and the fine-tuning batches are
 * the training loader's epoch numbered by the episode, so a resumed search repeats exactly.
 */
public final class QuantTask implements AutoCloseable {
    private static final int CALIBRATION_STREAM = Integer.MAX_VALUE - 1;

    private final Model model;
    private final Backend backend;
    private final EpisodeProtocol protocol;
    private final float finetuneLr;
    private final Map<String, Tensor> state;
    private final List<float[]> fullPrecision = new ArrayList<>();
    private final BatchLoader train;
    private final BatchLoader validation;
    private final Trainer trainer;
    private final long fullPrecisionParams;
    private double fullPrecisionAccuracy = Double.NaN;
    private int evaluations;

    /** The task of {@code model} on {@code data}; {@code seed} orders the fine-tuning batches. */
    public QuantTask(Model model, DataSetup data, EpisodeProtocol protocol, long seed) {
        this.model = model;
        this.backend = model.backend();
        this.protocol = protocol;
        this.finetuneLr = (float) protocol.finetuneLr();
        this.state = model.state();
        for (Tensor t : state.values()) {
            fullPrecision.add(t.toArray());
        }
        this.train = BatchLoader.training(data.split().train(), data.normalization(), protocol.batchSize(), seed);
        Dataset val = data.split().validation();
        if (protocol.evalImages() > 0 && protocol.evalImages() < val.size()) {
            val = val.subset(val.name() + "[:" + protocol.evalImages() + "]", firstIndices(protocol.evalImages()));
        }
        this.validation = BatchLoader.evaluation(val, data.normalization(), Math.max(protocol.batchSize(), 256));
        TrainConfig tc = new TrainConfig(1, finetuneLr, 0.9f, (float) protocol.weightDecay(), LrSchedule.constant(), 0f,
                protocol.finetuneBatches());
        this.trainer = new Trainer(model, tc).withProgress(Progress.quiet());
        this.fullPrecisionParams = model.fullPrecisionParameterCount();
    }

    private static int[] firstIndices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    public Model model() {
        return model;
    }

    public List<QuantLayerInfo> layers() {
        return model.quantLayerInfos();
    }

    /** Policies evaluated so far (fine-tune plus validation), for equal-budget comparisons. */
    public int evaluations() {
        return evaluations;
    }

    /** Validation accuracy of the unquantized model, measured once. */
    public double fullPrecisionAccuracy() {
        if (Double.isNaN(fullPrecisionAccuracy)) {
            reset();
            fullPrecisionAccuracy = validate();
        }
        return fullPrecisionAccuracy;
    }

    /** Restores the full-precision weights and statistics, clears momentum, sets every layer to 32 bits. */
    public void reset() {
        int i = 0;
        for (Tensor t : state.values()) {
            backend.copyIn(t, fullPrecision.get(i++));
        }
        for (Parameter p : model.parameters()) {
            backend.fill(p.velocity(), 0f);
        }
        model.applyPolicy(BitPolicy.fullPrecision(layers()));
    }

    /** Sets the bit widths; activation clip thresholds are calibrated when activations are quantized. */
    public void apply(int[] weightBits, int[] activationBits) {
        model.applyPolicy(policy(weightBits, activationBits));
        for (int a : activationBits) {
            if (a != Quantizer.FULL_PRECISION) {
                ActivationCalibration.calibrate(model, validationFreeCalibrationData(), protocol.calibrationBatches());
                break;
            }
        }
    }

    /** Calibration reads training batches from an epoch no fine-tune uses, never validation data. */
    private Iterable<Batch> validationFreeCalibrationData() {
        return () -> train.epoch(CALIBRATION_STREAM);
    }

    /** Fine-tunes the current policy on {@code batches} batches of the training epoch numbered {@code stream}. */
    public void finetune(int batches, int stream) {
        if (batches <= 0) {
            return;
        }
        BatchLoader.Epoch epoch = train.epoch(stream);
        try {
            for (int b = 0; b < batches && epoch.hasNext(); b++) {
                Batch batch = epoch.next();
                if (batch.count() > 0) {
                    trainer.step(batch, finetuneLr);
                }
            }
        } finally {
            epoch.close();
        }
    }

    /** Top-1 accuracy on the validation part of the split under the current policy. */
    public double validate() {
        evaluations++;
        return Evaluator.evaluate(model, validation).value();
    }

    /** Restore, quantize, fine-tune {@link EpisodeProtocol#finetuneBatches()} batches, validate. */
    public double evaluate(int[] weightBits, int[] activationBits, int stream) {
        reset();
        apply(weightBits, activationBits);
        finetune(protocol.finetuneBatches(), stream);
        return validate();
    }

    public BitPolicy policy(int[] weightBits, int[] activationBits) {
        List<LayerBits> ls = new ArrayList<>();
        for (int i = 0; i < weightBits.length; i++) {
            ls.add(new LayerBits(layers().get(i).name(), weightBits[i], activationBits[i]));
        }
        return new BitPolicy(ls);
    }

    public ModelSize size(int[] weightBits, int[] activationBits) {
        return ModelSize.of(layers(), policy(weightBits, activationBits), fullPrecisionParams);
    }

    public double weightedBits(int[] weightBits) {
        return ModelSize.weightedBits(layers(), weightBits);
    }

    public EpisodeProtocol protocol() {
        return protocol;
    }

    @Override
    public void close() {
        trainer.close();
        train.close();
        validation.close();
    }
}
