package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.http.ApiJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A test client for the control plane's API over real HTTP/1.1 (the JDK's HttpClient), reading answers as JSON.
 */
final class ApiClient implements AutoCloseable
{
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    /**
     * An answer: status, body text, and the body as JSON when it is JSON.
     */
    record Answer(int status, String body, JsonNode json, HttpResponse<String> response)
    {
        String errorCode()
        {
            return json.path("error").path("code").asText(null);
        }

        JsonNode data()
        {
            return json.path("data");
        }
    }

    ApiClient(final String host, final int port)
    {
        this.base = "http://" + host + ":" + port;
    }

    Answer send(final String method, final String path, final String body, final String token)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null)
        {
            request.header("Content-Type", "application/json");
        }
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        final String contentType = response.headers().firstValue("content-type").orElse("");
        final JsonNode json = contentType.startsWith("application/json") ? ApiJson.mapper().readTree(response.body()) : null;
        return new Answer(response.statusCode(), response.body(), json, response);
    }

    Answer get(final String path) throws IOException, InterruptedException
    {
        return send("GET", path, null, null);
    }

    Answer post(final String path, final String body) throws IOException, InterruptedException
    {
        return send("POST", path, body, null);
    }

    @Override
    public void close()
    {
        http.close();
    }
}
