package org.mixq.nn.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;

/**
 * Saves a {@link Model} (configuration, bit policy, every parameter and buffer) and restores
 * it. Restoring checks every tensor name and shape against the model and reports all that do
 * not match in one line. SGD velocities are not saved: a checkpoint restarts training, it does
 * not resume an epoch mid-way.
 */
public final class ModelCheckpoints {
    /** Prefix of the model configuration keys in the metadata. */
    public static final String MODEL_PREFIX = "model.";
    /** Prefix of the bit-policy keys; the value is {@code "<weight bits>/<activation bits>"}. */
    public static final String POLICY_PREFIX = "policy.";

    private ModelCheckpoints() {
    }

    /** A model and the metadata of the file it came from. */
    public record Loaded(Model model, Map<String, String> metadata) {
    }

    /**
     * Writes the model to {@code file} atomically; {@code extra} adds free-form metadata
     * (epoch, accuracy), whose keys must not start with {@code model.} or {@code policy.}.
     */
    public static void save(Model model, Path file, Map<String, String> extra) throws java.io.IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        model.config().toMap().forEach((k, v) -> meta.put(MODEL_PREFIX + k, v));
        for (LayerBits lb : model.policy().layers()) {
            meta.put(POLICY_PREFIX + lb.name(), lb.weightBits() + "/" + lb.activationBits());
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (e.getKey().startsWith(MODEL_PREFIX) || e.getKey().startsWith(POLICY_PREFIX)) {
                throw new IllegalArgumentException("checkpoint: metadata key '" + e.getKey() + "' uses a reserved prefix");
            }
            meta.put(e.getKey(), e.getValue());
        }
        model.backend().synchronize();
        CheckpointWriter.write(file, meta, model.state());
    }

    /** Builds the model the file describes, on {@code backend}, and restores its weights and policy. */
    public static Loaded load(Backend backend, Path file) throws CheckpointException {
        Checkpoint ckpt = CheckpointReader.read(file);
        ModelConfig config;
        try {
            config = ModelConfig.fromMap(stripPrefix(ckpt.metadata(), MODEL_PREFIX));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
        Model model;
        try {
            model = Models.create(backend, config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "cannot build the model it describes: " + e.getMessage());
        }
        try {
            restore(model, file, ckpt);
        } catch (CheckpointException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new Loaded(model, ckpt.metadata());
    }

    /** Restores the weights and policy in {@code file} into an existing model of the same shape. */
    public static Map<String, String> restore(Model model, Path file) throws CheckpointException {
        Checkpoint ckpt = CheckpointReader.read(file);
        restore(model, file, ckpt);
        return ckpt.metadata();
    }

    private static void restore(Model model, Path file, Checkpoint ckpt) throws CheckpointException {
        Map<String, Tensor> state = model.state();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            StoredTensor stored = ckpt.tensors().get(e.getKey());
            if (stored == null) {
                problems.add("missing tensor '" + e.getKey() + "'");
            } else if (!stored.shape().equals(e.getValue().shape())) {
                problems.add("tensor '" + e.getKey() + "' has shape " + stored.shape() + " in the file but "
                        + e.getValue().shape() + " in the model");
            }
        }
        for (String name : ckpt.tensors().keySet()) {
            if (!state.containsKey(name)) {
                problems.add("unexpected tensor '" + name + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file, "does not match model " + model.config().arch() + ": " + summarize(problems));
        }
        BitPolicy policy = policy(file, ckpt.metadata());
        try {
            model.applyPolicy(policy);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            model.backend().copyIn(e.getValue(), ckpt.tensors().get(e.getKey()).data());
        }
    }

    /** The bit policy stored in a checkpoint's metadata. */
    public static BitPolicy policy(Path file, Map<String, String> metadata) throws CheckpointException {
        List<LayerBits> layers = new ArrayList<>();
        for (Map.Entry<String, String> e : stripPrefix(metadata, POLICY_PREFIX).entrySet()) {
            String[] parts = e.getValue().split("/", -1);
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                layers.add(new LayerBits(e.getKey(), Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            } catch (NumberFormatException ex) {
                throw new CheckpointException(file, "policy entry '" + e.getKey() + "' = '" + e.getValue()
                        + "' is not <weight bits>/<activation bits>");
            }
        }
        return new BitPolicy(layers);
    }

    private static Map<String, String> stripPrefix(Map<String, String> m, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static String summarize(List<String> problems) {
        int shown = Math.min(problems.size(), 4);
        String s = String.join("; ", problems.subList(0, shown));
        return problems.size() > shown ? s + "; and " + (problems.size() - shown) + " more" : s;
    }
}
