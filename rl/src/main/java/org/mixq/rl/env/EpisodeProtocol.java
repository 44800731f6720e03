package org.mixq.rl.env;

/**
 * How a policy is fine-tuned and measured in an episode ({@link QuantTask}).
 *
 * @param finetuneBatches    fine-tuning batches per episode (HAQ's short fine-tune; 0 for none)
 * @param finetuneLr         fine-tuning learning rate, constant
 * @param weightDecay        fine-tuning weight decay
 * @param batchSize          fine-tuning batch size
 * @param evalImages         validation images per evaluation, 0 for the whole held-out split
 * @param calibrationBatches training batches that calibrate the activation clips
 */
public record EpisodeProtocol(int finetuneBatches, double finetuneLr, double weightDecay, int batchSize, int evalImages,
                              int calibrationBatches) {

    /** The search's defaults. */
    public static EpisodeProtocol defaults() {
        return new EpisodeProtocol(20, 0.01, 1e-4, 128, 0, 4);
    }

    public EpisodeProtocol withFinetuneBatches(int batches) {
        return new EpisodeProtocol(batches, finetuneLr, weightDecay, batchSize, evalImages, calibrationBatches);
    }
}
