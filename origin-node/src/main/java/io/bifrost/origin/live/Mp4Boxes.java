package io.bifrost.origin.live;

/**
 * ISO BMFF box types (ISO/IEC 14496-12) the live packager reads, as big-endian four-character codes, and bounded
 * readers over a byte array. Every read is checked against the range it may touch, so a hostile box gives an
 * {@link IllegalArgumentException}, never an out-of-bounds read.
 */
final class Mp4Boxes
{
    /** 4.3 File type box. */
    static final int FTYP = fourcc("ftyp");
    /** 8.16.2 Segment type box. */
    static final int STYP = fourcc("styp");
    /** 8.2.1 Movie box. */
    static final int MOOV = fourcc("moov");
    /** 8.8.4 Movie fragment box. */
    static final int MOOF = fourcc("moof");
    /** 8.1.1 Media data box. */
    static final int MDAT = fourcc("mdat");
    /** 8.3.1 Track box. */
    static final int TRAK = fourcc("trak");
    /** 8.3.2 Track header box. */
    static final int TKHD = fourcc("tkhd");
    /** 8.4.1 Media box. */
    static final int MDIA = fourcc("mdia");
    /** 8.4.2 Media header box. */
    static final int MDHD = fourcc("mdhd");
    /** 8.4.3 Handler reference box. */
    static final int HDLR = fourcc("hdlr");
    /** 8.4.4 Media information box. */
    static final int MINF = fourcc("minf");
    /** 8.1.1 Sample table box. */
    static final int STBL = fourcc("stbl");
    /** 8.5.2 Sample description box. */
    static final int STSD = fourcc("stsd");
    /** 8.8.1 Movie extends box. */
    static final int MVEX = fourcc("mvex");
    /** 8.8.3 Track extends box. */
    static final int TREX = fourcc("trex");
    /** 8.8.6 Track fragment box. */
    static final int TRAF = fourcc("traf");
    /** 8.8.7 Track fragment header box. */
    static final int TFHD = fourcc("tfhd");
    /** 8.8.12 Track fragment decode time box. */
    static final int TFDT = fourcc("tfdt");
    /** 8.8.8 Track fragment run box. */
    static final int TRUN = fourcc("trun");
    /** ISO/IEC 14496-14 5.6: elementary stream descriptor box (AAC). */
    static final int ESDS = fourcc("esds");
    /** Handler type of video tracks. */
    static final int VIDE = fourcc("vide");
    /** Handler type of audio tracks. */
    static final int SOUN = fourcc("soun");
    /** MPEG-4 audio sample entry. */
    static final int MP4A = fourcc("mp4a");
    /** H.264 sample entries. */
    static final int AVC1 = fourcc("avc1");
    static final int AVC3 = fourcc("avc3");

    /** Value returned by {@link #find} when no box of the type is in the range. */
    static final long NOT_FOUND = -1;

    private Mp4Boxes()
    {
    }

    static int fourcc(final String type)
    {
        return (type.charAt(0) << 24) | (type.charAt(1) << 16) | (type.charAt(2) << 8) | type.charAt(3);
    }

    /**
     * @param type a four-character code.
     * @return it as printable text (non-printable bytes as {@code ?}), for error messages.
     */
    static String typeName(final int type)
    {
        final StringBuilder s = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            final int c = (type >>> shift) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char)c : '?');
        }
        return s.toString();
    }

    /**
     * Finds the first child box of a type among the boxes that fill {@code [from, to)}.
     *
     * @return {@code (payloadStart << 32) | payloadEnd}, or {@link #NOT_FOUND}.
     * @throws IllegalArgumentException when a box size is out of bounds.
     */
    static long find(final byte[] b, final int from, final int to, final int type)
    {
        int pos = from;
        while (pos + 8 <= to)
        {
            long size = uint32(b, pos, to);
            int header = 8;
            if (size == 1)
            {
                require(pos + 16 <= to, "box at " + pos + " is truncated");
                final long high = uint32(b, pos + 8, to);
                require(high == 0, "box at " + pos + " is larger than 4 GiB");
                size = uint32(b, pos + 12, to);
                header = 16;
            }
            else if (size == 0)
            {
                size = to - pos;
            }
            require(size >= header && size <= to - pos, "box '" + typeName(int32(b, pos + 4, to)) + "' at " + pos +
                " has a bad size " + size);
            if (int32(b, pos + 4, to) == type)
            {
                return ((long)(pos + header) << 32) | (pos + size);
            }
            pos += (int)size;
        }
        return NOT_FOUND;
    }

    /**
     * Like {@link #find} but the box must be there.
     */
    static long require(final byte[] b, final int from, final int to, final int type, final String where)
    {
        final long found = find(b, from, to, type);
        if (found == NOT_FOUND)
        {
            throw new IllegalArgumentException("no '" + typeName(type) + "' box in " + where);
        }
        return found;
    }

    static int start(final long range)
    {
        return (int)(range >>> 32);
    }

    static int end(final long range)
    {
        return (int)range;
    }

    static long uint32(final byte[] b, final int pos, final int limit)
    {
        return Integer.toUnsignedLong(int32(b, pos, limit));
    }

    static int int32(final byte[] b, final int pos, final int limit)
    {
        require(pos >= 0 && pos + 4 <= limit, "read past the end of a box");
        return ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }

    static long int64(final byte[] b, final int pos, final int limit)
    {
        require(pos >= 0 && pos + 8 <= limit, "read past the end of a box");
        return ((long)int32(b, pos, limit) << 32) | uint32(b, pos + 4, limit);
    }

    static int uint16(final byte[] b, final int pos, final int limit)
    {
        require(pos >= 0 && pos + 2 <= limit, "read past the end of a box");
        return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    }

    static int uint8(final byte[] b, final int pos, final int limit)
    {
        require(pos >= 0 && pos < limit, "read past the end of a box");
        return b[pos] & 0xFF;
    }

    static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
