package io.bifrost.protocol.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Sets a live MPD's own clock ({@code <UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="..."/>}) to the
 * time the answer leaves, wherever the MPD is served: the origin renders it when a segment starts and serves it
 * unchanged for up to a segment, and edges serve the bytes the origin replicated to them. The direct scheme carries the
 * server's time in the document (ISO/IEC 23009-1 5.8.5.7) and a player (dash.js) sets its clock to it on receipt, so a
 * stale value puts the player's clock, and the live edge it computes, behind by the MPD's age: measured 1.5 s, enough
 * that dash.js never asked for the segment being written and got no low-latency (chunked) answer.
 *
 * <p>The value is a fixed-width {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (24 ASCII bytes), so stamping overwrites it in place;
 * only the last direct {@code UTCTiming} is the MPD's own (the ones inside {@code ProducerReferenceTime} name a format
 * and carry no value of this shape). An MPD without one is left as it is. Stateless and thread-safe.
 */
public final class MpdServedTime
{
    /** The UTCTiming scheme whose value is the server's time as an xs:dateTime. */
    public static final String DIRECT_SCHEME = "urn:mpeg:dash:utc:direct:2014";
    /** Length of {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    public static final int DATE_TIME_LENGTH = 24;

    private static final byte[] VALUE_PREFIX = ("<UTCTiming schemeIdUri=\"" + DIRECT_SCHEME + "\" value=\"")
        .getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter XS_DATE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MpdServedTime()
    {
    }

    /**
     * @param mpd the MPD's bytes (its readable bytes; indices are not moved).
     * @return the absolute index of the MPD's own direct UTCTiming value in {@code mpd}, or -1 when it has none of the
     *         expected shape.
     */
    public static int valueIndex(final ByteBuf mpd)
    {
        final int start = mpd.readerIndex();
        final int end = mpd.writerIndex();
        for (int at = end - VALUE_PREFIX.length - DATE_TIME_LENGTH - 1; at >= start; at--)
        {
            int i = 0;
            while (i < VALUE_PREFIX.length && mpd.getByte(at + i) == VALUE_PREFIX[i])
            {
                i++;
            }
            if (i == VALUE_PREFIX.length)
            {
                final int value = at + VALUE_PREFIX.length;
                return mpd.getByte(value + DATE_TIME_LENGTH) == '"' ? value : -1;
            }
        }
        return -1;
    }

    /**
     * @param mpd        the MPD's bytes.
     * @param valueIndex from {@link #valueIndex(ByteBuf)} on these bytes (or on a copy at the same offset).
     * @param nowMs      the wall clock now, ms since the epoch (years 0000..9999).
     */
    public static void stamp(final ByteBuf mpd, final int valueIndex, final long nowMs)
    {
        final String now = XS_DATE_TIME.format(java.time.Instant.ofEpochMilli(nowMs));
        if (now.length() == DATE_TIME_LENGTH)
        {
            mpd.setCharSequence(valueIndex, now, StandardCharsets.US_ASCII);
        }
    }

    /**
     * @param mpd   a whole MPD's bytes; stamped in place when it has a direct UTCTiming.
     * @param nowMs the wall clock now, ms since the epoch.
     * @return {@code mpd}.
     */
    public static byte[] stamp(final byte[] mpd, final long nowMs)
    {
        final ByteBuf bytes = Unpooled.wrappedBuffer(mpd);
        final int value = valueIndex(bytes);
        if (value >= 0)
        {
            stamp(bytes, value, nowMs);
        }
        return mpd;
    }
}
