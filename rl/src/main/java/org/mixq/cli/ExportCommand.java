package org.mixq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.export.PackedModelWriter;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.ModelSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a checkpoint under a bit policy as a bit-packed model file ({@link PackedModelWriter}):
 * the file holds exactly the model size the search reports (packed weights, float32 scales and
 * clips, float32 parameters) plus a header and a checksum, and prints the three so the sum can
 * be checked. The quantization runs on the CPU backend.
 */
@Command(name = "export", description = "Writes a bit-packed model file whose size is the model size plus a header.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "The model.ckpt to export.")
    Path checkpoint;

    @Option(names = "--policy", description = "Bit-policy JSON file (e.g. a search's best-policy.json) applied on top of the"
            + " checkpoint's own policy.")
    Path policy;

    @Option(names = "--out", required = true, description = "The packed model file to write (e.g. model.mixq).")
    Path out;

    @Override
    public Integer call() {
        Checks.existingFile("--checkpoint", checkpoint);
        Checks.existingFile("--policy", policy);
        Checks.outputFile("--out", out, checkpoint, policy);
        try (Backend backend = Backends.get("cpu")) {
            ModelCheckpoints.Loaded loaded = Loading.checkpoint(backend, checkpoint);
            try (Model model = loaded.model()) {
                if (policy != null) {
                    Loading.applyPolicy(model, policy);
                }
                PackedModelWriter.Written written;
                long fileBytes;
                try {
                    written = PackedModelWriter.write(model, loaded.metadata(), out);
                    fileBytes = Files.size(out);
                } catch (IOException e) {
                    throw new UserError(out + ": cannot write: " + e.getMessage(), e);
                }
                print(model, written, fileBytes);
            }
        }
        return 0;
    }

    /** {@code fileBytes} is measured on disk, so the printed sum checks the file itself. */
    private void print(Model model, PackedModelWriter.Written w, long fileBytes) {
        ModelSize size = w.size();
        System.out.println("model   " + model.config() + " (" + checkpoint + ")");
        System.out.printf(Locale.ROOT, "bits    %.3f weighted-average weight bits over %d layers%n", model.weightedBits(),
                model.quantLayerInfos().size());
        System.out.printf(Locale.ROOT, "size    %d bytes = weights %d + scales and clips %d + full-precision params %d%n",
                size.totalBytes(), size.weightBytes(), size.scaleBytes(), size.fullPrecisionBytes());
        System.out.printf(Locale.ROOT, "file    %s: %d bytes = model size %d + header %d + checksum %d%n", out, fileBytes,
                w.payloadBytes(), w.headerBytes(), PackedModelWriter.CHECKSUM_BYTES);
    }
}
