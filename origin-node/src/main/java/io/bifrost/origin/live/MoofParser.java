package io.bifrost.origin.live;

import static io.bifrost.origin.live.Mp4Boxes.NOT_FOUND;
import static io.bifrost.origin.live.Mp4Boxes.end;
import static io.bifrost.origin.live.Mp4Boxes.require;
import static io.bifrost.origin.live.Mp4Boxes.start;

/**
 * Reads the timing of a movie fragment (ISO/IEC 14496-12 8.8): the {@code tfdt} base decode time, the sample count
 * and total duration of every {@code trun} (per-sample durations, else the {@code tfhd} default, else the {@code trex}
 * default), and whether the first sample is a sync sample (first-sample-flags, else the first sample's flags, else the
 * {@code tfhd} default, else the {@code trex} default). Only the first {@code traf} counts: renditions are
 * single-track CMAF. Stateless.
 */
final class MoofParser
{
    /** 8.8.7 tfhd flags. */
    private static final int TFHD_BASE_DATA_OFFSET = 0x000001;
    private static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
    private static final int TFHD_DEFAULT_DURATION = 0x000008;
    private static final int TFHD_DEFAULT_SIZE = 0x000010;
    private static final int TFHD_DEFAULT_FLAGS = 0x000020;
    /** 8.8.8 trun flags. */
    private static final int TRUN_DATA_OFFSET = 0x000001;
    private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
    private static final int TRUN_DURATION = 0x000100;
    private static final int TRUN_SIZE = 0x000200;
    private static final int TRUN_FLAGS = 0x000400;
    private static final int TRUN_COMPOSITION_OFFSET = 0x000800;
    /** 8.8.3.1 sample_is_non_sync_sample. */
    static final int SAMPLE_IS_NON_SYNC = 0x00010000;
    /** Most samples in one fragment: far above any real part (a 1 s part of 48 kHz audio has 47 AAC frames). */
    static final int MAX_SAMPLES = 100_000;

    private MoofParser()
    {
    }

    /**
     * @param fragment     moof + mdat bytes; the moof box starts at offset 0.
     * @param moofPayload  where the moof's children start (after its 8- or 16-byte header).
     * @param moofSize     the moof box size.
     * @param init         the track's header (trex defaults, track id).
     * @return the fragment with its timing.
     * @throws IllegalArgumentException when the moof is malformed.
     */
    static CmafFragment parse(final byte[] fragment, final int moofPayload, final int moofSize,
        final InitSegment init)
    {
        final long traf = Mp4Boxes.require(fragment, moofPayload, moofSize, Mp4Boxes.TRAF, "moof");
        final int trafStart = start(traf);
        final int trafEnd = end(traf);
        final long tfhd = Mp4Boxes.require(fragment, trafStart, trafEnd, Mp4Boxes.TFHD, "traf");
        final int tfhdFlags = Mp4Boxes.int32(fragment, start(tfhd), end(tfhd)) & 0xFFFFFF;
        int pos = start(tfhd) + 8; // version/flags, track_ID
        if ((tfhdFlags & TFHD_BASE_DATA_OFFSET) != 0)
        {
            pos += 8;
        }
        if ((tfhdFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) != 0)
        {
            pos += 4;
        }
        long defaultDuration = init.defaultSampleDuration();
        int defaultFlags = init.defaultSampleFlags();
        if ((tfhdFlags & TFHD_DEFAULT_DURATION) != 0)
        {
            defaultDuration = Mp4Boxes.uint32(fragment, pos, end(tfhd));
            pos += 4;
        }
        if ((tfhdFlags & TFHD_DEFAULT_SIZE) != 0)
        {
            pos += 4;
        }
        if ((tfhdFlags & TFHD_DEFAULT_FLAGS) != 0)
        {
            defaultFlags = Mp4Boxes.int32(fragment, pos, end(tfhd));
        }

        final long tfdt = Mp4Boxes.require(fragment, trafStart, trafEnd, Mp4Boxes.TFDT, "traf");
        final int tfdtVersion = Mp4Boxes.uint8(fragment, start(tfdt), end(tfdt));
        final long baseDecodeTime = tfdtVersion == 1 ? Mp4Boxes.int64(fragment, start(tfdt) + 4, end(tfdt)) :
            Mp4Boxes.uint32(fragment, start(tfdt) + 4, end(tfdt));
        require(baseDecodeTime >= 0, "tfdt base media decode time is negative");

        long duration = 0;
        int samples = 0;
        int firstFlags = 0;
        boolean firstKnown = false;
        int searchFrom = trafStart;
        while (searchFrom < trafEnd)
        {
            final long trun = Mp4Boxes.find(fragment, searchFrom, trafEnd, Mp4Boxes.TRUN);
            if (trun == NOT_FOUND)
            {
                break;
            }
            searchFrom = end(trun);
            final int runEnd = end(trun);
            final int trunFlags = Mp4Boxes.int32(fragment, start(trun), runEnd) & 0xFFFFFF;
            final long count = Mp4Boxes.uint32(fragment, start(trun) + 4, runEnd);
            int p = start(trun) + 8;
            if ((trunFlags & TRUN_DATA_OFFSET) != 0)
            {
                p += 4;
            }
            int runFirstFlags = 0;
            final boolean hasFirstFlags = (trunFlags & TRUN_FIRST_SAMPLE_FLAGS) != 0;
            if (hasFirstFlags)
            {
                runFirstFlags = Mp4Boxes.int32(fragment, p, runEnd);
                p += 4;
            }
            final int entryBytes = 4 * Integer.bitCount(trunFlags &
                (TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_COMPOSITION_OFFSET));
            require(count <= MAX_SAMPLES - samples, "fragment has more than " + MAX_SAMPLES + " samples");
            require(count * entryBytes <= runEnd - p, "trun sample table is larger than its box");
            for (int i = 0; i < count; i++)
            {
                long sampleDuration = defaultDuration;
                int sampleFlags = defaultFlags;
                if ((trunFlags & TRUN_DURATION) != 0)
                {
                    sampleDuration = Mp4Boxes.uint32(fragment, p, runEnd);
                    p += 4;
                }
                if ((trunFlags & TRUN_SIZE) != 0)
                {
                    p += 4;
                }
                if ((trunFlags & TRUN_FLAGS) != 0)
                {
                    sampleFlags = Mp4Boxes.int32(fragment, p, runEnd);
                    p += 4;
                }
                if ((trunFlags & TRUN_COMPOSITION_OFFSET) != 0)
                {
                    p += 4;
                }
                if (!firstKnown)
                {
                    firstFlags = hasFirstFlags ? runFirstFlags : sampleFlags;
                    firstKnown = true;
                }
                duration += sampleDuration;
            }
            samples += (int)count;
        }
        require(samples > 0, "fragment has no samples");
        require(duration > 0, "fragment has no duration (no sample durations and no default)");
        final boolean independent = init.kind() == TrackKind.AUDIO || (firstFlags & SAMPLE_IS_NON_SYNC) == 0;
        return new CmafFragment(fragment, baseDecodeTime, duration, samples, independent);
    }
}
