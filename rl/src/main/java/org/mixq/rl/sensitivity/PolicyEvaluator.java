package org.mixq.rl.sensitivity;

import java.util.List;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.env.QuantTask;

/**
 * What the sensitivity baseline needs of a model: the validation accuracy of a policy and the
 * model size. {@link #of(QuantTask)} is the real one; tests may give a formula.
 */
public interface PolicyEvaluator {
    /** Every evaluation fine-tunes on the same training epoch, so a policy's accuracy does not depend on when it is measured. */
    int STREAM = 0;

    List<QuantLayerInfo> layers();

    /** Validation accuracy of the unquantized model (a fraction). */
    double fullPrecisionAccuracy();

    /** Validation accuracy (a fraction) of the policy after the evaluator's fine-tune; one evaluation. */
    double accuracy(int[] weightBits, int[] activationBits);

    /** The model size in bytes under the policy (packed weights, scales, full-precision parameters). */
    long sizeBytes(int[] weightBits, int[] activationBits);

    /** Evaluations (fine-tune plus validation) run so far, the full-precision one included. */
    int evaluations();

    /** The search's task: restore, quantize, fine-tune its {@code finetuneBatches} on epoch {@link #STREAM}, validate. */
    static PolicyEvaluator of(QuantTask task) {
        return new PolicyEvaluator() {
            @Override
            public List<QuantLayerInfo> layers() {
                return task.layers();
            }

            @Override
            public double fullPrecisionAccuracy() {
                return task.fullPrecisionAccuracy();
            }

            @Override
            public double accuracy(int[] weightBits, int[] activationBits) {
                return task.evaluate(weightBits, activationBits, STREAM);
            }

            @Override
            public long sizeBytes(int[] weightBits, int[] activationBits) {
                return task.size(weightBits, activationBits).totalBytes();
            }

            @Override
            public int evaluations() {
                return task.evaluations();
            }
        };
    }
}
