package org.mixq.nn.train;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.data.Batch;
import org.mixq.nn.Mode;
import org.mixq.nn.models.Model;

/** Top-1 accuracy of a model in evaluation mode (BN running statistics, current bit policy). */
public final class Evaluator {
    private Evaluator() {
    }

    /** Correct predictions out of a number of images. */
    public record Accuracy(long correct, long total) {
        /** correct / total, NaN for no images. */
        public double value() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }

    public static Accuracy evaluate(Model model, Iterable<Batch> batches) {
        return evaluate(model, batches, Progress.quiet(), "eval");
    }

    public static Accuracy evaluate(Model model, Iterable<Batch> batches, Progress progress, String what) {
        Backend backend = model.backend();
        long correct = 0;
        long total = 0;
        int done = 0;
        int expected = Trainer.batchCount(batches);
        try (BatchInput input = new BatchInput(backend)) {
            for (Batch batch : batches) {
                if (batch.count() == 0) {
                    continue;
                }
                input.load(batch);
                Tensor logits = model.forward(input.images(), Mode.EVAL);
                correct += backend.countCorrect(logits, input.labels());
                total += batch.count();
                progress.update(what, ++done, expected, total, "");
            }
        }
        progress.done();
        return new Accuracy(correct, total);
    }
}
