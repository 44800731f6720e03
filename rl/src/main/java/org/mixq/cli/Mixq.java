package org.mixq.cli;

import org.mixq.core.BackendUnavailableException;
import org.mixq.core.Backends;
import org.mixq.core.OutOfBackendMemoryException;
import org.mixq.core.cpu.CpuBackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code mixq} command line. User errors (bad files, bad arguments, a backend that cannot
 * run here, a batch too large for the device's memory) print one line and exit with code 2; no
 * stack trace reaches the user.
 */
// INHERIT: every subcommand takes --help (and --version) too, before its required options are checked
@Command(name = "mixq", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "mixq 0.1.0",
        description = "Mixed-precision quantization search by reinforcement learning.",
        subcommands = {
            InfoCommand.class,
            DataCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            SearchCommand.class,
            BaselineCommand.class,
            FinetuneCommand.class,
            ExportCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            SensitivityCommand.class,
            PolicyCommand.class,
            DemoCommand.class,
        })
public final class Mixq implements Runnable {
    /** Exit code of a user error: bad input file, bad argument. */
    public static final int EXIT_USER_ERROR = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Mixq());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError || ex instanceof IllegalArgumentException
                    || ex instanceof BackendUnavailableException || ex instanceof OutOfBackendMemoryException) {
                cmd.getErr().println("mixq: " + Flags.message(ex));
                return EXIT_USER_ERROR;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("mixq: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USER_ERROR;
        });
        cli.setExecutionStrategy(parsed -> {
            try {
                checkEnvironment();
            } catch (IllegalArgumentException e) {
                cli.getErr().println("mixq: " + Flags.message(e));
                return EXIT_USER_ERROR;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /**
     * The switches read from the environment or system properties (backend, threads, the
     * reproducible mode) are checked before any command starts, so a bad one is the first and
     * only line printed.
     */
    private static void checkEnvironment() {
        Backends.reproducible();
        CpuBackendProvider.threads();
        String forced = Backends.requested();
        if (forced != null) {
            Backends.provider(forced);
        }
    }
}
