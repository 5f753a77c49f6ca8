package io.bifrost.edge.live;

import java.nio.charset.StandardCharsets;

/**
 * Test content: deterministic part bytes and LL-HLS media playlists for a window.
 */
final class LiveParts
{
    static final int PARTS_PER_SEGMENT = 4;

    private LiveParts()
    {
    }

    static byte[] bytes(final long epoch, final long msn, final int part)
    {
        final byte[] bytes = new byte[3000 + (int)(msn % 7) * 1000 + part * 100];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(epoch * 31 + msn * 7 + part * 3 + i);
        }
        return bytes;
    }

    /**
     * A media playlist listing segments firstMsn..lastCompleteMsn with their parts, then lastPartIndex + 1 parts of
     * the segment in progress and a preload hint for the next part.
     */
    static String playlist(final LiveWindow w)
    {
        final StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:2\n")
            .append("#EXT-X-PART-INF:PART-TARGET=0.5\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5\n")
            .append("#EXT-X-MEDIA-SEQUENCE:").append(w.firstMsn()).append('\n');
        for (long msn = w.firstMsn(); msn <= w.lastCompleteMsn(); msn++)
        {
            for (int p = 0; p < PARTS_PER_SEGMENT; p++)
            {
                part(text, w.epoch(), msn, p);
            }
            text.append("#EXTINF:2.0,\n").append(w.epoch()).append('-').append(msn).append(".m4s\n");
        }
        for (int p = 0; p <= w.lastPartIndex(); p++)
        {
            part(text, w.epoch(), w.lastCompleteMsn() + 1, p);
        }
        final long hintMsn = w.lastPartIndex() + 1 >= PARTS_PER_SEGMENT ? w.lastCompleteMsn() + 2 : w.lastCompleteMsn() + 1;
        final int hintPart = w.lastPartIndex() + 1 >= PARTS_PER_SEGMENT ? 0 : w.lastPartIndex() + 1;
        text.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(w.epoch()).append('-').append(hintMsn).append('.')
            .append(hintPart).append(".m4s\"\n");
        return text.toString();
    }

    private static void part(final StringBuilder text, final long epoch, final long msn, final int p)
    {
        text.append("#EXT-X-PART:DURATION=0.5,URI=\"").append(epoch).append('-').append(msn).append('.').append(p)
            .append(".m4s\"").append(p == 0 ? ",INDEPENDENT=YES" : "").append('\n');
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
