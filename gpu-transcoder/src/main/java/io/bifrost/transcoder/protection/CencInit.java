package io.bifrost.transcoder.protection;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Rewrites a single-track CMAF initialisation segment for CENC (ISO/IEC 23001-7 section 4): the sample entry
 * ({@code avc1}, {@code avc3}, {@code hvc1}, {@code hev1}, {@code mp4a}) becomes {@code encv}/{@code enca} with a
 * {@code sinf} box naming the original format ({@code frma}), the {@code cenc} scheme ({@code schm}) and the default
 * key id with 8-byte per-sample IVs ({@code tenc}); the {@code moov} gets a {@code pssh} box of the W3C common
 * system listing the key id, so a browser's EME {@code encrypted} event names it. Stateless.
 *
 * @param bytes          the rewritten init segment.
 * @param nalLengthBytes bytes of each NAL unit's length prefix for video, 0 for audio (whole samples encrypted).
 * @param nalHeaderBytes bytes of a NAL unit header (1 for H.264, 2 for HEVC), 0 for audio.
 */
record CencInit(byte[] bytes, int nalLengthBytes, int nalHeaderBytes)
{
    /** Bytes of every per-sample IV (tenc default_Per_Sample_IV_Size). */
    static final int IV_SIZE = 8;
    /** ISO/IEC 23001-7 'cenc' scheme version 1.0. */
    private static final int SCHEME_VERSION = 0x0001_0000;
    private static final byte[] COMMON_SYSTEM_ID = HexFormat.of().parseHex("1077efecc0b24d02ace33c1e52e2fb4b");
    private static final int VISUAL_SAMPLE_ENTRY_FIELDS = 78;
    private static final int AUDIO_SAMPLE_ENTRY_FIELDS = 28;

    /**
     * @param init the clear init segment.
     * @param kid  the key id.
     * @return the protected init segment and how its samples are to be encrypted.
     * @throws IllegalArgumentException when the init segment is malformed, has more than one track or sample entry,
     *                                  or a codec CENC here does not cover.
     */
    static CencInit protect(final byte[] init, final byte[] kid)
    {
        final int moov = IsoBox.require(init, 0, init.length, "moov");
        final int moovEnd = moov + IsoBox.size(init, moov, init.length);
        final int trak = IsoBox.require(init, moov + IsoBox.HEADER, moovEnd, "trak");
        final int trakEnd = trak + IsoBox.size(init, trak, moovEnd);
        IsoBox.require(IsoBox.find(init, trakEnd, moovEnd, "trak") < 0, "a CMAF init segment has one track");
        final int mdia = IsoBox.require(init, trak + IsoBox.HEADER, trakEnd, "mdia");
        final int mdiaEnd = mdia + IsoBox.size(init, mdia, trakEnd);
        final int minf = IsoBox.require(init, mdia + IsoBox.HEADER, mdiaEnd, "minf");
        final int minfEnd = minf + IsoBox.size(init, minf, mdiaEnd);
        final int stbl = IsoBox.require(init, minf + IsoBox.HEADER, minfEnd, "stbl");
        final int stblEnd = stbl + IsoBox.size(init, stbl, minfEnd);
        final int stsd = IsoBox.require(init, stbl + IsoBox.HEADER, stblEnd, "stsd");
        final int stsdEnd = stsd + IsoBox.size(init, stsd, stblEnd);
        IsoBox.require(IsoBox.u32(init, stsd + IsoBox.FULL_HEADER) == 1, "stsd must hold exactly one sample entry");
        final int entry = stsd + IsoBox.FULL_HEADER + 4;
        final int entryEnd = entry + IsoBox.size(init, entry, stsdEnd);
        final String format = IsoBox.type(init, entry);

        final int nalLength;
        final int nalHeader;
        final String protectedFormat;
        switch (format)
        {
            case "avc1", "avc3" ->
            {
                final int avcC = IsoBox.require(init, entry + IsoBox.HEADER + VISUAL_SAMPLE_ENTRY_FIELDS, entryEnd,
                    "avcC");
                nalLength = (init[checked(init, avcC + IsoBox.HEADER + 4, entryEnd)] & 0x3) + 1;
                nalHeader = 1;
                protectedFormat = "encv";
            }
            case "hvc1", "hev1" ->
            {
                final int hvcC = IsoBox.require(init, entry + IsoBox.HEADER + VISUAL_SAMPLE_ENTRY_FIELDS, entryEnd,
                    "hvcC");
                nalLength = (init[checked(init, hvcC + IsoBox.HEADER + 21, entryEnd)] & 0x3) + 1;
                nalHeader = 2;
                protectedFormat = "encv";
            }
            case "mp4a" ->
            {
                IsoBox.require(entryEnd - entry >= IsoBox.HEADER + AUDIO_SAMPLE_ENTRY_FIELDS, "short mp4a entry");
                nalLength = 0;
                nalHeader = 0;
                protectedFormat = "enca";
            }
            default -> throw new IllegalArgumentException("clearkey covers H.264, HEVC and AAC renditions, not '" +
                format + "'");
        }
        IsoBox.require(nalLength != 3, "3-byte NAL unit lengths are not supported");

        final byte[] sinf = sinf(format, kid);
        final byte[] pssh = pssh(kid);
        final byte[] out = new byte[init.length + sinf.length + pssh.length];
        System.arraycopy(init, 0, out, 0, entryEnd);
        System.arraycopy(sinf, 0, out, entryEnd, sinf.length);
        System.arraycopy(init, entryEnd, out, entryEnd + sinf.length, moovEnd - entryEnd);
        System.arraycopy(pssh, 0, out, moovEnd + sinf.length, pssh.length);
        System.arraycopy(init, moovEnd, out, moovEnd + sinf.length + pssh.length, init.length - moovEnd);
        for (final int ancestor : new int[] {entry, stsd, stbl, minf, mdia, trak})
        {
            IsoBox.grow(out, ancestor, sinf.length);
        }
        IsoBox.grow(out, moov, sinf.length + pssh.length);
        for (int i = 0; i < 4; i++)
        {
            out[entry + 4 + i] = (byte)protectedFormat.charAt(i);
        }
        return new CencInit(out, nalLength, nalHeader);
    }

