package io.bifrost.transcoder.packaging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Derives the RFC 6381 codec string of a video track from the decoder configuration box in its CMAF init segment,
 * so {@code CODECS} states the profile and level the encoder actually chose:
 * {@code avcC} (ISO/IEC 14496-15 5.3.3.1) gives {@code avc1.PPCCLL}; {@code hvcC} (14496-15 8.3.3.1) gives
 * {@code hvc1.P.C.TL.B}; {@code vpcC} (VP9 codec ISO BMFF binding 2.2) gives {@code vp09.PP.LL.DD};
 * {@code av1C} (AV1 ISOBMFF 2.3) gives {@code av01.P.LLT.DD}.
 * <p>
 * The box is found by walking the box tree of {@code moov/trak/mdia/minf/stbl/stsd} and the sample entry; every size
 * is bounds-checked, so a truncated or hostile file gives an {@link IllegalArgumentException}, never an
 * out-of-bounds read.
 */
public final class CodecStringReader
{
    private static final int SAMPLE_ENTRY_HEADER = 8;
    /** VisualSampleEntry fields before its child boxes (ISO/IEC 14496-12 12.1.3). */
    private static final int VISUAL_SAMPLE_ENTRY_FIELDS = 78;

    private CodecStringReader()
    {
    }

    /**
     * @param init the init segment bytes.
     * @return the codec string.
     * @throws IllegalArgumentException when no supported configuration box is found.
     */
    public static String videoCodecString(final byte[] init)
    {
        final int[] moov = find(init, 0, init.length, "moov");
        final int[] trak = find(init, moov[0], moov[1], "trak");
        final int[] mdia = find(init, trak[0], trak[1], "mdia");
        final int[] minf = find(init, mdia[0], mdia[1], "minf");
        final int[] stbl = find(init, minf[0], minf[1], "stbl");
        final int[] stsd = find(init, stbl[0], stbl[1], "stsd");
        final int entryStart = stsd[0] + 8; // version/flags + entry_count
        require(entryStart + SAMPLE_ENTRY_HEADER <= stsd[1], "stsd is truncated");
        final long entrySize = readUint32(init, entryStart);
        require(entrySize >= SAMPLE_ENTRY_HEADER + VISUAL_SAMPLE_ENTRY_FIELDS && entryStart + entrySize <= stsd[1],
            "sample entry size out of bounds");
        final String format = new String(init, entryStart + 4, 4, StandardCharsets.ISO_8859_1);
        final int childStart = entryStart + SAMPLE_ENTRY_HEADER + VISUAL_SAMPLE_ENTRY_FIELDS;
        final int childEnd = (int)(entryStart + entrySize);
        return switch (format)
        {
            case "avc1", "avc3" -> avc(format, init, find(init, childStart, childEnd, "avcC"));
            case "hvc1", "hev1" -> hevc(format, init, find(init, childStart, childEnd, "hvcC"));
            case "vp09" -> vp9(init, find(init, childStart, childEnd, "vpcC"));
            case "av01" -> av1(init, find(init, childStart, childEnd, "av1C"));
            default -> throw new IllegalArgumentException("unsupported sample entry '" + printable(format) + "'");
        };
    }

    private static String avc(final String format, final byte[] b, final int[] box)
    {
        require(box[1] - box[0] >= 4, "avcC is truncated");
        return String.format(Locale.ROOT, "%s.%02x%02x%02x", format, b[box[0] + 1] & 0xFF, b[box[0] + 2] & 0xFF,
            b[box[0] + 3] & 0xFF);
    }

    private static String hevc(final String format, final byte[] b, final int[] box)
    {
        require(box[1] - box[0] >= 13, "hvcC is truncated");
        final int p = box[0];
        final int profileSpace = (b[p + 1] & 0xC0) >> 6;
        final int tier = (b[p + 1] & 0x20) >> 5;
        final int profile = b[p + 1] & 0x1F;
        final long compat = readUint32(b, p + 2);
        final long reversed = Integer.toUnsignedLong(Integer.reverse((int)compat));
        final StringBuilder s = new StringBuilder(format).append('.');
        if (profileSpace > 0)
        {
            s.append((char)('A' + profileSpace - 1));
        }
        s.append(profile).append('.').append(Long.toHexString(reversed).toUpperCase(Locale.ROOT))
            .append('.').append(tier == 0 ? 'L' : 'H').append(b[p + 12] & 0xFF);
        int lastNonZero = -1;
        for (int i = 0; i < 6; i++)
        {
            if (b[p + 6 + i] != 0)
            {
                lastNonZero = i;
            }
        }
        for (int i = 0; i <= lastNonZero; i++)
        {
            s.append('.').append(Integer.toHexString(b[p + 6 + i] & 0xFF).toUpperCase(Locale.ROOT));
        }
        return s.toString();
    }

    private static String vp9(final byte[] b, final int[] box)
    {
        require(box[1] - box[0] >= 7, "vpcC is truncated");
        final int p = box[0] + 4; // version 1 full box
        return String.format(Locale.ROOT, "vp09.%02d.%02d.%02d", b[p] & 0xFF, b[p + 1] & 0xFF, (b[p + 2] & 0xF0) >> 4);
    }

    private static String av1(final byte[] b, final int[] box)
    {
        require(box[1] - box[0] >= 3, "av1C is truncated");
        final int p = box[0];
        final int profile = (b[p + 1] & 0xE0) >> 5;
        final int level = b[p + 1] & 0x1F;
        final boolean highTier = (b[p + 2] & 0x80) != 0;
        final boolean highBitDepth = (b[p + 2] & 0x40) != 0;
        final boolean twelveBit = (b[p + 2] & 0x20) != 0;
        final int depth = highBitDepth ? (twelveBit ? 12 : 10) : 8;
        return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", profile, level, highTier ? 'H' : 'M', depth);
    }

    /** Payload range {start, end} of the first box of that type between from and to. */
    private static int[] find(final byte[] b, final int from, final int to, final String type)
    {
        int pos = from;
        while (pos + 8 <= to)
        {
            long size = readUint32(b, pos);
            int header = 8;
            if (size == 1)
            {
                require(pos + 16 <= to, "box at " + pos + " is truncated");
                final long high = readUint32(b, pos + 8);
                require(high == 0, "box at " + pos + " is larger than 4 GiB");
                size = readUint32(b, pos + 12);
                header = 16;
            }
            else if (size == 0)
            {
                size = to - pos;
            }
            require(size >= header && pos + size <= to, "box at " + pos + " has a bad size " + size);
            if (b[pos + 4] == type.charAt(0) && b[pos + 5] == type.charAt(1) && b[pos + 6] == type.charAt(2) &&
                b[pos + 7] == type.charAt(3))
            {
                return new int[]{ pos + header, (int)(pos + size) };
            }
            pos += (int)size;
        }
        throw new IllegalArgumentException("no '" + type + "' box in the init segment");
    }

    private static long readUint32(final byte[] b, final int pos)
    {
        return ((long)(b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) |
            (b[pos + 3] & 0xFF);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("init segment: " + message);
        }
    }

    private static String printable(final String fourcc)
    {
        final StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < fourcc.length(); i++)
        {
            final char c = fourcc.charAt(i);
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }
}
