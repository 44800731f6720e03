package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.mixq.core.Backend;
import org.mixq.data.DataFormatException;
import org.mixq.data.Datasets;
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

    /**
     * The checkpoint's own split and normalization (so held-out images stay held out), or
     * {@code dataset}'s; a dataset the model cannot take is refused before it is read.
     */
    static DataSetup data(ModelCheckpoints.Loaded loaded, Path checkpoint, String dataset, Path dataDir) {
        String name = dataset != null ? dataset : loaded.metadata().get(DataSetup.NAME);
        if (name != null && Datasets.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            checkShape(checkpoint, loaded.model().config(), name);
        }
        try {
            return DataSetup.fromMetadata(loaded.metadata(), dataset, dataDir);
        } catch (DataFormatException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a dataset (one of {@link Datasets#NAMES}) whose images or classes the model cannot take. */
    static void checkShape(Path checkpoint, ModelConfig c, String dataset) {
        Datasets.Shape s = Datasets.shape(dataset);
        if (c.inChannels() != s.channels() || c.imageHeight() != s.height() || c.imageWidth() != s.width()
                || c.classes() != s.classes()) {
            throw new UserError(checkpoint + ": the model takes " + c.inChannels() + "x" + c.imageHeight() + "x"
                    + c.imageWidth() + " images in " + c.classes() + " classes, " + dataset + " has "
                    + s.channels() + "x" + s.height() + "x" + s.width() + " in " + s.classes());
        }
    }

    /**
     * Reads a policy in any supported format (mixq JSON, NNCF bitwidth_per_scope, HAQ pairs,
     * CSV) against the model's layers and applies it; returns it.
     */
    static BitPolicy applyPolicy(Model model, Path file) {
        try {
            BitPolicy p = Policies.read(file, model.quantLayerInfos());
            model.applyPolicy(p);
            return p;
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }
}
