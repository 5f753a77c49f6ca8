package io.bifrost.edge.player;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;

import java.io.IOException;

/**
 * Reads a QoE beacon body (schema version 1, one flat JSON object) under tight limits: at most
 * {@link #MAX_BODY_BYTES}, no nesting, strings of at most 64 characters, duplicate keys and unknown fields refused,
 * every number range-checked. Stateless and thread-safe; never throws on any input.
 *
 * <pre>
 * {"v":1, "id":"abc", "kind":"vod", "session":"9f2c01ab", "seq":0, "startupMs":420, "rebuffers":0, "rebufferMs":0,
 *  "switchesUp":1, "switchesDown":0, "playedMs":9800, "bitrateBps":2500000}
 * </pre>
 * {@code startupMs} is optional (present once per session); every other field is required. Times may be fractional
 * (they come from {@code performance.now()}) and are rounded; counts must be integers.
 */
public final class QoeBeaconParser
{
    /** Largest body accepted; a real beacon is about 250 bytes. */
    public static final int MAX_BODY_BYTES = 4096;

    static final long MAX_STARTUP_MS = 600_000;
    static final long MAX_INTERVAL_MS = 3_600_000;
    static final int MAX_EVENTS = 10_000;
    static final long MAX_SEQUENCE = 1_000_000_000L;
    static final long MAX_BITRATE_BPS = 10_000_000_000L;
    static final int MIN_SESSION_LENGTH = 8;
    static final int MAX_SESSION_LENGTH = 32;

    /** What a reader returns for a value of the wrong type or out of range (absent fields stay -1). */
    private static final long WRONG = -2;

    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(2)
            .maxStringLength(64)
            .maxNumberLength(24)
            .maxNameLength(32)
            .maxDocumentLength(MAX_BODY_BYTES)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private QoeBeaconParser()
    {
    }

    /**
     * @param body   the request body bytes.
     * @param offset where the body starts in {@code body}.
     * @param length body length in bytes.
     * @return the beacon, or why it was refused.
     */
    public static BeaconParse parse(final byte[] body, final int offset, final int length)
    {
        if (length > MAX_BODY_BYTES)
        {
            return BeaconRejection.TOO_LARGE;
        }
        try (JsonParser parser = JSON.createParser(body, offset, length))
        {
            return read(parser);
        }
        catch (final IOException | RuntimeException ex)
        {
            // JsonParseException, StreamConstraintsException (both IOExceptions) and number conversion problems.
            return BeaconRejection.MALFORMED;
        }
    }

    /**
     * @param body the whole request body.
     * @return the beacon, or why it was refused.
     */
    public static BeaconParse parse(final byte[] body)
    {
        return parse(body, 0, body.length);
    }

