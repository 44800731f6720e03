package org.mixq.rl.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.nn.Sequential;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.QuantLayerInfo;

/** Every policy format round-trips, is detected from its content, and every bad file fails with one clear line. */
class PoliciesTest {
    static final List<QuantLayerInfo> LAYERS = List.of(
            new QuantLayerInfo(0, "conv1", QuantLayerInfo.Kind.CONV, 3, 4, 3, 1, 8, 8, 108, 6912, false),
            new QuantLayerInfo(1, "conv2", QuantLayerInfo.Kind.CONV, 4, 8, 3, 1, 8, 8, 288, 18432, true),
            new QuantLayerInfo(2, "stage1.block1.conv1", QuantLayerInfo.Kind.CONV, 8, 8, 3, 2, 8, 8, 576, 9216, true),
            new QuantLayerInfo(3, "fc", QuantLayerInfo.Kind.LINEAR, 128, 10, 1, 1, 1, 1, 1280, 1280, true));

    /** Weights 8/3/2/32 bits (the last left in full precision), inputs: image, 4, full precision, 8. */
    static final BitPolicy MIXED = new BitPolicy(List.of(new LayerBits("conv1", 8, 32), new LayerBits("conv2", 3, 4),
            new LayerBits("stage1.block1.conv1", 2, 32), new LayerBits("fc", 32, 8)));

    @TempDir
    Path dir;

    @Test
    void csvNncfAndHaqRoundTrip() throws IOException {
        for (PolicyFormat f : List.of(PolicyFormat.CSV, PolicyFormat.NNCF, PolicyFormat.HAQ)) {
            Path file = dir.resolve("p." + f.label());
            Policies.write(file, f, MIXED, LAYERS, "vgg11");
            Policies.Loaded back = Policies.load(file, LAYERS);
            assertEquals(f, back.format(), f.label());
            assertEquals(MIXED, back.policy(), f.label() + ":\n" + Files.readString(file));
            assertEquals(List.of(), back.notes());
        }
    }

