package org.mixq.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on the terminal: what runs, how far it is, the rate and the time
 * left, redrawn at most a few times a second. Silent unless a console is attached
 * ({@link System#console()}), so logs and pipes stay clean.
 */
public final class Progress {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastWidth;

    private Progress(PrintStream out) {
        this.out = out;
    }

    /** Draws on standard error when a console is attached, otherwise does nothing. */
    public static Progress terminal() {
        return new Progress(System.console() != null ? System.err : null);
    }

    /** Never draws. */
    public static Progress quiet() {
        return new Progress(null);
    }

    /** Whether anything is drawn; callers skip formatting their extra text when not. */
    public boolean enabled() {
        return out != null;
    }

    /**
     * @param what   e.g. "train epoch 3/15"
     * @param done   units done (batches)
     * @param total  units in all, or 0 when unknown
     * @param images images processed, for the rate
     * @param extra  appended as is (e.g. the running loss), may be empty
     */
    public void update(String what, int done, int total, long images, String extra) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done != total) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        StringBuilder line = new StringBuilder(what);
        line.append(String.format(Locale.ROOT, "  %d", done));
        if (total > 0) {
            line.append('/').append(total);
        }
        if (seconds > 0) {
            line.append(String.format(Locale.ROOT, "  %.0f img/s", images / seconds));
        }
        if (total > 0 && done > 0) {
            line.append("  eta ").append(clock(seconds * (total - done) / done));
        }
        if (!extra.isEmpty()) {
            line.append("  ").append(extra);
        }
        show(line.toString());
    }

    /** Redraws the line with {@code text} now (no rate limit); nothing when no console is attached. */
    public void show(String text) {
        if (out == null) {
            return;
        }
        StringBuilder line = new StringBuilder(text);
        while (line.length() < lastWidth) {
            line.append(' ');
        }
        lastWidth = text.length();
        out.print("\r" + line);
        out.flush();
    }

    /** Clears the line so that the next printed line starts clean. */
    public void done() {
        if (out != null && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
