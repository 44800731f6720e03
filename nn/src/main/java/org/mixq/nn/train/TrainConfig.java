package org.mixq.nn.train;

/**
 * Hyperparameters of SGD training.
 *
 * @param epochs          passes over the training batches
 * @param learningRate    base rate of the schedule
 * @param momentum        SGD momentum (PyTorch's formulation, see Backend#sgdUpdate)
 * @param weightDecay     L2 decay, applied only to parameters with {@link org.mixq.nn.Parameter#decay()}
 *                        (convolution and linear weights; not BN, biases or clip thresholds)
 * @param schedule        learning rate per epoch
 * @param labelSmoothing  0 for plain cross-entropy; otherwise the target is
 *                        {@code (1 - e) * onehot + e / classes}
 * @param stepsPerEpoch   0 for full epochs, else at most this many batches per epoch (short
 *                        fine-tuning rounds of the search)
 */
public record TrainConfig(int epochs, float learningRate, float momentum, float weightDecay, LrSchedule schedule,
                          float labelSmoothing, int stepsPerEpoch) {
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (stepsPerEpoch < 0) {
            throw new IllegalArgumentException("steps per epoch must be >= 0, got " + stepsPerEpoch);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is null");
        }
    }

    /** The usual CIFAR recipe: lr 0.05, momentum 0.9, weight decay 5e-4, cosine schedule, no smoothing, full epochs. */
    public static TrainConfig defaults(int epochs) {
        return new TrainConfig(epochs, 0.05f, 0.9f, 5e-4f, LrSchedule.cosine(), 0f, 0);
    }

    public TrainConfig withLearningRate(float lr) {
        return new TrainConfig(epochs, lr, momentum, weightDecay, schedule, labelSmoothing, stepsPerEpoch);
    }

    public TrainConfig withStepsPerEpoch(int steps) {
        return new TrainConfig(epochs, learningRate, momentum, weightDecay, schedule, labelSmoothing, steps);
    }
}
