package org.mixq.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.data.Batch;
import org.mixq.data.BatchLoader;
import org.mixq.nn.Mode;
import org.mixq.nn.Parameter;
import org.mixq.nn.models.Model;
import org.mixq.nn.checkpoint.ModelCheckpoints;

/**
 * Mini-batch SGD with momentum and weight decay ({@link Backend#sgdUpdate}) on softmax
 * cross-entropy, with a per-epoch learning-rate schedule. Each step: zero the gradients,
 * forward in training mode, loss, backward, update every parameter. Batches are copied into
 * reused tensors ({@link BatchInput}).
 *
 * <p>Quantization-aware fine-tuning is the same loop on a model whose bit policy is set
 * (usually restored from a full-precision checkpoint): the forward pass fake-quantizes, the
 * backward pass uses the straight-through estimator, and batch-norm statistics keep updating.
 *
 * <p>A NaN or infinite loss stops training before the update with a
 * {@link TrainingDivergedException} naming the step and the last checkpoint written.
 */
public final class Trainer implements AutoCloseable {
    private final Model model;
    private final TrainConfig config;
    private final Backend backend;
    private final BatchInput input;
    private final CrossEntropyLoss loss;
    private Progress progress = Progress.terminal();
    private Path checkpointFile;
    private Map<String, String> checkpointMetadata = Map.of();
    private Path lastCheckpoint;
    private int lastCheckpointEpoch;
    private int epoch;
    private int stepInEpoch;
    private long globalStep;
    private int lastCorrect;

    public Trainer(Model model, TrainConfig config) {
        this.model = model;
        this.config = config;
        this.backend = model.backend();
        this.input = new BatchInput(backend);
        this.loss = new CrossEntropyLoss(backend, config.labelSmoothing());
    }

    /** Replaces the terminal progress display (tests use {@link Progress#quiet()}). */
    public Trainer withProgress(Progress p) {
        this.progress = p;
        return this;
    }

    /** Saves the model to {@code file} after every epoch, with {@code metadata} added to each checkpoint. */
    public Trainer checkpointEachEpoch(Path file, Map<String, String> metadata) {
        this.checkpointFile = file;
        this.checkpointMetadata = Map.copyOf(metadata);
        return this;
    }

    public TrainConfig config() {
        return config;
    }

    /**
     * Trains {@code config.epochs()} epochs over {@code train} (iterated once per epoch) and
     * measures top-1 accuracy on {@code validation} (may be null) after each.
     *
     * @param listener called after every epoch (writing metrics files), may be null
     */
    public List<EpochMetrics> fit(Iterable<Batch> train, Iterable<Batch> validation, Consumer<EpochMetrics> listener)
            throws IOException {
        List<EpochMetrics> all = new ArrayList<>();
        int batches = batchCount(train);
        if (config.stepsPerEpoch() > 0) {
            batches = batches == 0 ? config.stepsPerEpoch() : Math.min(batches, config.stepsPerEpoch());
        }
        for (int e = 0; e < config.epochs(); e++) {
            epoch = e + 1;
            float lr = config.schedule().rate(config.learningRate(), e, config.epochs());
            String what = String.format(Locale.ROOT, "train epoch %d/%d", epoch, config.epochs());
            double lossSum = 0;
            long correct = 0;
            long images = 0;
            stepInEpoch = 0;
            long start = System.nanoTime();
            Iterator<Batch> it = train.iterator();
            try {
                while (it.hasNext() && (config.stepsPerEpoch() == 0 || stepInEpoch < config.stepsPerEpoch())) {
                    Batch batch = it.next();
                    if (batch.count() == 0) {
                        continue;
                    }
                    float l = step(batch, lr);
                    lossSum += (double) l * batch.count();
                    correct += lastCorrect;
                    images += batch.count();
                    if (progress.enabled()) {
                        progress.update(what, stepInEpoch, batches, images, String.format(Locale.ROOT, "loss %.4f", lossSum / images));
                    }
                }
            } finally {
                closeIfPossible(it);
            }
            backend.synchronize();
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            progress.done();
            double valAccuracy = Double.NaN;
            long evalStart = System.nanoTime();
            if (validation != null) {
                valAccuracy = Evaluator.evaluate(model, validation, progress, "validate epoch " + epoch).value();
            }
            double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch, lr, images == 0 ? Double.NaN : lossSum / images,
                    images == 0 ? Double.NaN : (double) correct / images, valAccuracy, trainSeconds, evalSeconds, images);
            all.add(m);
            if (checkpointFile != null) {
                saveCheckpoint(m);
            }
            if (listener != null) {
                listener.accept(m);
            }
        }
        return all;
    }

    private void saveCheckpoint(EpochMetrics m) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(checkpointMetadata);
        meta.put("epoch", Integer.toString(m.epoch()));
        meta.put("trainLoss", Double.toString(m.trainLoss()));
        meta.put("valAccuracy", Double.toString(m.valAccuracy()));
        ModelCheckpoints.save(model, checkpointFile, meta);
        lastCheckpoint = checkpointFile;
        lastCheckpointEpoch = m.epoch();
    }

    /** One SGD step on a batch at learning rate {@code lr}; returns the batch's mean loss. */
    public float step(Batch batch, float lr) {
        input.load(batch);
        return step(input.images(), input.labels(), lr);
    }

    /** One SGD step on images already on the backend; returns the batch's mean loss. */
    public float step(Tensor images, Tensor labels, float lr) {
        stepInEpoch++;
        globalStep++;
        model.zeroGrad();
        Tensor logits = model.forward(images, Mode.TRAIN);
        float l = loss.forward(logits, labels);
        if (!Float.isFinite(l)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged: the loss is %s at epoch %d, step %d (step %d overall); %s", l, epoch,
                    stepInEpoch, globalStep, lastCheckpoint == null ? "no checkpoint was written yet"
                            : "the last good checkpoint is " + lastCheckpoint + " (epoch " + lastCheckpointEpoch + ")"));
        }
        lastCorrect = backend.countCorrect(logits, labels);
        model.backward(loss.backward());
        for (Parameter p : model.parameters()) {
            backend.sgdUpdate(p.value(), p.velocity(), p.grad(), lr, config.momentum(),
                    p.decay() ? config.weightDecay() : 0f);
        }
        return l;
    }

    /** Batches per epoch when the source knows it (a {@link BatchLoader} or a collection), else 0. */
    static int batchCount(Iterable<Batch> batches) {
        if (batches instanceof BatchLoader) {
            return ((BatchLoader) batches).batchesPerEpoch();
        }
        if (batches instanceof Collection) {
            return ((Collection<?>) batches).size();
        }
        return 0;
    }

    /** Stops a loader's producer when an epoch ends early. */
    static void closeIfPossible(Iterator<Batch> it) {
        if (it instanceof AutoCloseable) {
            try {
                ((AutoCloseable) it).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the batch source failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        input.close();
        loss.close();
    }
}
