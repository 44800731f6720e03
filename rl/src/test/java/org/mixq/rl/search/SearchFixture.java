package org.mixq.rl.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.data.BatchLoader;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.train.DataSetup;
import org.mixq.nn.train.Progress;
import org.mixq.nn.train.TrainConfig;
import org.mixq.nn.train.Trainer;

/** A tiny trained full-precision checkpoint on the synthetic set, and the search flags the tests share. */
final class SearchFixture {
    private SearchFixture() {
    }

    /** A VGG-11 at 1/16 width trained for a few dozen steps, saved with its data split. */
    static Path checkpoint(Path dir) throws IOException {
        DataSetup data = DataSetup.create("synthetic", null, 4000, 500, 7);
        try (Backend backend = new CpuBackend(2);
             Model model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, data.channels(), data.height(),
                     data.width(), data.classes(), 7));
             BatchLoader train = BatchLoader.training(data.split().train(), data.normalization(), 64, 7)) {
            TrainConfig tc = TrainConfig.defaults(1).withStepsPerEpoch(40);
            try (Trainer trainer = new Trainer(model, tc).withProgress(Progress.quiet())) {
                trainer.fit(train, null, null);
            }
            Path file = dir.resolve("fp.ckpt");
            ModelCheckpoints.save(model, file, data.metadata());
            return file;
        }
    }

    /** Command-line arguments of a short, small search. */
    static List<String> searchArgs(Path checkpoint, Path out, int episodes) {
        return new ArrayList<>(List.of("search", "--checkpoint", checkpoint.toString(), "--out", out.toString(),
                "--episodes", Integer.toString(episodes), "--warmup", "3", "--finetune-batches", "2", "--batch-size", "32",
                "--eval-images", "200", "--hidden1", "32", "--hidden2", "32", "--agent-batch", "16", "--target-bits", "4"));
    }
}
