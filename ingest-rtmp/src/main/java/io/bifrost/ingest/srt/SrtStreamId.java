package io.bifrost.ingest.srt;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The stream key an SRT caller sends in its stream id, and the ffmpeg log line that reveals it.
 *
 * <p>Accepted stream id forms: the bare key ({@code sk_...}), {@code live/KEY}, and the SRT access-control syntax
 * {@code #!::r=KEY,m=publish} (also {@code r=live/KEY}; {@code m} may be absent, any other mode is refused). Keys
 * are at most {@link #MAX_KEY_LENGTH} characters of {@code [A-Za-z0-9_.~-]}. ffmpeg 5.1's libsrt listener reports
 * the caller's stream id at log level {@code verbose} as {@code accept streamid [ID], length N}; nothing else
 * exposes it (srt-live-transmit 1.5 does not print it). Stateless.
 */
public final class SrtStreamId
{
    /** The SRT stream id is at most 512 bytes (SRTO_STREAMID, SRT 1.5 socket options). */
    public static final int MAX_STREAM_ID_LENGTH = 512;
    /** Longest key accepted. */
    public static final int MAX_KEY_LENGTH = 256;
    /** The access-control prefix (SRT "Access Control" guidelines). */
    static final String ACCESS_CONTROL_PREFIX = "#!::";
    /** What ffmpeg's libsrt prints when its listener accepts a caller (libavformat/libsrt.c, AV_LOG_VERBOSE). */
    static final String LOG_MARKER = "accept streamid [";
    private static final String LOG_LENGTH = "], length ";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.~-]{1," + MAX_KEY_LENGTH + "}");

    private SrtStreamId()
    {
    }

    /**
     * @param line one line of ffmpeg's stderr.
     * @return the stream id the line announces, or null when the line is something else.
     * @throws SrtStreamIdException when the line announces a stream id that is malformed or too long.
     */
    public static String fromLogLine(final String line)
    {
        final int start = line.indexOf(LOG_MARKER);
        if (start < 0)
        {
            return null;
        }
        final int end = line.lastIndexOf(LOG_LENGTH);
        if (end < start + LOG_MARKER.length())
        {
            throw new SrtStreamIdException("srt stream id line without its length");
        }
        final String id = line.substring(start + LOG_MARKER.length(), end);
        final String length = line.substring(end + LOG_LENGTH.length()).trim();
        if (length.isEmpty() || length.length() > 4 || !length.chars().allMatch(Character::isDigit) ||
            Integer.parseInt(length) != id.getBytes(StandardCharsets.UTF_8).length)
        {
            throw new SrtStreamIdException("srt stream id line whose length does not match the id");
        }
        if (id.length() > MAX_STREAM_ID_LENGTH)
        {
            throw new SrtStreamIdException("srt stream id longer than " + MAX_STREAM_ID_LENGTH + " bytes");
        }
        return id;
    }

    /**
     * @param streamId the caller's stream id.
     * @return the stream key it carries.
     * @throws SrtStreamIdException naming what is wrong with it.
     */
    public static String streamKey(final String streamId)
    {
        String resource = streamId;
        if (streamId.startsWith(ACCESS_CONTROL_PREFIX))
        {
            resource = null;
            for (final String pair : streamId.substring(ACCESS_CONTROL_PREFIX.length()).split(",", 16))
            {
                final int eq = pair.indexOf('=');
                if (eq < 1)
                {
                    throw new SrtStreamIdException("srt stream id: '" + pair + "' is not key=value");
                }
                final String name = pair.substring(0, eq);
                final String value = pair.substring(eq + 1);
                if ("r".equals(name))
                {
                    resource = value;
                }
                else if ("m".equals(name) && !"publish".equals(value))
                {
                    throw new SrtStreamIdException("srt stream id: mode '" + value + "' is not publish");
                }
            }
            if (null == resource)
            {
                throw new SrtStreamIdException("srt stream id without r=KEY");
            }
        }
        if (resource.startsWith("live/"))
        {
            resource = resource.substring("live/".length());
        }
        if (!KEY.matcher(resource).matches())
        {
            throw new SrtStreamIdException("srt stream id does not carry a stream key (" + MAX_KEY_LENGTH +
                " characters at most of A-Z a-z 0-9 _ . ~ -)");
        }
        return resource;
    }
}
