package io.bifrost.perf.live;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU time (user + system, so the kernel's socket work done in the thread's own syscalls counts) of the edge's Netty
 * event-loop threads in this process: the cost of answering held requests per request, which, unlike latency, a busy
 * shared machine does not inflate much. Read from the harness thread, never from the loops.
 */
final class EventLoopCpu
{
    /** Netty's DefaultThreadFactory names: {@code bifrost-edge-<pool>-<thread>}. */
    private static final Pattern EDGE_LOOP = Pattern.compile("bifrost-edge-\\d+-\\d+");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * @return the loops' CPU time so far, in nanoseconds; 0 where the JVM cannot measure thread CPU time.
     */
    long nanos()
    {
        long total = 0;
        for (final long cpu : byLoop().values())
        {
            total += cpu;
        }
        return total;
    }

    /**
     * @return each loop's CPU time so far in nanoseconds, by thread name (empty where the JVM cannot measure it):
     *         shows whether a wake's work is spread over the loops.
     */
    Map<String, Long> byLoop()
    {
        final Map<String, Long> cpu = new TreeMap<>();
        if (!threads.isThreadCpuTimeSupported())
        {
            return cpu;
        }
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && EDGE_LOOP.matcher(info.getThreadName()).matches())
            {
                cpu.put(info.getThreadName(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
            }
        }
        return cpu;
    }
}