    @Test
    void mixqJsonRoundTripsWithItsFigures() throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("reward", -0.25);
        figures.put("meetsBudget", true);
        PolicyDocument doc = new PolicyDocument("vgg11", 0.0625, "search", LAYERS, new int[] {8, 3, 2, 32},
                new int[] {32, 4, 32, 8}, 0.91, 0.92, 3.1, 4567, "size", 12345, Map.of("size", 12345.0), figures,
                new Provenance("mixq search --seed 3", 3L, "2025-01-01T00:00:00Z", null));
        Path file = dir.resolve("best-policy.json");
        doc.write(file);
        assertEquals(MIXED, Policies.read(file, LAYERS));
        JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals("mixq-policy", root.get("format").getAsString());
        assertEquals(0.91, root.get("validationAccuracy").getAsDouble());
        assertEquals(-0.25, root.get("reward").getAsDouble());
        assertEquals("mixq search --seed 3", root.getAsJsonObject("provenance").get("command").getAsString());
        assertFalse(root.getAsJsonObject("provenance").has("commit"), "an unknown commit is left out");
        assertEquals(1280, root.getAsJsonArray("layers").get(3).getAsJsonObject().get("params").getAsLong());
        assertTrue(Files.readString(file).contains("{\"name\": \"conv2\", \"params\": 288, \"wbits\": 3, \"abits\": 4}"),
                Files.readString(file));
    }

    @Test
    void nncfFilesFromNncfMapByOrderAndIgnoreOutputQuantizers() throws IOException {
        Path file = dir.resolve("hawq.json");
        Files.writeString(file, """
                {"compression": {"algorithm": "quantization", "initializer": {"precision": {"type": "manual",
                  "bitwidth_per_scope": [
                    [8, "VGG/Sequential[features]/NNCFConv2d[0]/conv2d_0|WEIGHT"],
                    [8, "VGG/ReLU[relu]/relu__0|OUTPUT"],
                    [4, "VGG/Sequential[features]/NNCFConv2d[3]/conv2d_0|WEIGHT"],
                    [6, "VGG/Sequential[features]/NNCFConv2d[3]/conv2d_0|INPUT0"],
                    [2, "VGG/Sequential[features]/NNCFConv2d[7]module_weight"],
                    [8, "VGG/NNCFLinear[classifier]"]
                  ]}}}}
                """);
        Policies.Loaded p = Policies.load(file, LAYERS);
        assertEquals(PolicyFormat.NNCF, p.format());
        assertEquals(new BitPolicy(List.of(new LayerBits("conv1", 8, 32), new LayerBits("conv2", 4, 6),
                new LayerBits("stage1.block1.conv1", 2, 32), new LayerBits("fc", 8, 32))), p.policy());
        assertEquals(1, p.notes().size());
        assertTrue(p.notes().get(0).contains("|OUTPUT"), p.notes().get(0));
        Files.writeString(file, "[[2, \"M/NNCFConv2d[a]\"], [3, \"M/NNCFConv2d[b]\"], [4, \"M/NNCFConv2d[c]\"], [5, \"M/NNCFLinear[d]\"]]");
        assertEquals(List.of(2, 3, 4, 5), Policies.read(file, LAYERS).layers().stream().map(LayerBits::weightBits).toList());
    }

    @Test
    void haqStrategiesMayBeWeightOnlyAndUseMinusOneForTheImageInput() throws IOException {
        Path file = dir.resolve("haq.json");
        Files.writeString(file, "[[8, -1], [3, 4], [2, 32], [32, 8]]");
        assertEquals(MIXED, Policies.read(file, LAYERS));
        Files.writeString(file, "[8, 3, 2, 8]");
        assertEquals(BitPolicy.ofWeightBits(LAYERS, new int[] {8, 3, 2, 8}), Policies.read(file, LAYERS));
        assertEquals("[[8, -1], [3, 4], [2, -1], [32, 8]]\n", Policies.toText(PolicyFormat.HAQ, MIXED, LAYERS, "vgg11"));
    }

    @Test
    void detectsTheFormatFromTheContent() {
        assertEquals(PolicyFormat.CSV, Policies.detect("layer,w_bits,a_bits\n", "p.txt"));
        assertEquals(PolicyFormat.CSV, Policies.detect("[not json", "p.csv"));
        assertEquals(PolicyFormat.JSON, Policies.detect("{\"layers\": []}", "p.json"));
        assertEquals(PolicyFormat.NNCF, Policies.detect("{\"bitwidth_per_scope\": []}", "p.json"));
        assertEquals(PolicyFormat.NNCF, Policies.detect("[[4, \"M/NNCFConv2d[a]|WEIGHT\"]]", "p.json"));
        assertEquals(PolicyFormat.HAQ, Policies.detect("[[4, 8]]", "p.json"));
        assertEquals(PolicyFormat.HAQ, Policies.detect("[4, 8]", "p.json"));
    }

    @Test
    void namedFormatsMayCoverSomeLayersOnly() throws IOException {
        String json = "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 3}, {\"name\": \"fc\", \"wbits\": 8}]}";
        assertEquals(List.of(new LayerBits("conv2", 3, 32), new LayerBits("fc", 8, 32)),
                Policies.parse(json, "p.json", LAYERS).policy().layers());
        assertEquals(List.of(new LayerBits("conv2", 3, 32)), Policies.parse("layer,w_bits,a_bits\nconv2,3,32\n", "p.csv", LAYERS)
                .policy().layers());
    }

    @Test
    void badFilesFailWithOneLineNamingTheFileAndTheFirstMismatch() throws IOException {
        String ok = "{\"name\": \"conv2\", \"wbits\": 3}, {\"name\": \"stage1.block1.conv1\", \"wbits\": 2}, {\"name\": \"fc\", \"wbits\": 8}";
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv2\", \"wbits\": 8}, {\"name\": \"conv1\", \"wbits\": 8}]}",
                "'conv1' is listed after 'conv2' (layers must be listed in network order)");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 8}, {\"name\": \"conv3\", \"wbits\": 3}]}",
                "'conv3' is not a quantizable layer of the model; its layers are conv1, conv2, stage1.block1.conv1, fc");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 9}, " + ok + "]}", "layer conv1: weight bits must be in 1..8 or 32, got 9");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 0}, " + ok + "]}", "weight bits must be in 1..8 or 32, got 0");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 8, \"abits\": 4}, " + ok + "]}",
                "layer conv1: its input is the signed network input");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 8, \"abit\": 4}, " + ok + "]}", "layers[0] has unknown key \"abit\"");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"params\": 100, \"wbits\": 8}, " + ok + "]}",
                "layer 0 'conv1' has 100 weights in the file, 108 in the model");
        assertBad("p.json", "{\"layers\": [{\"name\": \"conv1\", \"wbits\": 2.5}, " + ok + "]}", "layers[0].wbits must be an integer");
        assertBad("p.json", "{\"policy\": []}", "neither \"layers\" (mixq) nor \"bitwidth_per_scope\" (NNCF)");
        assertBad("p.json", "[]", "an empty JSON array");
        assertBad("p.json", "{\"layers\": [", "");
        assertBad("p.json", "[[8, -1], [3, 4], [2, 32]]", "3 layers, the model has 4");
        assertBad("p.json", "[[8, -1], [3, 4], [2, 32], [9, 8]]", "layer fc: weight bits must be in 1..8 or 32, got 9");
        assertBad("p.json", "[[8, -1], [3, 1], [2, 32], [8, 8]]", "layer conv2: activation bits must be in 2..8 or 32, got 1");
        assertBad("p.json", "[[8, -1], \"x\", [2, 32], [8, 8]]", "entry 1 is \"x\", expected [w_bits, a_bits] or w_bits");
        assertBad("p.csv", "conv1,8,32\n", "line 1: expected the header 'layer,w_bits,a_bits'");
        assertBad("p.csv", "layer,w_bits,a_bits\nconv1,8,32\nconv2,three,32\n", "line 3: w_bits 'three' is not an integer");
        assertBad("p.csv", "layer,w_bits,a_bits\nconv1,8\n", "line 2: expected 3 columns");
        assertBad("p.csv", "layer,w_bits,a_bits\nconv2,8,32\nconv1,8,32\n", "'conv1' is listed after 'conv2'");
        assertBad("p.json", "{\"bitwidth_per_scope\": [[8, \"M/NNCFConv2d[conv2]|WEIGHT\"], [8, \"M/NNCFConv2d[x]|WEIGHT\"],"
                + " [8, \"M/NNCFConv2d[y]|WEIGHT\"], [8, \"M/NNCFLinear[z]|WEIGHT\"]]}", "names layer 'conv2', which is the model's layer 1, not 0");
        assertBad("p.json", "{\"bitwidth_per_scope\": [[8, \"M/NNCFConv2d[a]|WEIGHT\"]]}", "1 layers, the model has 4");
        assertBad("p.json", "{\"bitwidth_per_scope\": [[8, 3]]}", "bitwidth_per_scope[0] is [8,3], expected [bits, \"scope\"]");
        IOException missing = assertThrows(IOException.class, () -> Policies.read(dir.resolve("none.json"), LAYERS));
        assertTrue(missing.getMessage().endsWith("none.json: no such policy file"), missing.getMessage());
    }

    private void assertBad(String name, String text, String expected) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        IOException e = assertThrows(IOException.class, () -> Policies.read(file, LAYERS), text);
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
