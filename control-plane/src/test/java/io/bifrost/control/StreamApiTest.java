package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.http.ApiJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream registry end to end over HTTP on 127.0.0.1: a real control plane (Netty, embedded H2 file database in a
 * temp dir) and the JDK's HTTP client. No tokens are configured, so loopback callers are trusted.
 */
class StreamApiTest
{
    private static final String CREATE = "/api/v1/streams/create";
    private static final String AUTHORIZE = "/api/v1/internal/streams/authorize";

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ControlPlane.Running control;
    private ApiClient api;

    @BeforeEach
    void start()
    {
        control = ControlPlane.launch(context());
        api = new ApiClient("127.0.0.1", control.port());
    }

    @AfterEach
    void stop()
    {
        api.close();
        control.close();
    }

    private ControlPlane.Context context()
    {
        return new ControlPlane.Context().bindAddress("127.0.0.1").port(0).dataDir(dataDir)
            .publicIngestHost("ingest.example.net").publicPlaybackUrl("https://play.example.net/").meterRegistry(registry);
    }

    @Test
    void shouldCreateStreamWithTheSeedShapeAndAnUnguessableKey() throws Exception
    {
        final ApiClient.Answer created = api.post(CREATE, """
            {"title":"Live Q&A Session","description":"Join me","category_id":15,
             "scheduled_start":"2024-01-15T20:00:00+01:00","privacy":"unlisted"}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("success").asBoolean()).isTrue();
        final JsonNode data = created.data();
        final String id = data.path("stream_id").asText();
        assertThat(id).matches("st_[0-9a-f]{32}").hasSize(35);
        assertThat(data.path("stream_key").asText()).matches("sk_[A-Za-z0-9_-]{43}").hasSize(46);
        assertThat(data.path("stream_key_prefix").asText()).isEqualTo(data.path("stream_key").asText().substring(0, 8));
        assertThat(data.path("rtmp_url").asText()).isEqualTo("rtmp://ingest.example.net:1935/live");
        assertThat(data.path("hls_url").asText()).isEqualTo("https://play.example.net/live/" + id + "/master.m3u8");
        assertThat(data.path("status").asText()).isEqualTo("created");
        assertThat(data.path("viewer_count").asInt(-1)).isZero();
        assertThat(data.path("title").asText()).isEqualTo("Live Q&A Session");
        assertThat(data.path("category_id").asInt()).isEqualTo(15);
        assertThat(data.path("scheduled_start").asText()).isEqualTo("2024-01-15T19:00:00Z");
        assertThat(data.path("privacy").asText()).isEqualTo("unlisted");
        assertThat(registry.get("bifrost.control.streams.created").counter().count()).isEqualTo(1);

        final String otherKey = api.post(CREATE, "{\"title\":\"second\"}").data().path("stream_key").asText();
        assertThat(otherKey).isNotEqualTo(data.path("stream_key").asText());
    }

    @Test
    void shouldListNewestFirstAndGetOneWithoutItsKey() throws Exception
    {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            ids.add(api.post(CREATE, "{\"title\":\"stream " + i + "\"}").data().path("stream_id").asText());
        }

        final ApiClient.Answer list = api.get("/api/v1/streams?limit=2");
        final ApiClient.Answer one = api.get("/api/v1/streams/" + ids.get(1));

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.data().path("streams")).hasSize(2);
        assertThat(list.data().path("limit").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/streams").data().path("streams")).hasSize(3);
        assertThat(api.get("/api/v1/streams?status=live").data().path("streams")).isEmpty();
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.data().path("stream_id").asText()).isEqualTo(ids.get(1));
        assertThat(one.data().path("title").asText()).isEqualTo("stream 1");
        assertThat(one.data().has("stream_key")).as("the key is shown only when issued").isFalse();
        assertThat(api.get("/api/v1/streams/st_00000000000000000000000000000000").errorCode()).isEqualTo("stream.unknown");
        assertThat(api.get("/api/v1/streams/nonsense").status()).isEqualTo(404);
    }

    @Test
    void shouldAuthorizeKnownKeysAndRefuseUnknownOnes() throws Exception
    {
        final JsonNode stream = api.post(CREATE, "{\"title\":\"t\",\"passthrough\":true}").data();

        final ApiClient.Answer allowed = api.post(AUTHORIZE, authorize(stream.path("stream_key").asText()));
        final ApiClient.Answer unknown = api.post(AUTHORIZE, authorize("sk_" + "A".repeat(43)));
        final ApiClient.Answer garbage = api.post(AUTHORIZE, authorize("not a key"));

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.data().path("stream_id").asText()).isEqualTo(stream.path("stream_id").asText());
        assertThat(allowed.data().path("passthrough").asBoolean()).isTrue();
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.errorCode()).isEqualTo("stream_key.unknown");
        assertThat(garbage.errorCode()).isEqualTo("stream_key.unknown");
        assertThat(registry.get("bifrost.control.stream.authorizations").tag("outcome", "allowed").counter().count())
            .isEqualTo(1);
        assertThat(registry.get("bifrost.control.stream.authorizations").tag("reason", "unknown").counter().count())
            .isEqualTo(2);
    }

    @Test
    void shouldRotateKeySoOnlyTheNewKeyAuthorizes() throws Exception
    {
        final JsonNode stream = api.post(CREATE, "{\"title\":\"t\"}").data();
        final String id = stream.path("stream_id").asText();

        final ApiClient.Answer rotated = api.post("/api/v1/streams/" + id + "/rotate-key", null);

        assertThat(rotated.status()).isEqualTo(200);
        final String newKey = rotated.data().path("stream_key").asText();
        assertThat(newKey).matches("sk_[A-Za-z0-9_-]{43}").isNotEqualTo(stream.path("stream_key").asText());
        assertThat(api.post(AUTHORIZE, authorize(stream.path("stream_key").asText())).errorCode())
            .isEqualTo("stream_key.unknown");
        assertThat(api.post(AUTHORIZE, authorize(newKey)).data().path("stream_id").asText()).isEqualTo(id);
        assertThat(api.get("/api/v1/streams/" + id).data().path("stream_key_prefix").asText())
            .isEqualTo(newKey.substring(0, 8));
    }

    @Test
    void shouldRevokeOnDeleteSoTheKeyIsRefusedImmediately() throws Exception
    {
        final JsonNode stream = api.post(CREATE, "{\"title\":\"t\"}").data();
        final String id = stream.path("stream_id").asText();
        final String key = stream.path("stream_key").asText();

        final ApiClient.Answer deleted = api.send("DELETE", "/api/v1/streams/" + id, null, null);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.data().path("status").asText()).isEqualTo("revoked");
        final ApiClient.Answer refused = api.post(AUTHORIZE, authorize(key));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("stream_key.revoked");
        assertThat(api.get("/api/v1/streams/" + id).data().path("status").asText()).isEqualTo("revoked");
        assertThat(api.post("/api/v1/streams/" + id + "/rotate-key", null).status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/api/v1/streams/" + id, null, null).status()).as("idempotent").isEqualTo(200);
        assertThat(registry.get("bifrost.control.streams.revoked").counter().count()).isEqualTo(1);
        assertThat(registry.get("bifrost.control.stream.authorizations").tag("reason", "revoked").counter().count())
            .isEqualTo(1);
    }

    @Test
    void shouldRecordLiveAndOfflineReportsFromIngest() throws Exception
    {
        final String id = api.post(CREATE, "{\"title\":\"t\"}").data().path("stream_id").asText();
        final String status = "/api/v1/internal/streams/" + id + "/status";

        final ApiClient.Answer live = api.post(status, "{\"status\":\"live\",\"protocol\":\"srt\"}");

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.data().path("stream_id").asText()).isEqualTo(id);
        assertThat(live.data().path("status").asText()).isEqualTo("live");
        assertThat(api.get("/api/v1/streams/" + id).data().path("live_protocol").asText()).isEqualTo("srt");
        assertThat(api.get("/api/v1/streams?status=live").data().path("streams")).hasSize(1);
        assertThat(api.post(status, "{\"status\":\"offline\",\"protocol\":\"srt\"}").data().path("status").asText())
            .isEqualTo("offline");
        assertThat(api.post("/api/v1/internal/streams/st_00000000000000000000000000000000/status",
            "{\"status\":\"live\",\"protocol\":\"rtmp\"}").errorCode()).isEqualTo("stream.unknown");

        api.send("DELETE", "/api/v1/streams/" + id, null, null);
        assertThat(api.post(status, "{\"status\":\"offline\"}").data().path("status").asText())
            .as("a revoked stream's publisher leaving is fine").isEqualTo("revoked");
        final ApiClient.Answer liveAgain = api.post(status, "{\"status\":\"live\",\"protocol\":\"rtmp\"}");
        assertThat(liveAgain.status()).isEqualTo(409);
        assertThat(liveAgain.errorCode()).isEqualTo("stream.revoked");
    }

    @Test
    void shouldKeepStreamsKeysAndRevocationsAcrossARestart() throws Exception
    {
        final JsonNode kept = api.post(CREATE, "{\"title\":\"kept\",\"description\":\"line one\\nline two\"}").data();
        final JsonNode gone = api.post(CREATE, "{\"title\":\"gone\"}").data();
        api.send("DELETE", "/api/v1/streams/" + gone.path("stream_id").asText(), null, null);
        api.close();
        control.close();

        control = ControlPlane.launch(context());
        api = new ApiClient("127.0.0.1", control.port());

        final JsonNode reread = api.get("/api/v1/streams/" + kept.path("stream_id").asText()).data();
        assertThat(reread.path("title").asText()).isEqualTo("kept");
        assertThat(reread.path("description").asText()).isEqualTo("line one\nline two");
        assertThat(reread.path("created_at").asText()).isEqualTo(kept.path("created_at").asText());
        assertThat(api.post(AUTHORIZE, authorize(kept.path("stream_key").asText())).status()).isEqualTo(200);
        assertThat(api.post(AUTHORIZE, authorize(gone.path("stream_key").asText())).errorCode())
            .isEqualTo("stream_key.revoked");
        assertThat(api.get("/api/v1/streams").data().path("streams")).hasSize(2);
    }

    @Test
    void shouldIssueDistinctStreamsToConcurrentCreatesAndAuthorizeEachKey() throws Exception
    {
        final List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            for (int i = 0; i < 40; i++)
            {
                answers.add(http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + control.port() + CREATE))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"concurrent " + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            final Set<String> ids = new HashSet<>();
            final Set<String> keys = new HashSet<>();
            for (final CompletableFuture<HttpResponse<String>> answer : answers)
            {
                final HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(201);
                final JsonNode data = ApiJson.mapper().readTree(response.body()).path("data");
                ids.add(data.path("stream_id").asText());
                keys.add(data.path("stream_key").asText());
            }

            assertThat(ids).hasSize(40);
            assertThat(keys).hasSize(40);
            for (final String key : keys)
            {
                assertThat(api.post(AUTHORIZE, authorize(key)).status()).isEqualTo(200);
            }
            assertThat(api.get("/api/v1/streams?limit=500").data().path("streams")).hasSize(40);
        }
    }

    private static String authorize(final String key)
    {
        return "{\"stream_key\":\"" + key + "\",\"protocol\":\"rtmp\",\"remote_address\":\"203.0.113.7\"}";
    }
}
