package io.bifrost.transcoder.ffmpeg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines a child process wrote to stderr, kept in a bounded ring (line count and line length are both
 * capped) so that a process printing megabytes of warnings cannot exhaust memory. Blank lines and ffmpeg's noise
 * about its own exit ({@code Conversion failed!}, {@code Exiting normally}) are not "meaningful" and are skipped.
 * Thread-safe: the drain thread appends while the caller reads.
 */
public final class StderrTail
{
    /** Longest line kept; longer ones are cut and marked. */
    static final int MAX_LINE_CHARS = 400;

    private final int capacity;
    private final ArrayDeque<String> lines;

    /**
     * @param capacity the number of lines kept (at least 1).
     */
    public StderrTail(final int capacity)
    {
        this.capacity = Math.max(1, capacity);
        this.lines = new ArrayDeque<>(this.capacity);
    }

    /**
     * @param line one line without its terminator.
     */
    public synchronized void append(final String line)
    {
        final String trimmed = line.strip();
        if (trimmed.isEmpty() || "Conversion failed!".equals(trimmed) || trimmed.startsWith("Exiting normally"))
        {
            return;
        }
        if (lines.size() == capacity)
        {
            lines.removeFirst();
        }
        lines.addLast(trimmed.length() > MAX_LINE_CHARS ? trimmed.substring(0, MAX_LINE_CHARS) + "[...]" : trimmed);
    }

    /**
     * @return the kept lines, oldest first.
     */
    public synchronized List<String> lines()
    {
        return new ArrayList<>(lines);
    }

    /**
     * @return the kept lines joined by " | ", or {@code "(no error output)"}.
     */
    public synchronized String summary()
    {
        return lines.isEmpty() ? "(no error output)" : String.join(" | ", lines);
    }
}
