package io.bifrost.ingest.record;

import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide bound on encoded tags that wait for the disk, shared by every {@link FlvRecording} of one
 * {@link FlvRecordingSinkFactory}. The per-stream high-water mark bounds one stream; this bounds all of them, so N
 * publishers on a slow disk cannot queue N x 4 MiB of direct memory (600 streams once asked for 2.4 GiB on a JVM
 * allowed 512 MiB, and Netty's {@code OutOfDirectMemoryError} closed the sessions).
 *
 * <p>A tag is {@link #acquire acquired} when the publisher's thread queues it and {@link #release released} once the
 * writer has written (or dropped) it, so {@link #queuedBytes()} is what the queues hold in direct memory (the batch
 * being written included). While it is above {@link #limitBytes()} every recording that gets a tag answers false
 * (TCP backpressure to its publisher) and {@link #park parks} itself here; when the writer's releases bring the total
 * to half the limit or below, it walks the parked recordings and resumes them. A recording is parked at most once
 * ({@link FlvRecording#parked}), so the set is bounded by the open recordings. Thread-safe.
 */
final class RecordingBudget
{
    /** Upper end of the default budget: 256 MiB. */
    static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** Smallest budget accepted: 1 MiB. */
    static final long MIN_BYTES = 1L << 20;

    private final long limitBytes;
    private final long resumeBytes;
    private final AtomicLong queued = new AtomicLong();
    private final ConcurrentLinkedQueue<FlvRecording> parked = new ConcurrentLinkedQueue<>();

    /**
     * @param limitBytes the most bytes queued before publishers are paused; at least {@link #MIN_BYTES}.
     */
    RecordingBudget(final long limitBytes)
    {
        if (limitBytes < MIN_BYTES)
        {
            throw new IllegalArgumentException("ingest.recording-buffer-bytes must be at least " + MIN_BYTES +
                ", was " + limitBytes);
        }
        this.limitBytes = limitBytes;
        this.resumeBytes = limitBytes / 2;
    }

    /**
     * @return the default budget: a quarter of the direct memory Netty may use (its limit is {@code -Xmx} unless
     * {@code -XX:MaxDirectMemorySize} or {@code io.netty.maxDirectMemory} says otherwise), at most
     * {@link #DEFAULT_MAX_BYTES}, at least {@link #MIN_BYTES}.
     */
    static long defaultLimitBytes()
    {
        final long maxDirect = PlatformDependent.maxDirectMemory();
        final long quarter = maxDirect > 0 ? maxDirect / 4 : DEFAULT_MAX_BYTES;
        return Math.max(MIN_BYTES, Math.min(DEFAULT_MAX_BYTES, quarter));
    }

    /**
     * @return the most bytes queued before publishers are paused.
     */
    long limitBytes()
    {
        return limitBytes;
    }

    /**
     * @return bytes queued for the disk by all recordings now.
     */
    long queuedBytes()
    {
        return queued.get();
    }

    /**
     * Count a queued tag.
     *
     * @param bytes its length.
     * @return true when the total is now over the limit: the caller pauses its publisher.
     */
    boolean acquire(final long bytes)
    {
        return queued.addAndGet(bytes) > limitBytes;
    }

    /**
     * @return true when the total is over the limit.
     */
    boolean over()
    {
        return queued.get() > limitBytes;
    }

    /**
     * @return true when the total is low enough for paused recordings to go on (half the limit or less).
     */
    boolean belowResume()
    {
        return queued.get() <= resumeBytes;
    }

    /**
     * Count written or dropped tags, and resume the parked recordings once the total is at half the limit or below.
     * Called by the writer.
     *
     * @param bytes their length.
     */
    void release(final long bytes)
    {
        if (queued.addAndGet(-bytes) <= resumeBytes && !parked.isEmpty())
        {
            resumeParked();
        }
    }

    /**
     * Remember a paused recording that waits for the total to fall; a recording already parked is not added again.
     *
     * @param recording paused for the process budget.
     */
    void park(final FlvRecording recording)
    {
        if (recording.parked.compareAndSet(false, true))
        {
            parked.add(recording);
        }
    }

    private void resumeParked()
    {
        // at most one pass: a recording that cannot go on after all parks itself again and waits for the next release
        for (int i = parked.size(); i > 0 && belowResume(); i--)
        {
            final FlvRecording recording = parked.poll();
            if (null == recording)
            {
                return;
            }
            recording.parked.set(false);
            recording.onBudgetFreed();
        }
    }
}
