package org.mixq.nn.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.mixq.data.Batch;
import org.mixq.nn.Mode;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.QuantizableLayer;

/**
 * Sets every activation clip threshold from data: runs a few batches in evaluation mode with
 * activations unquantized and takes, per layer, the mean of the per-batch input maxima.
 */
public final class ActivationCalibration {
    private ActivationCalibration() {
    }

    /** Observes at most {@code maxBatches} batches; returns how many were used. */
    public static int calibrate(Model model, Iterable<Batch> batches, int maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("calibration: maxBatches must be >= 1, got " + maxBatches);
        }
        List<ActivationQuantizer> quantizers = new ArrayList<>();
        for (QuantizableLayer l : model.quantizableLayers()) {
            if (l.activationQuantizer() != null) {
                quantizers.add(l.activationQuantizer());
            }
        }
        quantizers.forEach(ActivationQuantizer::startObserving);
        int used = 0;
        Iterator<Batch> it = batches.iterator();
        try (BatchInput input = new BatchInput(model.backend())) {
            while (used < maxBatches && it.hasNext()) {
                Batch batch = it.next();
                if (batch.count() == 0) {
                    continue;
                }
                input.load(batch);
                model.forward(input.images(), Mode.EVAL);
                used++;
            }
        } finally {
            Trainer.closeIfPossible(it);
            quantizers.forEach(ActivationQuantizer::calibrate);
        }
        return used;
    }
}
