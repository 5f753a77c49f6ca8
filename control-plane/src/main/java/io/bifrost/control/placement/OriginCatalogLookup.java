package io.bifrost.control.placement;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Asks the origin's catalog when a VOD title was published: {@code GET {origin}/api/v1/videos/{id}}, field
 * {@code data.published_at} (ISO-8601 instant; absent until the title is published). 404 and 410 (deleted) answer
 * -1; any other status, a body over {@link #MAX_BODY_BYTES} or one that is not the origin's envelope fail the
 * future. Each request times out after {@link #TIMEOUT}. Thread-safe; {@link #close()} stops the HTTP client.
 */
public final class OriginCatalogLookup implements PublicationLookup, AutoCloseable
{
    /** Longest answer read (a video with every format, thumbnail and caption is a few KiB). */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Connect and answer timeout of one request. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxDocumentLength(MAX_BODY_BYTES)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build());

    private final URI origin;
    private final HttpClient http;

    /**
     * @param origin the origin's base URL, e.g. {@code http://origin.internal:8081} (http or https).
     * @throws IllegalArgumentException when it is not an absolute http(s) URL.
     */
    public OriginCatalogLookup(final URI origin)
    {
        if (origin.getScheme() == null || !origin.getScheme().matches("https?") || origin.getHost() == null)
        {
            throw new IllegalArgumentException("control.origin-url must be an http(s) URL like " +
                "http://origin:8081, got '" + origin + "'");
        }
        final String base = origin.toString();
        this.origin = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        // HTTP/1.1: the origin now accepts h2c upgrades, and the JDK client loses bytes that arrive while it switches
        // (docs/edge.md, 7.); a small catalog answer gains nothing from HTTP/2.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public CompletableFuture<Long> publishedAtMs(final String videoId)
    {
        if (!VIDEO_ID.matcher(videoId).matches())
        {
            return CompletableFuture.completedFuture(-1L);
        }
        final HttpRequest request = HttpRequest.newBuilder(URI.create(origin + "/api/v1/videos/" + videoId))
            .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(response ->
        {
            try (InputStream body = response.body())
            {
                if (response.statusCode() == 404 || response.statusCode() == 410)
                {
                    return -1L;
                }
                if (response.statusCode() != 200)
                {
                    throw new IllegalStateException("origin catalog answered " + response.statusCode() + " for video " +
                        videoId);
                }
                final byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES)
                {
                    throw new IllegalStateException("origin catalog answer for video " + videoId + " is over " +
                        MAX_BODY_BYTES + " bytes");
                }
                return publishedAtMs(bytes);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /**
     * Read the publication time out of a catalog answer.
     *
     * @param body the answer, {@code {"success":true,"data":{..., "published_at":"2026-12-01T10:00:00Z"}}}.
     * @return epoch milliseconds, or -1 when the video has no {@code published_at} (not published yet).
     * @throws IllegalArgumentException when the body is not such an answer.
     */
    static long publishedAtMs(final byte[] body)
    {
        final JsonNode root;
        try
        {
            root = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("origin catalog answer is not JSON", ex);
        }
        if (root == null || !root.path("success").asBoolean(false) || !root.path("data").isObject())
        {
            throw new IllegalArgumentException("origin catalog answer is not a successful envelope");
        }
        final JsonNode published = root.path("data").path("published_at");
        if (published.isMissingNode() || published.isNull())
        {
            return -1;
        }
        if (!published.isTextual())
        {
            throw new IllegalArgumentException("origin catalog's published_at is not text");
        }
        try
        {
            return Math.max(0, Instant.parse(published.asText()).toEpochMilli());
        }
        catch (final DateTimeParseException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("origin catalog's published_at is not an ISO-8601 instant", ex);
        }
    }

    @Override
    public void close()
    {
        http.shutdownNow();
    }

    @Override
    public String toString()
    {
        return origin.toString();
    }
}
