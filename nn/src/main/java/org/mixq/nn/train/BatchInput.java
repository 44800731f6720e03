package org.mixq.nn.train;

import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.data.Batch;
import org.mixq.nn.Scratch;

/**
 * Copies batches onto the backend: images into a reused {@code [n, c, h, w]} tensor, labels
 * into a reused float tensor of class indices (the Backend's label convention). Tensors and
 * host staging arrays are reallocated only when the batch shape changes.
 */
public final class BatchInput implements AutoCloseable {
    private final Backend backend;
    private final Scratch images;
    private final Scratch labels;
    private float[] imageStaging = new float[0];
    private float[] labelStaging = new float[0];
    private Tensor currentImages;
    private Tensor currentLabels;

    public BatchInput(Backend backend) {
        this.backend = backend;
        this.images = new Scratch(backend);
        this.labels = new Scratch(backend);
    }

    /** Loads the first {@code batch.count()} images and labels. */
    public void load(Batch batch) {
        int n = batch.count();
        int size = n * batch.imageSize();
        currentImages = images.get(n, batch.channels(), batch.height(), batch.width());
        if (batch.images().length == size) {
            backend.copyIn(currentImages, batch.images());
        } else {
            // the last batch of an epoch may sit in a longer array: stage its prefix
            if (imageStaging.length != size) {
                imageStaging = new float[size];
            }
            System.arraycopy(batch.images(), 0, imageStaging, 0, size);
            backend.copyIn(currentImages, imageStaging);
        }
        if (labelStaging.length != n) {
            labelStaging = new float[n];
        }
        for (int i = 0; i < n; i++) {
            labelStaging[i] = batch.labels()[i];
        }
        currentLabels = labels.get(n);
        backend.copyIn(currentLabels, labelStaging);
    }

    public Tensor images() {
        return currentImages;
    }

    public Tensor labels() {
        return currentLabels;
    }

    @Override
    public void close() {
        images.close();
        labels.close();
    }
}