    private static int checked(final byte[] b, final int at, final int end)
    {
        IsoBox.require(at < end && at < b.length, "truncated codec configuration");
        return at;
    }

    private static byte[] sinf(final String originalFormat, final byte[] kid)
    {
        final int frma = IsoBox.HEADER + 4;
        final int schm = IsoBox.FULL_HEADER + 8;
        final int tenc = IsoBox.FULL_HEADER + 4 + TitleKey.LENGTH;
        final int schi = IsoBox.HEADER + tenc;
        final int sinf = IsoBox.HEADER + frma + schm + schi;
        final ByteBuffer box = ByteBuffer.allocate(sinf);
        header(box, sinf, "sinf");
        header(box, frma, "frma").put(ascii(originalFormat));
        header(box, schm, "schm").putInt(0).put(ascii("cenc")).putInt(SCHEME_VERSION);
        header(box, schi, "schi");
        // tenc v0: reserved, reserved, default_isProtected = 1, default_Per_Sample_IV_Size, default_KID
        header(box, tenc, "tenc").putInt(0).put((byte)0).put((byte)0).put((byte)1).put((byte)IV_SIZE).put(kid);
        return box.array();
    }

    private static byte[] pssh(final byte[] kid)
    {
        final int size = IsoBox.FULL_HEADER + 16 + 4 + TitleKey.LENGTH + 4;
        final ByteBuffer box = ByteBuffer.allocate(size);
        header(box, size, "pssh").putInt(0x0100_0000).put(COMMON_SYSTEM_ID).putInt(1).put(kid).putInt(0);
        return box.array();
    }

    private static ByteBuffer header(final ByteBuffer box, final int size, final String type)
    {
        return box.putInt(size).put(ascii(type));
    }

    private static byte[] ascii(final String fourcc)
    {
        final byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            bytes[i] = (byte)fourcc.charAt(i);
        }
        return bytes;
    }
}
