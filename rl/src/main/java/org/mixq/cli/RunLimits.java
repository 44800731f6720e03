package org.mixq.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a long command (search, sensitivity) stops early: after {@code --time-limit}, or on
 * Ctrl-C. Both are checked between episodes (or evaluations), so the run folder always holds
 * finished work and the same command resumes it.
 *
 * <p>Ctrl-C: SIGINT starts the JVM's shutdown; a shutdown hook raises the stop flag and waits up
 * to {@link #GRACE} for the loop to notice it, which it does as soon as the episode that has
 * just finished is written (row, checkpoint, best policy). An episode still being evaluated is
 * not waited for: it is lost and run again on resume, as after a kill.
 */
final class RunLimits implements BooleanSupplier, AutoCloseable {
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,6})s)?");

    private final boolean limited;
    private final long deadline;
    private final LongSupplier clock;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private RunLimits(Duration limit, LongSupplier clock, boolean onSigint) {
        this.clock = clock;
        this.limited = limit != null;
        this.deadline = limited ? clock.getAsLong() + limit.toNanos() : 0;
        this.hook = onSigint ? new Thread(this::onShutdown, "mixq-stop") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Limits for a command: {@code limit} (null: none) and Ctrl-C. Close it when the loop is done. */
    static RunLimits start(Duration limit) {
        return new RunLimits(limit, System::nanoTime, true);
    }

    /** Limits with a given clock and no signal hook, for tests. */
    static RunLimits forTest(Duration limit, LongSupplier clock) {
        return new RunLimits(limit, clock, false);
    }

    /** True once Ctrl-C was pressed or the time limit has passed. */
    @Override
    public boolean getAsBoolean() {
        if (interrupted.get()) {
            return true;
        }
        if (limited && clock.getAsLong() - deadline >= 0) {
            timedOut.set(true);
            return true;
        }
        return false;
    }

    boolean interrupted() {
        return interrupted.get();
    }

    boolean timedOut() {
        return timedOut.get();
    }

    /** Why the loop stopped early, or null if it was not stopped. */
    String reason(Duration limit) {
        if (interrupted.get()) {
            return "interrupted";
        }
        return timedOut.get() ? "time limit " + format(limit) + " reached" : null;
    }

    private void onShutdown() {
        interrupted.set(true);
        try {
            finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop has returned and its files are written: a pending shutdown may go ahead. */
    @Override
    public void close() {
        finished.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running (Ctrl-C); it returns now that the latch is released.
            }
        }
    }

    /**
     * Parses a duration such as {@code 90s}, {@code 45m}, {@code 2h} or {@code 1h30m} (hours,
     * minutes, seconds in that order, each optional, at least one); null or empty is no limit.
     */
    static Duration parseDuration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        Matcher m = DURATION.matcher(t);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
            throw new IllegalArgumentException("--time-limit: expected a duration such as 90s, 45m, 2h or 1h30m, got '" + text + "'");
        }
        Duration d = Duration.ofHours(part(m, 1)).plusMinutes(part(m, 2)).plusSeconds(part(m, 3));
        if (d.isZero()) {
            throw new IllegalArgumentException("--time-limit: the limit must be longer than 0, got '" + text + "'");
        }
        return d;
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }

    static String format(Duration d) {
        if (d == null) {
            return "none";
        }
        long s = d.toSeconds();
        StringBuilder sb = new StringBuilder();
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            sb.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || sb.length() == 0) {
            sb.append(s % 60).append('s');
        }
        return sb.toString();
    }
}
