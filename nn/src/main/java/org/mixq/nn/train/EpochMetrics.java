package org.mixq.nn.train;

/**
 * What one training epoch measured.
 *
 * @param epoch           from 1
 * @param learningRate    the rate used in this epoch
 * @param trainLoss       mean loss over the epoch's training images
 * @param trainAccuracy   top-1 accuracy on the training batches, in training mode, as they were seen
 * @param valAccuracy     top-1 accuracy on the validation batches after the epoch; NaN without validation
 * @param trainSeconds    wall time of the training steps
 * @param evalSeconds     wall time of the validation pass
 * @param images          training images processed
 */
public record EpochMetrics(int epoch, float learningRate, double trainLoss, double trainAccuracy, double valAccuracy,
                           double trainSeconds, double evalSeconds, long images) {

    /** Training throughput. */
    public double imagesPerSecond() {
        return trainSeconds > 0 ? images / trainSeconds : 0;
    }

    public double seconds() {
        return trainSeconds + evalSeconds;
    }
}
