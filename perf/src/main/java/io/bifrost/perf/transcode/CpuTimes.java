package io.bifrost.perf.transcode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of this JVM and of its reaped children, from {@code /proc/self/stat} (proc(5): fields 14-17, utime,
 * stime, cutime, cstime, in clock ticks). A child's user+sys time is added to {@code cutime + cstime} when it is
 * reaped, which Java's process reaper does as soon as it exits, so the difference of two snapshots taken around a
 * run whose children have all been waited for is exactly their CPU time (ffmpeg's threads included). Immutable.
 *
 * @param selfNanos     user+sys CPU time of this JVM, nanoseconds.
 * @param childrenNanos user+sys CPU time of every reaped child so far, nanoseconds.
 */
public record CpuTimes(long selfNanos, long childrenNanos)
{
    /** Where Linux publishes this process's counters. */
    static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");
    /** USER_HZ: the unit of the counters; 100 on every Linux ABI in use (sysconf(_SC_CLK_TCK)). */
    static final long USER_HZ = 100;
    /** 1-based index of utime in proc(5); stime, cutime and cstime follow. */
    private static final int UTIME_FIELD = 14;
    /** The fields after {@code comm} start at field 3. */
    private static final int FIRST_FIELD_AFTER_COMM = 3;

    /**
     * @return the counters now.
     * @throws IllegalStateException when {@code /proc/self/stat} cannot be read (not Linux).
     */
    public static CpuTimes now()
    {
        try
        {
            return parse(Files.readString(PROC_SELF_STAT, StandardCharsets.US_ASCII), USER_HZ);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + PROC_SELF_STAT + " (CPU times need Linux): " +
                ex.getMessage(), ex);
        }
    }

    /**
     * @param stat          the text of a {@code /proc/[pid]/stat} file.
     * @param ticksPerSecond the clock tick rate of its counters.
     * @return the counters.
     * @throws IllegalArgumentException when the text is not a stat line.
     */
    static CpuTimes parse(final String stat, final long ticksPerSecond)
    {
        // comm (field 2) is in parentheses and may itself hold spaces and ')', so count from the last ')'
        final int commEnd = stat.lastIndexOf(')');
        if (commEnd < 0)
        {
            throw new IllegalArgumentException("not a /proc stat line: no ')' after the command name");
        }
        final String[] fields = stat.substring(commEnd + 1).trim().split(" +");
        final int utime = UTIME_FIELD - FIRST_FIELD_AFTER_COMM;
        if (fields.length < utime + 4)
        {
            throw new IllegalArgumentException("not a /proc stat line: " + fields.length + " fields after comm");
        }
        try
        {
            final long user = Long.parseLong(fields[utime]);
            final long sys = Long.parseLong(fields[utime + 1]);
            final long childUser = Long.parseLong(fields[utime + 2]);
            final long childSys = Long.parseLong(fields[utime + 3]);
            return new CpuTimes(ticksToNanos(user + sys, ticksPerSecond),
                ticksToNanos(childUser + childSys, ticksPerSecond));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a /proc stat line: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param earlier a snapshot taken before this one.
     * @return the CPU time spent between the two snapshots.
     */
    public CpuTimes since(final CpuTimes earlier)
    {
        return new CpuTimes(selfNanos - earlier.selfNanos, childrenNanos - earlier.childrenNanos);
    }

    private static long ticksToNanos(final long ticks, final long ticksPerSecond)
    {
        return ticks * (TimeUnit.SECONDS.toNanos(1) / ticksPerSecond);
    }
}
