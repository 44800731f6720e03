package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.mixq.core.Backend;
import org.mixq.data.DataFormatException;
import org.mixq.nn.checkpoint.CheckpointException;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.export.PackedModelReader;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.train.DataSetup;
import org.mixq.rl.policy.Policies;

/** Loading a checkpoint and its data for a command, with user errors as one line. */
final class Loading {
    private Loading() {
    }

    /** A model.ckpt, or a bit-packed file written by {@code mixq export}. */
    static ModelCheckpoints.Loaded checkpoint(Backend backend, Path file) {
        try {
            return PackedModelReader.isPacked(file) ? PackedModelReader.load(backend, file) : ModelCheckpoints.load(backend, file);
        } catch (CheckpointException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The checkpoint's own split and normalization (so held-out images stay held out), or {@code dataset}'s. */
    static DataSetup data(ModelCheckpoints.Loaded loaded, Path checkpoint, String dataset, Path dataDir) {
        DataSetup data;
        try {
            data = DataSetup.fromMetadata(loaded.metadata(), dataset, dataDir);
        } catch (DataFormatException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(checkpoint + ": " + e.getMessage(), e);
        }
        checkShape(checkpoint, loaded.model().config(), data);
        return data;
    }

    /** Refuses a dataset whose images or classes the model cannot take. */
    static void checkShape(Path checkpoint, ModelConfig c, DataSetup data) {
        if (c.inChannels() != data.channels() || c.imageHeight() != data.height() || c.imageWidth() != data.width()
                || c.classes() != data.classes()) {
            throw new UserError(checkpoint + ": the model takes " + c.inChannels() + "x" + c.imageHeight() + "x"
                    + c.imageWidth() + " images in " + c.classes() + " classes, " + data.dataset() + " has "
                    + data.channels() + "x" + data.height() + "x" + data.width() + " in " + data.classes());
        }
    }

    /**
     * Reads a policy in any supported format (mixq JSON, NNCF bitwidth_per_scope, HAQ pairs,
     * CSV) against the model's layers and applies it; returns it.
     */
    static BitPolicy applyPolicy(Model model, Path file) {
        try {
            BitPolicy p = Policies.read(file, model.quantLayers());
            model.applyPolicy(p);
            return p;
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }
}
