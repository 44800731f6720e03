package org.mixq.nn.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a checkpoint file: key=value metadata (model configuration, bit policy,
 * training progress) and named tensors, both in file order. See {@link CheckpointWriter} for
 * the format.
 */
public record Checkpoint(Map<String, String> metadata, Map<String, StoredTensor> tensors) {
    public Checkpoint {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
