package org.mixq.rl.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.cli.Mixq;
import org.mixq.core.Backend;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.Models;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.nn.train.DataSetup;

/** mixq policy convert and show on a real (untrained) model's layer list. */
class PolicyConvertCommandTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static List<QuantLayerInfo> layers;

    @BeforeAll
    static void saveModel() throws IOException {
        DataSetup data = DataSetup.create("synthetic", null, 2000, 300, 5);
        try (Backend backend = new CpuBackend(1);
             Model model = Models.create(backend, new ModelConfig("vgg11", 0.0625f, 3, 32, 32, 10, 5))) {
            layers = model.quantLayerInfos();
            checkpoint = dir.resolve("fp.ckpt");
            ModelCheckpoints.save(model, checkpoint, data.metadata());
        }
    }

    @Test
    void convertsThroughEveryFormatAndBack() throws IOException {
        int[] w = new int[layers.size()];
        StringBuilder csv = new StringBuilder("layer,w_bits,a_bits\n");
        for (int i = 0; i < w.length; i++) {
            w[i] = i == 0 || i == w.length - 1 ? 8 : 2 + i % 5;
            csv.append(layers.get(i).name()).append(',').append(w[i]).append(",32\n");
        }
        Path in = dir.resolve("policy.csv");
        Files.writeString(in, csv);
        Path previous = in;
        for (String to : List.of("nncf", "haq", "json", "csv")) {
            Path out = dir.resolve("policy-" + to + "." + (to.equals("csv") ? "csv" : "json"));
            assertEquals(0, Mixq.run("policy", "convert", "--in", previous.toString(), "--to", to, "--checkpoint",
                    checkpoint.toString(), "--out", out.toString()), to);
            assertEquals(BitPolicy.ofWeightBits(layers, w), Policies.read(out, layers), to);
            previous = out;
        }
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("policy-json.json"))).getAsJsonObject();
        assertEquals("vgg11", json.get("model").getAsString());
        assertEquals("convert", json.get("method").getAsString());
        assertEquals("haq", json.get("sourceFormat").getAsString());
        assertTrue(json.getAsJsonObject("provenance").get("command").getAsString().startsWith("mixq policy convert --in "));
        assertTrue(json.getAsJsonObject("costs").has("bitops"));
        assertEquals(Files.readString(in), Files.readString(dir.resolve("policy-csv.csv")));
        assertEquals(0, Mixq.run("policy", "show", "--in", in.toString(), "--checkpoint", checkpoint.toString()));
    }

    @Test
    void aBadPolicyIsOneLineAndExitCodeTwo() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "layer,w_bits,a_bits\nconv1,8,32\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Mixq.run("policy", "convert", "--in", bad.toString(), "--to", "nncf", "--checkpoint", checkpoint.toString(),
                    "--out", dir.resolve("never.json").toString());
        } finally {
            System.setErr(err);
        }
        assertEquals(Mixq.EXIT_USER_ERROR, code);
        String msg = captured.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("bad.csv: 1 layers, the model has " + layers.size()), msg);
        assertEquals(Mixq.EXIT_USER_ERROR, Mixq.run("policy", "convert", "--in", bad.toString(), "--to", "yaml", "--checkpoint",
                checkpoint.toString(), "--out", dir.resolve("never.json").toString()));
    }
}
