package io.bifrost.origin.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the video renditions a published HLS multivariant playlist advertises ({@code EXT-X-STREAM-INF} attribute
 * lists, RFC 8216bis section 4.4.6.2, and the URI line after each), for the catalog's {@code formats}.
 *
 * <p>Bounded: at most {@value #MAX_VARIANTS} variants and {@value #MAX_BYTES} characters; anything malformed is an
 * {@link IllegalArgumentException} with a message, never another exception. Stateless.
 */
public final class MasterPlaylistReader
{
    /** Largest playlist read, in characters. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Most variants read. */
    public static final int MAX_VARIANTS = 64;
    private static final String STREAM_INF = "#EXT-X-STREAM-INF:";

    private MasterPlaylistReader()
    {
    }

    /**
     * @param playlist the playlist text.
     * @return the variants in playlist order.
     * @throws IllegalArgumentException when the playlist is not a readable multivariant playlist.
     */
    public static List<VideoRecord.Format> read(final String playlist)
    {
        if (playlist.length() > MAX_BYTES)
        {
            throw new IllegalArgumentException("master playlist is larger than " + MAX_BYTES + " characters");
        }
        if (!playlist.startsWith("#EXTM3U"))
        {
            throw new IllegalArgumentException("master playlist does not start with #EXTM3U");
        }
        final String[] lines = playlist.split("\n", -1);
        final List<VideoRecord.Format> formats = new ArrayList<>();
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i].strip();
            if (!line.startsWith(STREAM_INF))
            {
                continue;
            }
            if (formats.size() == MAX_VARIANTS)
            {
                throw new IllegalArgumentException("master playlist has more than " + MAX_VARIANTS + " variants");
            }
            final String uri = i + 1 < lines.length ? lines[i + 1].strip() : "";
            final int slash = uri.indexOf('/');
            if (uri.isEmpty() || uri.startsWith("#") || slash <= 0)
            {
                throw new IllegalArgumentException("EXT-X-STREAM-INF is not followed by a {rendition}/... URI");
            }
            formats.add(variant(line.substring(STREAM_INF.length()), uri.substring(0, slash)));
        }
        return formats;
    }

    private static VideoRecord.Format variant(final String attributes, final String name)
    {
        long bandwidth = -1;
        long average = -1;
        int width = 0;
        int height = 0;
        String codecs = "";
        double frameRate = 0;
        int at = 0;
        while (at < attributes.length())
        {
            final int equals = attributes.indexOf('=', at);
            if (equals < 0)
            {
                throw new IllegalArgumentException("attribute without '=' in EXT-X-STREAM-INF");
            }
            final String attribute = attributes.substring(at, equals);
            final int valueEnd;
            final String value;
            if (equals + 1 < attributes.length() && attributes.charAt(equals + 1) == '"')
            {
                final int close = attributes.indexOf('"', equals + 2);
                if (close < 0)
                {
                    throw new IllegalArgumentException("unterminated quoted string in EXT-X-STREAM-INF");
                }
                value = attributes.substring(equals + 2, close);
                valueEnd = close + 1;
            }
            else
            {
                final int comma = attributes.indexOf(',', equals);
                valueEnd = comma < 0 ? attributes.length() : comma;
                value = attributes.substring(equals + 1, valueEnd);
            }
            switch (attribute)
            {
                case "BANDWIDTH" -> bandwidth = decimal(value);
                case "AVERAGE-BANDWIDTH" -> average = decimal(value);
                case "CODECS" -> codecs = value;
                case "FRAME-RATE" -> frameRate = rate(value);
                case "RESOLUTION" ->
                {
                    final int x = value.indexOf('x');
                    if (x < 0)
                    {
                        throw new IllegalArgumentException("RESOLUTION is not WIDTHxHEIGHT");
                    }
                    width = (int)Math.min(decimal(value.substring(0, x)), Integer.MAX_VALUE);
                    height = (int)Math.min(decimal(value.substring(x + 1)), Integer.MAX_VALUE);
                }
                default ->
                {
                }
            }
            if (valueEnd < attributes.length() && attributes.charAt(valueEnd) != ',')
            {
                throw new IllegalArgumentException("attributes must be separated by ','");
            }
            at = valueEnd + 1;
        }
        if (bandwidth < 0)
        {
            throw new IllegalArgumentException("EXT-X-STREAM-INF has no BANDWIDTH");
        }
        return new VideoRecord.Format(name, width, height, bandwidth, average < 0 ? bandwidth : average, codecs,
            frameRate);
    }

    private static long decimal(final String value)
    {
        if (value.isEmpty() || value.length() > 18)
        {
            throw new IllegalArgumentException("not a decimal integer of 1..18 digits");
        }
        long result = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException("not a decimal integer");
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static double rate(final String value)
    {
        if (value.isEmpty() || value.length() > 12)
        {
            throw new IllegalArgumentException("FRAME-RATE is not a short decimal");
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ((c < '0' || c > '9') && c != '.')
            {
                throw new IllegalArgumentException("FRAME-RATE is not a decimal");
            }
        }
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("FRAME-RATE is not a decimal", ex);
        }
    }
}
