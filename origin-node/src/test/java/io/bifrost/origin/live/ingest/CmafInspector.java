package io.bifrost.origin.live.ingest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the tests check from a single-track fragmented MP4 (ISO/IEC 14496-12): the timescale from {@code mdhd},
 * and per {@code moof} its decode time, sample count, duration and whether its first sample is a sync sample (trun
 * first-sample flags, per-sample flags, tfhd defaults or trex defaults, whichever the writer used).
 */
public final class CmafInspector
{
    /** One fragment. */
    public record Fragment(long decodeTime, int samples, long duration, boolean startsWithSync)
    {
    }

    private final long timescale;
    private final List<Fragment> fragments;

    private CmafInspector(final long timescale, final List<Fragment> fragments)
    {
        this.timescale = timescale;
        this.fragments = fragments;
    }

    /**
     * @param bytes an init segment followed by fragments.
     * @return what it holds.
     */
    public static CmafInspector inspect(final byte[] bytes)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        long timescale = 0;
        long trexFlags = 0;
        final List<Fragment> fragments = new ArrayList<>();
        int at = 0;
        while (at + 8 <= bytes.length)
        {
            final long size = in.getInt(at) & 0xFFFF_FFFFL;
            final String type = type(in, at + 4);
            if (size < 8 || at + size > bytes.length)
            {
                throw new AssertionError("box " + type + " at " + at + " has size " + size);
            }
            if ("moov".equals(type))
            {
                final int mdhd = find(bytes, at, (int)size, "mdhd");
                final int version = bytes[mdhd + 8];
                timescale = in.getInt(mdhd + 12 + (1 == version ? 16 : 8)) & 0xFFFF_FFFFL;
                final int trex = find(bytes, at, (int)size, "trex");
                if (trex >= 0)
                {
                    trexFlags = in.getInt(trex + 28) & 0xFFFF_FFFFL;
                }
            }
            else if ("moof".equals(type))
            {
                fragments.add(fragment(in, bytes, at, (int)size, trexFlags));
            }
            at += (int)size;
        }
        return new CmafInspector(timescale, fragments);
    }

    private static Fragment fragment(final ByteBuffer in, final byte[] bytes, final int moof, final int size,
        final long trexFlags)
    {
        final int tfhd = find(bytes, moof, size, "tfhd");
        final int tfhdFlags = in.getInt(tfhd + 8) & 0xFF_FFFF;
        int field = tfhd + 16;
        if (0 != (tfhdFlags & 0x01))
        {
            field += 8;
        }
        if (0 != (tfhdFlags & 0x02))
        {
            field += 4;
        }
        long defaultDuration = 0;
        if (0 != (tfhdFlags & 0x08))
        {
            defaultDuration = in.getInt(field) & 0xFFFF_FFFFL;
            field += 4;
        }
        if (0 != (tfhdFlags & 0x10))
        {
            field += 4;
        }
        long defaultFlags = trexFlags;
        if (0 != (tfhdFlags & 0x20))
        {
            defaultFlags = in.getInt(field) & 0xFFFF_FFFFL;
        }
        final int tfdt = find(bytes, moof, size, "tfdt");
        final long decodeTime = 1 == bytes[tfdt + 8] ? in.getLong(tfdt + 12) : in.getInt(tfdt + 12) & 0xFFFF_FFFFL;
        final int trun = find(bytes, moof, size, "trun");
        final int flags = in.getInt(trun + 8) & 0xFF_FFFF;
        final int count = in.getInt(trun + 12);
        int p = trun + 16;
        if (0 != (flags & 0x01))
        {
            p += 4;
        }
        long firstFlags = -1;
        if (0 != (flags & 0x04))
        {
            firstFlags = in.getInt(p) & 0xFFFF_FFFFL;
            p += 4;
        }
        long duration = 0;
        for (int i = 0; i < count; i++)
        {
            long sampleDuration = defaultDuration;
            long sampleFlags = defaultFlags;
            if (0 != (flags & 0x100))
            {
                sampleDuration = in.getInt(p) & 0xFFFF_FFFFL;
                p += 4;
            }
            if (0 != (flags & 0x200))
            {
                p += 4;
            }
            if (0 != (flags & 0x400))
            {
                sampleFlags = in.getInt(p) & 0xFFFF_FFFFL;
                p += 4;
            }
            if (0 != (flags & 0x800))
            {
                p += 4;
            }
            if (0 == i && firstFlags < 0)
            {
                firstFlags = sampleFlags;
            }
            duration += sampleDuration;
        }
        final boolean sync = 0 == (firstFlags & 0x0001_0000L);
        return new Fragment(decodeTime, count, duration, sync);
    }

    /** Depth-first search for a box type inside a container range; -1 when absent. */
    private static int find(final byte[] bytes, final int start, final int size, final String wanted)
    {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        int at = start + 8;
        final int end = start + size;
        while (at + 8 <= end)
        {
            final int boxSize = in.getInt(at);
            final String type = type(in, at + 4);
            if (wanted.equals(type))
            {
                return at;
            }
            if (boxSize < 8)
            {
                return -1;
            }
            if (List.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "traf", "moof").contains(type))
            {
                final int inner = find(bytes, at, boxSize, wanted);
                if (inner >= 0)
                {
                    return inner;
                }
            }
            at += boxSize;
        }
        return -1;
    }

    private static String type(final ByteBuffer in, final int at)
    {
        final byte[] chars = new byte[4];
        in.get(at, chars);
        return new String(chars, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** @return the media timescale. */
    public long timescale()
    {
        return timescale;
    }

    /** @return the fragments, in order. */
    public List<Fragment> fragments()
    {
        return fragments;
    }

    /**
     * @param fragment a fragment.
     * @return its duration in milliseconds.
     */
    public double durationMs(final Fragment fragment)
    {
        return fragment.duration() * 1000.0 / timescale;
    }

    /**
     * @param fragment a fragment.
     * @return its start in seconds.
     */
    public double startSeconds(final Fragment fragment)
    {
        return (double)fragment.decodeTime() / timescale;
    }
}
