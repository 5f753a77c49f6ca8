package io.bifrost.launcher.upload;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar for long CLI work. On a terminal it redraws itself in place ({@code \r}); into a pipe or a
 * log file it prints a plain line at each 10% step instead, so logs stay readable. Not thread-safe.
 */
final class ProgressBar
{
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final boolean redraw;
    private int lastTenth = -1;
    private boolean drawn;

    /**
     * @param out    where it is drawn (standard error, so standard output keeps the result).
     * @param label  what is in progress, e.g. {@code upload}.
     * @param redraw true on a terminal.
     */
    ProgressBar(final PrintWriter out, final String label, final boolean redraw)
    {
        this.out = out;
        this.label = label;
        this.redraw = redraw;
    }

    /**
     * @param percent 0..100.
     * @param detail  what follows the percentage (rate, fps, speed), may be empty.
     */
    void update(final double percent, final String detail)
    {
        final double clamped = Math.max(0, Math.min(100, percent));
        final String line = render(label, clamped, detail);
        if (redraw)
        {
            out.print("\r" + line + "\u001b[K");
            out.flush();
            drawn = true;
            return;
        }
        final int tenth = (int)(clamped / 10);
        if (tenth != lastTenth)
        {
            lastTenth = tenth;
            out.println(line);
        }
    }

    /**
     * End the bar's line (so the next output starts on a fresh one).
     */
    void finish()
    {
        if (redraw && drawn)
        {
            out.println();
        }
        drawn = false;
    }

    /**
     * @return e.g. {@code upload    [###########...................]  37.5% 12.1 MiB/s}.
     */
    static String render(final String label, final double percent, final String detail)
    {
        final int filled = (int)Math.round(percent / 100 * WIDTH);
        return String.format(Locale.ROOT, "%-9s [%s%s] %5.1f%%%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
            percent, detail.isEmpty() ? "" : " " + detail);
    }
}
