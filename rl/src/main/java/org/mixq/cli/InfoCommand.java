package org.mixq.cli;

import java.util.concurrent.Callable;
import org.mixq.core.Backends;
import picocli.CommandLine.Command;

/** Prints the Java runtime, every backend found and whether it is usable here, and which one runs. */
@Command(name = "info", description = "Show the Java runtime and the compute backends found.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(Backends.report());
        return 0;
    }
}
