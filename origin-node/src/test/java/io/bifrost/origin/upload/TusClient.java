package io.bifrost.origin.upload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A minimal tus 1.0.0 client over the JDK HttpClient (HTTP/1.1), for tests: each call is one request, so tests can
 * look at every status and header.
 */
final class TusClient
{
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> send(final HttpRequest.Builder request) throws IOException, InterruptedException
    {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> create(final String endpoint, final long length, final Map<String, String> metadata)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", Long.toString(length))
            .POST(HttpRequest.BodyPublishers.noBody());
        if (!metadata.isEmpty())
        {
            request.header("Upload-Metadata", metadataHeader(metadata));
        }
        return send(request);
    }

    static String metadataHeader(final Map<String, String> metadata)
    {
        return metadata.entrySet().stream()
            .map(e -> e.getKey() + " " + Base64.getEncoder().encodeToString(e.getValue().getBytes()))
            .collect(Collectors.joining(","));
    }

    HttpResponse<String> head(final String url) throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Tus-Resumable", "1.0.0")
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> patch(final String url, final long offset, final byte[] body, final int from, final int to,
        final String... extraHeaders) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", Long.toString(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body, from, to - from));
        if (extraHeaders.length > 0)
        {
            request.headers(extraHeaders);
        }
        return send(request);
    }

    HttpResponse<String> delete(final String url) throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Tus-Resumable", "1.0.0").DELETE());
    }

    HttpResponse<String> get(final String url) throws IOException, InterruptedException
    {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }
}
