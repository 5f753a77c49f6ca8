package io.bifrost.control;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who may call what, and how the API answers what it cannot serve: bearer tokens, the loopback-only rule when no
 * token is set, validation codes, 404/405/413 envelopes, and the operations endpoints. Real server on 127.0.0.1 (and
 * on this host's first non-loopback address for the loopback rule).
 */
class ApiAccessTest
{
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String INGEST = "ingest-token-0123456789abcdef";

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ControlPlane.Context context()
    {
        return new ControlPlane.Context().bindAddress("127.0.0.1").port(0).dataDir(dataDir).meterRegistry(registry)
            .metricsText(() -> "# scrape from the test\n");
    }

    @Test
    void shouldRequireTheAdminTokenForOperatorRoutesAndTheIngestTokenForInternalOnes() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context().adminToken(ADMIN).ingestToken(INGEST));
            ApiClient api = new ApiClient("127.0.0.1", control.port()))
        {
            final ApiClient.Answer missing = api.post("/api/v1/streams/create", "{\"title\":\"t\"}");
            final ApiClient.Answer wrong = api.send("POST", "/api/v1/streams/create", "{\"title\":\"t\"}", INGEST);
            final ApiClient.Answer created = api.send("POST", "/api/v1/streams/create", "{\"title\":\"t\"}", ADMIN);
            final String authorize = "{\"stream_key\":\"" + created.data().path("stream_key").asText() +
                "\",\"protocol\":\"rtmps\"}";

            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.errorCode()).isEqualTo("auth.missing");
            assertThat(missing.response().headers().firstValue("www-authenticate")).contains("Bearer");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errorCode()).isEqualTo("auth.invalid");
            assertThat(created.status()).isEqualTo(201);
            assertThat(api.post("/api/v1/internal/streams/authorize", authorize).errorCode()).isEqualTo("auth.missing");
            assertThat(api.send("POST", "/api/v1/internal/streams/authorize", authorize, ADMIN).errorCode())
                .isEqualTo("auth.invalid");
            assertThat(api.send("POST", "/api/v1/internal/streams/authorize", authorize, INGEST).status()).isEqualTo(200);
            assertThat(api.get("/healthz").status()).as("operations endpoints stay open").isEqualTo(200);
            assertThat(registry.get("bifrost.control.api.errors").tag("code", "auth.missing").counter().count())
                .isEqualTo(2);
        }
    }

    @Test
    void shouldAcceptOnlyLoopbackCallersWhenNoTokenIsConfigured() throws Exception
    {
        final Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
            .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress())
            .findFirst();
        assumeTrue(external.isPresent(), "this host has no non-loopback IPv4 address to call from");
        final String host = external.get().getHostAddress();

        try (ControlPlane.Running control = ControlPlane.launch(context().bindAddress("0.0.0.0"));
            ApiClient remote = new ApiClient(host, control.port());
            ApiClient local = new ApiClient("127.0.0.1", control.port()))
        {
            final ApiClient.Answer refused = remote.post("/api/v1/streams/create", "{\"title\":\"t\"}");
            final ApiClient.Answer refusedInternal = remote.send("POST", "/api/v1/internal/streams/authorize",
                "{\"stream_key\":\"x\",\"protocol\":\"rtmp\"}", "some-token-from-elsewhere");

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("auth.missing");
            assertThat(refusedInternal.status()).isEqualTo(401);
            assertThat(refusedInternal.errorCode()).isEqualTo("auth.invalid");
            assertThat(remote.get("/healthz").status()).isEqualTo(200);
            assertThat(local.post("/api/v1/streams/create", "{\"title\":\"t\"}").status()).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        {}                                                   | title.invalid
        {"title":""}                                         | title.invalid
        {"title":"   "}                                      | title.invalid
        {"title":42}                                         | title.invalid
        {"title":"a\\u0000b"}                                | title.invalid
        {"title":"a\\ud800b"}                                | title.invalid
        {"title":"t","description":7}                        | description.invalid
        {"title":"t","category_id":"15"}                     | category_id.invalid
        {"title":"t","category_id":1.5}                      | category_id.invalid
        {"title":"t","category_id":99999999999}              | category_id.invalid
        {"title":"t","category_id":-1}                       | category_id.invalid
        {"title":"t","scheduled_start":"tomorrow"}           | scheduled_start.invalid
        {"title":"t","scheduled_start":"2024-01-15T20:00:00"} | scheduled_start.invalid
        {"title":"t","privacy":"secret"}                     | privacy.invalid
        {"title":"t","passthrough":"yes"}                    | passthrough.invalid
        {"title":"t","titel":"typo"}                         | request.invalid
        {"title":"t","title":"twice"}                        | request.invalid
        [1,2]                                                | request.invalid
        {"title":                                            | request.invalid
        {"title":"t"} trailing                               | request.invalid
        """)
    void shouldRefuseInvalidCreateRequestsWithTheFieldsCode(final String body, final String code) throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context());
            ApiClient api = new ApiClient("127.0.0.1", control.port()))
        {
            final ApiClient.Answer answer = api.post("/api/v1/streams/create", body);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("success").asBoolean(true)).isFalse();
            assertThat(answer.errorCode()).isEqualTo(code);
            assertThat(answer.json().path("error").path("message").asText()).isNotBlank();
        }
    }

    @Test
    void shouldRefuseLongTextsAndBadInternalBodies() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context());
            ApiClient api = new ApiClient("127.0.0.1", control.port()))
        {
            assertThat(api.post("/api/v1/streams/create", "{\"title\":\"" + "x".repeat(201) + "\"}").errorCode())
                .isEqualTo("title.invalid");
            assertThat(api.post("/api/v1/streams/create", "{\"title\":\"" + "\uD83C\uDFA5".repeat(200) + "\"}").status())
                .as("200 characters, counted as code points").isEqualTo(201);
            assertThat(api.post("/api/v1/streams/create", "{\"title\":\"t\",\"description\":\"" + "x".repeat(5001) + "\"}")
                .errorCode()).isEqualTo("description.invalid");
            for (final String body : new String[] {"", "null", "{\"protocol\":\"rtmp\"}", "{\"stream_key\":1,\"protocol\":\"rtmp\"}",
                "{\"stream_key\":\"sk_x\",\"protocol\":\"webrtc\"}", "{\"stream_key\":\"sk_x\"}"})
            {
                assertThat(api.post("/api/v1/internal/streams/authorize", body).errorCode()).as(body).isEqualTo("request.invalid");
            }
            final String id = api.post("/api/v1/streams/create", "{\"title\":\"t\"}").data().path("stream_id").asText();
            for (final String body : new String[] {"{}", "{\"status\":\"revoked\"}", "{\"status\":\"live\",\"protocol\":\"x\"}"})
            {
                assertThat(api.post("/api/v1/internal/streams/" + id + "/status", body).errorCode()).as(body)
                    .isEqualTo("request.invalid");
            }
            assertThat(api.get("/api/v1/streams?limit=0").errorCode()).isEqualTo("limit.invalid");
            assertThat(api.get("/api/v1/streams?offset=-1").errorCode()).isEqualTo("offset.invalid");
            assertThat(api.get("/api/v1/streams?status=dead").errorCode()).isEqualTo("status.invalid");
            assertThat(raw(control.port(), "GET /api/v1/streams?limit=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ").contains("\"code\":\"request.invalid\"");
        }
    }

    @Test
    void shouldAnswerUnknownPathsWrongMethodsAndHugeBodiesWithErrorEnvelopes() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context());
            ApiClient api = new ApiClient("127.0.0.1", control.port()))
        {
            final ApiClient.Answer unknown = api.get("/api/v2/nothing");
            final ApiClient.Answer wrongMethod = api.send("PUT", "/api/v1/streams/create", "{}", null);
            final ApiClient.Answer tooLarge = api.post("/api/v1/streams/create",
                "{\"title\":\"t\",\"description\":\"" + "x".repeat(70 * 1024) + "\"}");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.errorCode()).isEqualTo("route.unknown");
            assertThat(api.get("/api/v1/streams/").status()).as("trailing slash").isEqualTo(404);
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.errorCode()).isEqualTo("method.not_allowed");
            assertThat(wrongMethod.response().headers().firstValue("allow").orElseThrow())
                .as("create is POST, and {id} takes GET and DELETE").isEqualTo("DELETE, GET, POST");
            assertThat(api.send("PATCH", "/api/v1/streams/st_1", "{}", null).response().headers().firstValue("allow"))
                .contains("DELETE, GET");
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.errorCode()).isEqualTo("request.too_large");
            assertThat(api.get("/healthz").status()).as("the server is still there").isEqualTo(200);
            assertThat(registry.get("bifrost.control.api.requests").tag("status", "413").counter().count()).isEqualTo(1);
            assertThat(registry.get("bifrost.control.api.requests").tag("status", "404").counter().count()).isEqualTo(2);
        }
    }

    @Test
    void shouldAnswerMalformedHttpWithA400AndClose() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context()))
        {
            final String answer = raw(control.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"request.malformed\"");
            assertThat(raw(control.port(), "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 414 ").contains("request.uri_too_long");
            assertThat(raw(control.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ").contains("request.headers_too_large");
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context()))
        {
            final String answer = raw(control.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(answer.indexOf("up\n")).isPositive();
            assertThat(answer.indexOf("route.unknown")).isGreaterThan(answer.indexOf("up\n"));
            assertThat(answer.indexOf("ready\n")).isGreaterThan(answer.indexOf("route.unknown"));
        }
    }

    /**
     * Send raw bytes and read until the server closes the connection.
     */
    private static String raw(final int port, final String request) throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldAnswerInHttp11ClientsThatOfferAnHttp2Upgrade() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context());
            HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + control.port() + "/api/v1/streams/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\"}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void shouldServeHealthReadinessAndMetricsOnTheApiPort() throws Exception
    {
        try (ControlPlane.Running control = ControlPlane.launch(context());
            ApiClient api = new ApiClient("127.0.0.1", control.port()))
        {
            assertThat(api.get("/healthz").body()).isEqualTo("up\n");
            assertThat(api.get("/readyz").body()).isEqualTo("ready\n");
            assertThat(control.readiness().ready()).isTrue();
            final ApiClient.Answer metrics = api.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("# scrape from the test\n");
            assertThat(metrics.response().headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        }
    }
}
