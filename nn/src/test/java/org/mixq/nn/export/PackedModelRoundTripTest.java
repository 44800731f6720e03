package org.mixq.nn.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.core.Backend;
import org.mixq.core.Quantizer;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.nn.checkpoint.ModelCheckpoints;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.ActivationQuantizer;
import org.mixq.nn.quant.BitPolicy;
import org.mixq.nn.quant.LayerBits;
import org.mixq.nn.quant.ModelSize;
import org.mixq.nn.quant.QuantizableLayer;

/** Export and load without running the networks: sizes, tensors, effective weights, metadata. */
class PackedModelRoundTripTest {
    private static Backend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Map<String, String> dataMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data.name", "cifar10");
        m.put("data.mean", "0.4914,0.4822,0.4465");
        m.put("data.std", "0.247,0.2435,0.2616");
        m.put("epoch", "3");
        // a source checkpoint's own keys: replaced by the model's
        m.put("model.arch", "stale");
        m.put("policy.conv1", "2/32");
        return m;
    }

    @Test
    void vggFileIsTheSearchSizePlusTheHeaderForEveryShiftOfTheMixedPolicy() throws IOException {
        for (int shift = 0; shift < ExportFixtures.WEIGHT_BITS.length; shift++) {
            checkSizes(ExportFixtures::vgg11, shift);
        }
    }

    @Test
    void resnetFileIsTheSearchSizePlusTheHeader() throws IOException {
        checkSizes(ExportFixtures::resnet20, 0);
        checkSizes(ExportFixtures::resnet20, 4);
    }

    private void checkSizes(BiFunction<Backend, Long, Model> factory, int shift) throws IOException {
        try (Model model = factory.apply(backend, 1L + shift)) {
            BitPolicy policy = ExportFixtures.mixedPolicy(model, shift);
            model.applyPolicy(policy);
            Path file = dir.resolve("size-" + shift + ".mixq");
            PackedModelWriter.Written w = PackedModelWriter.write(model, dataMetadata(), file);
            // the size the search reports for this policy
            ModelSize searchSize = ModelSize.of(model.quantLayerInfos(), policy, model.fullPrecisionParameterCount());
            long fileBytes = Files.size(file);
            assertEquals(searchSize, w.size());
            assertEquals(searchSize.totalBytes(), w.payloadBytes());
            assertEquals(fileBytes, searchSize.totalBytes() + w.headerBytes() + PackedModelWriter.CHECKSUM_BYTES,
                    "shift " + shift);
            assertEquals(fileBytes, w.fileBytes());
            ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(w.headerBytes(), PackedModelWriter.HEADER_FIXED_BYTES + head.getInt(12));
            assertEquals(w.payloadBytes(), head.getLong(16));
        }
    }

    @Test
    void vggLoadsWithTheSamePolicyTensorsAndEffectiveWeights() throws IOException {
        roundTrip(ExportFixtures::vgg11, 0);
        roundTrip(ExportFixtures::vgg11, 5);
    }

    @Test
    void resnetLoadsWithTheSamePolicyTensorsAndEffectiveWeights() throws IOException {
        roundTrip(ExportFixtures::resnet20, 2);
    }

    private void roundTrip(BiFunction<Backend, Long, Model> factory, int shift) throws IOException {
        Path file = dir.resolve("roundtrip.mixq");
        try (Model source = factory.apply(backend, 10L + shift)) {
            source.applyPolicy(ExportFixtures.mixedPolicy(source, shift));
            PackedModelWriter.write(source, dataMetadata(), file);
            ModelCheckpoints.Loaded loaded = PackedModelReader.load(backend, file);
            try (Model copy = loaded.model()) {
                assertEquals(source.config(), copy.config());
                assertEquals(source.policy(), copy.policy());
                assertEquals(source.size(), copy.size());
                checkTensors(source, copy);
                checkMetadata(source, loaded.metadata());
            }
        }
    }

    /** Full-precision tensors and used clips bit-identical; quantized weights equal after fake quantization. */
    private static void checkTensors(Model source, Model copy) {
        Map<String, Tensor> copyState = copy.state();
        Map<String, QuantizableLayer> byWeight = new LinkedHashMap<>();
        Map<String, QuantizableLayer> byClip = new LinkedHashMap<>();
        for (QuantizableLayer l : source.quantizableLayers()) {
            byWeight.put(l.weight().name(), l);
            if (l.activationQuantizer() != null) {
                byClip.put(l.activationQuantizer().clip().name(), l);
            }
        }
        int quantized = 0;
        for (Map.Entry<String, Tensor> e : source.state().entrySet()) {
            String name = e.getKey();
            QuantizableLayer weightOf = byWeight.get(name);
            QuantizableLayer clipOf = byClip.get(name);
            if (weightOf != null && weightOf.weightBits() != Quantizer.FULL_PRECISION) {
                int bits = weightOf.weightBits();
                float[][] a = fakeQuantize(e.getValue(), bits);
                float[][] b = fakeQuantize(copyState.get(name), bits);
                ArrayAssertions.assertExact(name + " scales", a[1], b[1]);
                assertSameUpToZeroSign(name + " fake-quantized", a[0], b[0]);
                quantized++;
            } else if (clipOf == null || clipOf.activationBits() != Quantizer.FULL_PRECISION) {
                ArrayAssertions.assertExact(name, e.getValue().toArray(), copyState.get(name).toArray());
            } else {
                // an unused clip is not stored: it keeps its initial value
                assertArrayEquals(new float[] {ActivationQuantizer.INITIAL_CLIP}, copyState.get(name).toArray());
            }
        }
        assertTrue(quantized > 0);
    }

    /** {wq, scale}. */
    private static float[][] fakeQuantize(Tensor w, int bits) {
        try (Tensor wq = backend.alloc(w.shape()); Tensor mask = backend.alloc(w.shape()); Tensor scale = backend.alloc(w.dim(0))) {
            backend.fakeQuantWeightsForward(wq, mask, scale, w, bits);
            return new float[][] {wq.toArray(), scale.toArray()};
        }
    }

    /** Bit-identical floats, except that 0 and -0 are equal: the codes do not keep the sign of a zero. */
    private static void assertSameUpToZeroSign(String what, float[] expected, float[] actual) {
        float[] e = expected.clone();
        float[] a = actual.clone();
        for (int i = 0; i < e.length; i++) {
            e[i] += 0f;
            a[i] += 0f;
        }
        ArrayAssertions.assertExact(what, e, a);
    }

    private static void checkMetadata(Model source, Map<String, String> metadata) throws IOException {
        source.config().toMap().forEach((k, v) -> assertEquals(v, metadata.get(ModelCheckpoints.MODEL_PREFIX + k), k));
        for (LayerBits lb : source.policy().layers()) {
            assertEquals(lb.weightBits() + "/" + lb.activationBits(), metadata.get(ModelCheckpoints.POLICY_PREFIX + lb.name()));
        }
        assertEquals("cifar10", metadata.get("data.name"));
        assertEquals("0.247,0.2435,0.2616", metadata.get("data.std"));
        assertEquals("3", metadata.get("epoch"));
        assertEquals(source.policy(), ModelCheckpoints.policy(Path.of("metadata"), metadata));
    }

    @Test
    void exportingTheLoadedModelAgainGivesTheSameBytes() throws IOException {
        Path first = dir.resolve("first.mixq");
        Path second = dir.resolve("second.mixq");
        try (Model source = ExportFixtures.vgg11(backend, 21)) {
            source.applyPolicy(ExportFixtures.mixedPolicy(source, 3));
            PackedModelWriter.write(source, dataMetadata(), first);
        }
        ModelCheckpoints.Loaded loaded = PackedModelReader.load(backend, first);
        try (Model copy = loaded.model()) {
            PackedModelWriter.write(copy, loaded.metadata(), second);
        }
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void isPackedTellsAPackedFileFromACheckpoint() throws IOException {
        Path packed = dir.resolve("m.mixq");
        Path ckpt = dir.resolve("m.ckpt");
        try (Model model = ExportFixtures.vgg11(backend, 3)) {
            PackedModelWriter.write(model, Map.of(), packed);
            ModelCheckpoints.save(model, ckpt, Map.of());
        }
        assertTrue(PackedModelReader.isPacked(packed));
        assertFalse(PackedModelReader.isPacked(ckpt));
        assertFalse(PackedModelReader.isPacked(dir.resolve("missing.mixq")));
    }
}