    private static BeaconParse read(final JsonParser parser) throws IOException
    {
        if (parser.nextToken() != JsonToken.START_OBJECT)
        {
            return BeaconRejection.MALFORMED;
        }
        long version = -1;
        String id = null;
        String kind = null;
        String session = null;
        long sequence = -1;
        long startupMs = -1;
        long rebuffers = -1;
        long rebufferMs = -1;
        long switchesUp = -1;
        long switchesDown = -1;
        long playedMs = -1;
        long bitrateBps = -1;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
        {
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)
            {
                return BeaconRejection.BAD_VALUE;
            }
            switch (field)
            {
                case "v" -> version = count(parser, value, Integer.MAX_VALUE);
                case "id" -> id = text(parser, value);
                case "kind" -> kind = text(parser, value);
                case "session" -> session = text(parser, value);
                case "seq" -> sequence = count(parser, value, MAX_SEQUENCE);
                case "startupMs" -> startupMs = millis(parser, value, MAX_STARTUP_MS);
                case "rebuffers" -> rebuffers = count(parser, value, MAX_EVENTS);
                case "rebufferMs" -> rebufferMs = millis(parser, value, MAX_INTERVAL_MS);
                case "switchesUp" -> switchesUp = count(parser, value, MAX_EVENTS);
                case "switchesDown" -> switchesDown = count(parser, value, MAX_EVENTS);
                case "playedMs" -> playedMs = millis(parser, value, MAX_INTERVAL_MS);
                case "bitrateBps" -> bitrateBps = millis(parser, value, MAX_BITRATE_BPS);
                default ->
                {
                    return BeaconRejection.UNKNOWN_FIELD;
                }
            }
            if (invalid(field, version, id, kind, session, sequence, startupMs, rebuffers, rebufferMs, switchesUp,
                switchesDown, playedMs, bitrateBps))
            {
                return BeaconRejection.BAD_VALUE;
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null)
        {
            return BeaconRejection.MALFORMED;
        }
        if (version < 0 || id == null || kind == null || session == null || sequence < 0 || rebuffers < 0 ||
            rebufferMs < 0 || switchesUp < 0 || switchesDown < 0 || playedMs < 0 || bitrateBps < 0)
        {
            return BeaconRejection.MISSING_FIELD;
        }
        if (version != 1)
        {
            return BeaconRejection.BAD_VERSION;
        }
        return new QoeBeacon(id, "live".equals(kind), session, sequence, startupMs, (int)rebuffers, rebufferMs,
            (int)switchesUp, (int)switchesDown, playedMs, bitrateBps);
    }

    /**
     * Checks the field just read; a wrong type or range was read as {@link #WRONG}.
     */
    private static boolean invalid(
        final String field,
        final long version,
        final String id,
        final String kind,
        final String session,
        final long sequence,
        final long startupMs,
        final long rebuffers,
        final long rebufferMs,
        final long switchesUp,
        final long switchesDown,
        final long playedMs,
        final long bitrateBps)
    {
        return switch (field)
        {
            case "v" -> version == WRONG;
            case "id" -> id == null || !isContentId(id);
            case "kind" -> !"vod".equals(kind) && !"live".equals(kind);
            case "session" -> session == null || !isSession(session);
            case "seq" -> sequence == WRONG;
            case "startupMs" -> startupMs == WRONG;
            case "rebuffers" -> rebuffers == WRONG;
            case "rebufferMs" -> rebufferMs == WRONG;
            case "switchesUp" -> switchesUp == WRONG;
            case "switchesDown" -> switchesDown == WRONG;
            case "playedMs" -> playedMs == WRONG;
            default -> bitrateBps == WRONG;
        };
    }

    private static long count(final JsonParser parser, final JsonToken value, final long max) throws IOException
    {
        if (value != JsonToken.VALUE_NUMBER_INT)
        {
            return WRONG;
        }
        if (parser.getNumberType() != JsonParser.NumberType.INT && parser.getNumberType() != JsonParser.NumberType.LONG)
        {
            return WRONG;
        }
        final long n = parser.getLongValue();
        return n < 0 || n > max ? WRONG : n;
    }

    private static long millis(final JsonParser parser, final JsonToken value, final long max) throws IOException
    {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT)
        {
            return WRONG;
        }
        final double d = parser.getDoubleValue();
        if (!Double.isFinite(d) || d < 0 || d > max)
        {
            return WRONG;
        }
        return Math.round(d);
    }

    private static String text(final JsonParser parser, final JsonToken value) throws IOException
    {
        return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    /**
     * @param id a candidate content id.
     * @return true when {@code id} names content under the edge's URL rules (the same check as {@code /vod/{id}/}).
     */
    static boolean isContentId(final String id)
    {
        return !id.isEmpty() && id.length() <= ContentKey.MAX_ID_LENGTH &&
            ContentKeyParser.parse("/vod/" + id + "/master.m3u8") instanceof ContentKey;
    }

    private static boolean isSession(final String session)
    {
        if (session.length() < MIN_SESSION_LENGTH || session.length() > MAX_SESSION_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < session.length(); i++)
        {
            final char c = session.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            {
                return false;
            }
        }
        return true;
    }
}
