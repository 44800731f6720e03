package org.mixq.cli;

import java.util.concurrent.Callable;
import org.mixq.core.Backend;
import org.mixq.core.BackendProvider;
import org.mixq.core.Backends;
import picocli.CommandLine.Command;

/** Prints the Java runtime, every backend found and whether it is usable here, and which one runs. */
@Command(name = "info", description = "Show the Java runtime and the compute backends found.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("java     " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.home") + ")");
        System.out.println("cpus     " + Runtime.getRuntime().availableProcessors());
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Probe probe = p.probe();
            System.out.printf("backend  %-5s %-9s %s%n", p.name(), probe.usable() ? "usable" : "unusable", probe.detail());
        }
        try (Backend b = Backends.best()) {
            System.out.println("selected " + b.describe());
        }
        return 0;
    }
}
