package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the live system tests ask a running {@code bifrost} over HTTP: a new stream from the control plane, and a URL
 * polled until it answers 200.
 */
final class LiveHttp
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveHttp()
    {
    }

    /**
     * @param control the control plane's base URL.
     * @return the created stream's {@code data} object ({@code stream_id}, {@code stream_key}, ...).
     */
    static JsonNode createStream(final HttpClient http, final String control, final String title) throws Exception
    {
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(control +
            "/api/v1/streams/create")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("title", title)
                .put("privacy", "public").toString()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("data");
    }

    /**
     * Poll {@code url} every 200 ms until it answers 200.
     *
     * @param diagnostics more text for the failure message (e.g. the processes' output).
     */
    static HttpResponse<String> awaitOk(final HttpClient http, final String url, final Duration timeout,
        final Supplier<String> diagnostics) throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline)
        {
            last = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200)
            {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " never answered 200; last " + (last == null ? "nothing" :
            last.statusCode() + " " + last.body()) + diagnostics.get());
    }

    /**
     * {@link #awaitOk(HttpClient, String, Duration, Supplier)} without more diagnostics.
     */
    static HttpResponse<String> awaitOk(final HttpClient http, final String url, final Duration timeout)
        throws Exception
    {
        return awaitOk(http, url, timeout, () -> "");
    }
}
