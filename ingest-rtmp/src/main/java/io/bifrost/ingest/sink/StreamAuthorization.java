package io.bifrost.ingest.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The answer to a publish: accepted for a stream id, or refused with a reason the publisher is told.
 *
 * @param allowed     whether the key may publish.
 * @param streamId    the control plane's stream id ({@code st_} + 32 lower-case hex digits) when allowed, else null;
 *                    safe to use as a path segment (checked here).
 * @param passthrough whether the stream skips the transcoder (remuxed as published).
 * @param detail      why the publish was refused, phrased for the publisher's onStatus and the log; "accepted" when allowed.
 */
public record StreamAuthorization(boolean allowed, String streamId, boolean passthrough, String detail)
{
    /** The control plane's stream id shape: {@code st_} + 16 random bytes in hex. */
    public static final Pattern STREAM_ID = Pattern.compile("st_[0-9a-f]{32}");

    public StreamAuthorization
    {
        Objects.requireNonNull(detail, "detail");
        if (allowed && (null == streamId || !STREAM_ID.matcher(streamId).matches()))
        {
            throw new IllegalArgumentException("stream id must match st_ + 32 hex digits, got " + streamId);
        }
    }

    /**
     * @param streamId    the stream id.
     * @param passthrough whether to skip transcoding.
     * @return an acceptance.
     */
    public static StreamAuthorization allow(final String streamId, final boolean passthrough)
    {
        return new StreamAuthorization(true, streamId, passthrough, "accepted");
    }

    /**
     * @param detail why, for the publisher and the log.
     * @return a refusal.
     */
    public static StreamAuthorization refuse(final String detail)
    {
        return new StreamAuthorization(false, null, false, detail);
    }

    /**
     * A stable stream id for a key when no control plane hands one out (development and tests): {@code st_} plus
     * the first 16 bytes of the key's SHA-256.
     *
     * @param streamKey the key.
     * @return the derived stream id.
     */
    public static String derivedStreamId(final String streamKey)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(streamKey.getBytes(StandardCharsets.UTF_8));
            return "st_" + HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }
}
