package io.bifrost.control.playback;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.http.ApiJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A small real-HTTP client for the playback and dashboard API tests: sends a request, reads the envelope as JSON.
 */
public final class HttpJson implements AutoCloseable
{
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    /**
     * An answer.
     *
     * @param status   the HTTP status.
     * @param json     the body as JSON, or null when it is not JSON.
     * @param response the raw response.
     */
    public record Answer(int status, JsonNode json, HttpResponse<String> response)
    {
        public JsonNode data()
        {
            return json.path("data");
        }

        public String errorCode()
        {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        public String header(final String name)
        {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    public HttpJson(final int port)
    {
        this.base = "http://127.0.0.1:" + port;
    }

    public Answer send(final String method, final String path, final String body, final String token)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null)
        {
            request.header("Content-Type", "application/json");
        }
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        final boolean json = response.headers().firstValue("content-type").orElse("").startsWith("application/json");
        return new Answer(response.statusCode(), json ? ApiJson.mapper().readTree(response.body()) : null, response);
    }

    public Answer get(final String path) throws IOException, InterruptedException
    {
        return send("GET", path, null, null);
    }

    public Answer post(final String path, final String body) throws IOException, InterruptedException
    {
        return send("POST", path, body, null);
    }

    @Override
    public void close()
    {
        http.close();
    }
}
