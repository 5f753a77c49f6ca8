package io.bifrost.origin.upload;

import java.nio.charset.StandardCharsets;

/**
 * Recognises video containers by their first bytes, so an upload that is plainly not a video (a text file, a PDF, a
 * ZIP) is refused after its first chunk instead of after gigabytes. It only says "could be video": ffprobe has the
 * last word once the upload is complete ({@link ProbeUploadValidator}). Stateless and thread-safe.
 */
final class ContainerSniffer
{
    /** Bytes looked at: enough for three MPEG-TS sync bytes (188-byte packets, 192 for M2TS). */
    static final int WINDOW = 512;

    private static final int TS_PACKET = 188;
    private static final int M2TS_PACKET = 192;
    private static final byte TS_SYNC = 0x47;
    private static final byte[] EBML = {0x1A, 0x45, (byte)0xDF, (byte)0xA3};
    private static final byte[] ASF = {0x30, 0x26, (byte)0xB2, 0x75, (byte)0x8E, 0x66, (byte)0xCF, 0x11};
    private static final byte[] MXF = {0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01};
    /** ISO BMFF / QuickTime top-level box types a file may start with (ISO/IEC 14496-12 4.2; QuickTime File Format). */
    private static final String[] BMFF_FIRST_BOXES = {"ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "styp"};

    private ContainerSniffer()
    {
    }

    /**
     * @param head   the first bytes of the upload.
     * @param length how many of them are valid: {@link #WINDOW}, or fewer when the whole upload is shorter.
     * @return the container's name, or null when the bytes start no video container Bifrost knows.
     */
    static String detect(final byte[] head, final int length)
    {
        if (length >= 8)
        {
            final String boxType = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
            for (final String box : BMFF_FIRST_BOXES)
            {
                if (box.equals(boxType))
                {
                    return "mp4/mov";
                }
            }
        }
        if (startsWith(head, length, EBML))
        {
            return "matroska/webm";
        }
        if (length >= 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'V' && head[3] == 1)
        {
            return "flv";
        }
        if (isTransportStream(head, length, 0, TS_PACKET))
        {
            return "mpegts";
        }
        if (isTransportStream(head, length, 4, M2TS_PACKET))
        {
            return "m2ts";
        }
        if (length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "AVI "))
        {
            return "avi";
        }
        if (length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && ((head[3] & 0xFF) == 0xBA || (head[3] & 0xFF) == 0xB3))
        {
            return "mpeg-ps";
        }
        if (startsWith(head, length, ASF))
        {
            return "asf/wmv";
        }
        if (startsWith(head, length, MXF))
        {
            return "mxf";
        }
        if (length >= 4 && ascii(head, 0, "OggS"))
        {
            return "ogg";
        }
        if (length >= 10 && ascii(head, 0, "YUV4MPEG2 "))
        {
            return "y4m";
        }
        return null;
    }

    /**
     * @return a short description of what the bytes look like instead, for the refusal message.
     */
    static String describe(final byte[] head, final int length)
    {
        final StringBuilder hex = new StringBuilder("first bytes");
        for (int i = 0; i < Math.min(8, length); i++)
        {
            hex.append(' ').append(String.format("%02x", head[i] & 0xFF));
        }
        int printable = 0;
        for (int i = 0; i < length; i++)
        {
            final int b = head[i] & 0xFF;
            if (b == '\n' || b == '\r' || b == '\t' || (b >= 0x20 && b < 0x7f) || b >= 0x80)
            {
                printable++;
            }
        }
        return length > 0 && printable == length ? hex + " (looks like text)" : hex.toString();
    }

    private static boolean isTransportStream(final byte[] head, final int length, final int first, final int packet)
    {
        if (length <= first + packet || head[first] != TS_SYNC)
        {
            return false;
        }
        for (int at = first + packet; at < length; at += packet)
        {
            if (head[at] != TS_SYNC)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(final byte[] head, final int length, final byte[] magic)
    {
        if (length < magic.length)
        {
            return false;
        }
        for (int i = 0; i < magic.length; i++)
        {
            if (head[i] != magic[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(final byte[] head, final int at, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (head[at + i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
