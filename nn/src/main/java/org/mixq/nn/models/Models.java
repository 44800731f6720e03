package org.mixq.nn.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.mixq.core.Backend;

/** The registry of architectures by name: vgg11/13/16/19, resnet20/32/56 (CIFAR), resnet18 (CIFAR stem). */
public final class Models {
    private static final Map<String, BiFunction<Backend, ModelConfig, Model>> REGISTRY = registry();

    private Models() {
    }

    private static Map<String, BiFunction<Backend, ModelConfig, Model>> registry() {
        Map<String, BiFunction<Backend, ModelConfig, Model>> m = new LinkedHashMap<>();
        m.put("vgg11", (b, c) -> Vgg.create(b, c, Vgg.VGG11));
        m.put("vgg13", (b, c) -> Vgg.create(b, c, Vgg.VGG13));
        m.put("vgg16", (b, c) -> Vgg.create(b, c, Vgg.VGG16));
        m.put("vgg19", (b, c) -> Vgg.create(b, c, Vgg.VGG19));
        m.put("resnet18", ResNet::resnet18);
        m.put("resnet20", (b, c) -> ResNet.cifar(b, c, 20));
        m.put("resnet32", (b, c) -> ResNet.cifar(b, c, 32));
        m.put("resnet56", (b, c) -> ResNet.cifar(b, c, 56));
        return Collections.unmodifiableMap(m);
    }

    /** The known architecture names. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** Builds the architecture {@code config.arch()} (case-insensitive). */
    public static Model create(Backend backend, ModelConfig config) {
        String key = config.arch().toLowerCase(Locale.ROOT);
        BiFunction<Backend, ModelConfig, Model> factory = REGISTRY.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("model: unknown architecture '" + config.arch() + "', expected one of " + names());
        }
        return factory.apply(backend, key.equals(config.arch()) ? config : new ModelConfig(key, config.widthMultiplier(),
                config.inChannels(), config.imageHeight(), config.imageWidth(), config.classes(), config.seed()));
    }
}
