package io.bifrost.origin.live.passthrough;

import io.bifrost.origin.live.CmafTrackSink;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects one track's samples into CMAF fragments (ISO/IEC 23000-19 7.3.2.3) and hands each fragment, {@code moof}
 * ({@code mfhd}, {@code traf}: {@code tfhd} default-base-is-moof, {@code tfdt}, {@code trun} with sizes, durations,
 * flags and composition offsets) plus {@code mdat}, to the track's {@link CmafTrackSink} as soon as it is complete.
 *
 * <p>Cutting: a video fragment ends before a sync sample (so every keyframe starts a fragment, and a part the packager
 * cuts there is independent), and any fragment ends as soon as its samples span the part target (within half a
 * sample: millisecond FLV timestamps make 30 fps frames 33 or 34 ms long, and ten of them are one 333 ms part). A
 * sample's duration is the distance to the next sample's decode time; the newest sample, whose successor has not
 * arrived yet, gets the previous sample's duration (or the default), so a fragment goes out the moment it is long
 * enough, without waiting one frame. Decode times stay the publisher's (only made strictly increasing), so where that
 * estimate was off by a millisecond the next fragment starts a millisecond early or late. A
 * fragment is also cut at {@value #MAX_SAMPLES} samples or {@value #MAX_MDAT_BYTES} bytes, whatever the timestamps
 * say. Buffers are reused between fragments. Not thread-safe: one muxer thread.
 */
final class CmafFragmenter
{
    /** Most samples in one fragment, whatever the timestamps claim. */
    static final int MAX_SAMPLES = 1024;
    /** Most media bytes in one fragment. */
    static final int MAX_MDAT_BYTES = 32 << 20;
    /** sample_depends_on = 2: a sync sample (14496-12 8.8.3.1). */
    static final int SYNC_SAMPLE_FLAGS = 0x0200_0000;
    /** sample_depends_on = 1 and sample_is_non_sync_sample. */
    static final int NON_SYNC_SAMPLE_FLAGS = 0x0101_0000;
    /** tfhd default-base-is-moof (14496-12 8.8.7.1). */
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;
    /** trun flags: data offset, sample duration, size, flags (14496-12 8.8.8.1). */
    private static final int TRUN_FLAGS = 0x001 | 0x100 | 0x200 | 0x400;
    /** trun flag: sample composition time offsets present. */
    private static final int TRUN_COMPOSITION_OFFSETS = 0x800;

    private final CmafTrackSink sink;
    private final boolean video;
    private final long targetTicks;
    private final long defaultDuration;
    private final BoxBuffer out = new BoxBuffer(64 * 1024);
    private byte[] media = new byte[64 * 1024];
    private int mediaLength;
    private long[] decodeTimes = new long[64];
    private int[] sizes = new int[64];
    private int[] offsets = new int[64];
    private boolean[] sync = new boolean[64];
    private int count;
    private long lastDuration;
    private long lastDecodeTime;
    private long sequence;
    private long fragments;

    /**
     * @param sink               where the fragments go.
     * @param video              video: samples carry composition offsets and a sync sample starts a fragment.
     * @param targetTicks        the part target in the track's timescale.
     * @param defaultDuration    the duration assumed for a lone sample, in the track's timescale.
     */
    CmafFragmenter(final CmafTrackSink sink, final boolean video, final long targetTicks, final long defaultDuration)
    {
        this.sink = sink;
        this.video = video;
        this.targetTicks = Math.max(1, targetTicks);
        this.defaultDuration = Math.max(1, defaultDuration);
        this.lastDuration = this.defaultDuration;
    }

    /**
     * @param init the init segment, written first.
     */
    void writeInit(final byte[] init)
    {
        sink.accept(ByteBuffer.wrap(init));
    }

    /**
     * @param decodeTime        decode time in the track's timescale; a time not after the previous sample's is moved
     *                          one tick after it.
     * @param compositionOffset presentation minus decode time.
     * @param isSync            whether it is a sync sample.
     * @param data              the sample bytes.
     * @param offset            where they start.
     * @param length            how many.
     */
    void addSample(final long decodeTime, final int compositionOffset, final boolean isSync, final byte[] data,
        final int offset, final int length)
    {
        long dts = decodeTime;
        if (count > 0)
        {
            final long previous = decodeTimes[count - 1];
            if (dts <= previous)
            {
                dts = previous + 1;
            }
            if (video && isSync || mediaLength + length > MAX_MDAT_BYTES)
            {
                flush(dts - previous);
            }
            else
            {
                lastDuration = dts - previous;
            }
        }
        else if (fragments > 0 && dts <= lastDecodeTime)
        {
            dts = lastDecodeTime + 1;
        }
        append(dts, compositionOffset, isSync, data, offset, length);
        // long enough once the newest sample, at the previous sample's duration, ends within half a sample of the target
        final long elapsed = decodeTimes[count - 1] + lastDuration - decodeTimes[0];
        if (elapsed + lastDuration / 2 >= targetTicks || count >= MAX_SAMPLES)
        {
            flush(lastDuration);
        }
    }

    /**
     * Write out what is pending; the last sample gets the previous sample's duration.
     */
    void flush()
    {
        if (count > 0)
        {
            flush(lastDuration);
        }
    }

    /**
     * @return fragments written so far.
     */
    long fragments()
    {
        return fragments;
    }

    private void append(final long dts, final int compositionOffset, final boolean isSync, final byte[] data,
        final int offset, final int length)
    {
        if (count == decodeTimes.length)
        {
            final int capacity = count * 2;
            decodeTimes = Arrays.copyOf(decodeTimes, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            sync = Arrays.copyOf(sync, capacity);
        }
        if (mediaLength + length > media.length)
        {
            media = Arrays.copyOf(media, Math.max(media.length * 2, mediaLength + length));
        }
        System.arraycopy(data, offset, media, mediaLength, length);
        mediaLength += length;
        decodeTimes[count] = dts;
        sizes[count] = length;
        offsets[count] = compositionOffset;
        sync[count] = isSync;
        count++;
    }

    private void flush(final long lastSampleDuration)
    {
        out.reset();
        out.startBox("moof");
        out.startFullBox("mfhd", 0, 0).u32(++sequence).endBox();
        out.startBox("traf");
        out.startFullBox("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(CmafInitSegment.TRACK_ID).endBox();
        out.startFullBox("tfdt", 1, 0).u64(decodeTimes[0]).endBox();
        out.startFullBox("trun", 1, TRUN_FLAGS | (video ? TRUN_COMPOSITION_OFFSETS : 0)).u32(count);
        final int dataOffsetAt = out.length();
        out.u32(0);
        for (int i = 0; i < count; i++)
        {
            final long duration = i + 1 < count ? decodeTimes[i + 1] - decodeTimes[i] : lastSampleDuration;
            out.u32(duration).u32(sizes[i]).u32(sync[i] ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
            if (video)
            {
                out.u32(offsets[i]);
            }
        }
        out.endBox(); // trun
        out.endBox(); // traf
        out.endBox(); // moof
        out.putU32(dataOffsetAt, out.length() + 8);
        out.u32(8L + mediaLength).fourCc("mdat").bytes(media, 0, mediaLength);
        lastDecodeTime = decodeTimes[count - 1];
        count = 0;
        mediaLength = 0;
        fragments++;
        sink.accept(out.view());
    }
}
