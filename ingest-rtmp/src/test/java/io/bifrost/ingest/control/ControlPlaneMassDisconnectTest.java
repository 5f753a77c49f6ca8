package io.bifrost.ingest.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mass disconnect against a real HTTP control plane on loopback with a small worker pool, like the real one's: the
 * status reports reach it a few at a time, so key checks of reconnecting publishers are still answered while the
 * reports wait; reports the control plane answers 503 are retried until taken, so every stream's final state
 * arrives; and a key check answered {@code 503 server.busy} is sent once more instead of refusing the publisher.
 */
@Timeout(60)
class ControlPlaneMassDisconnectTest
{
    private static final Pattern STATUS = Pattern.compile("/api/v1/internal/streams/(st_[0-9a-f]{32})/status");
    private static final String ALLOWED =
        "{\"success\":true,\"data\":{\"stream_id\":\"st_0123456789abcdef0123456789abcdef\",\"passthrough\":false}}";
    private static final String BUSY =
        "{\"success\":false,\"error\":{\"code\":\"server.busy\",\"message\":\"retry shortly\"}}";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger statusConcurrent = new AtomicInteger();
    private final AtomicInteger statusMaxConcurrent = new AtomicInteger();
    private final AtomicInteger statusCalls = new AtomicInteger();
    private final AtomicInteger authorizeCalls = new AtomicInteger();
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();
    private final CountDownLatch statusGate = new CountDownLatch(1);
    private volatile int busyStatusAnswers;
    private volatile int busyAuthorizeAnswers;
    private HttpServer server;
    private ExecutorService serverThreads;
    private ControlPlaneClient client;

    @AfterEach
    void close()
    {
        statusGate.countDown();
        if (null != client)
        {
            client.close();
        }
        if (null != server)
        {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    @Test
    void shouldAnswerKeyChecksWhileAMassDisconnectsReportsWait() throws Exception
    {
        start(8, Duration.ofSeconds(10));
        final List<CompletableFuture<Boolean>> reports = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            reports.add(client.reportStatus(stream(i), "offline", IngestProtocol.RTMP));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> statusConcurrent.get() == 4);

        final AuthorizeAnswer answer = client.authorize(request()).get(10, TimeUnit.SECONDS);

        assertThat(answer.outcome()).as("%s", answer.errorCode()).isEqualTo(AuthorizeOutcome.ALLOWED);
        assertThat(meters.get("bifrost.ingest.control.status.queued").gauge().value()).isEqualTo(296);
        statusGate.countDown();
        assertThat(reports).allSatisfy(report -> assertThat(report.get(30, TimeUnit.SECONDS)).isTrue());
        assertThat(statusMaxConcurrent.get()).isEqualTo(4);
        assertThat(lastStatus).hasSize(300).allSatisfy((stream, status) -> assertThat(status).isEqualTo("offline"));
    }

    @Test
    void shouldRetryReportsTheControlPlaneAnsweredBusyUntilEveryFinalStateIsTaken() throws Exception
    {
        statusGate.countDown();
        busyStatusAnswers = 40;
        start(8, Duration.ofSeconds(10));
        final List<CompletableFuture<Boolean>> reports = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            reports.add(client.reportStatus(stream(i), "live", IngestProtocol.RTMP));
            reports.add(client.reportStatus(stream(i), "offline", IngestProtocol.RTMP));
        }

        assertThat(reports).allSatisfy(report -> assertThat(report.get(30, TimeUnit.SECONDS)).isTrue());
        assertThat(lastStatus).hasSize(100).allSatisfy((stream, status) -> assertThat(status).isEqualTo("offline"));
        assertThat(meters.get("bifrost.ingest.control.status.retried").counter().count()).isBetween(1.0, 40.0);
        assertThat(statusMaxConcurrent.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void shouldRetryOnceAKeyCheckAnsweredServerBusy() throws Exception
    {
        busyAuthorizeAnswers = 1;
        start(8, Duration.ofSeconds(10));

        final AuthorizeAnswer answer = client.authorize(request()).get(10, TimeUnit.SECONDS);

        assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.ALLOWED);
        assertThat(authorizeCalls.get()).isEqualTo(2);
        assertThat(meters.get("bifrost.ingest.control.authorize.retried").tag("reason", "server-busy").counter()
            .count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAfterOneRetryWhenTheControlPlaneStaysBusy() throws Exception
    {
        busyAuthorizeAnswers = Integer.MAX_VALUE;
        start(8, Duration.ofSeconds(10));

        final AuthorizeAnswer answer = client.authorize(request()).get(10, TimeUnit.SECONDS);

        assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.UNAVAILABLE);
        assertThat(answer.errorCode()).isEqualTo("http 503 server.busy");
        assertThat(authorizeCalls.get()).as("one retry, not a loop").isEqualTo(2);
    }

    @Test
    void shouldNotRetryABusyKeyCheckPastItsQueueTimeout() throws Exception
    {
        busyAuthorizeAnswers = Integer.MAX_VALUE;
        start(8, Duration.ofMillis(ControlPlaneClient.BUSY_BACKOFF_MIN_MS));

        final AuthorizeAnswer answer = client.authorize(request()).get(10, TimeUnit.SECONDS);

        assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.UNAVAILABLE);
        assertThat(authorizeCalls.get()).isEqualTo(1);
    }

    private void start(final int serverWorkers, final Duration queueTimeout) throws IOException
    {
        serverThreads = Executors.newFixedThreadPool(serverWorkers);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(serverThreads);
        server.createContext("/api/v1/internal/streams/", this::handle);
        server.start();
        client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
            Duration.ofSeconds(20), 8, 1024, queueTimeout, ControlPlaneClient.DEFAULT_STATUS_MAX_IN_FLIGHT,
            ControlPlaneClient.DEFAULT_STATUS_MAX_QUEUED, 5, meters);
    }

    /** The internal API with a pool of {@code serverWorkers}: status calls wait for the gate, as on a busy database. */
    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange; InputStream in = exchange.getRequestBody())
        {
            final JsonNode body = mapper.readTree(in.readNBytes(65_536));
            final String path = exchange.getRequestURI().getPath();
            final Matcher status = STATUS.matcher(path);
            if (ControlPlaneClient.AUTHORIZE_PATH.equals(path))
            {
                final boolean busy = authorizeCalls.incrementAndGet() <= busyAuthorizeAnswers;
                send(exchange, busy ? 503 : 200, busy ? BUSY : ALLOWED);
                return;
            }
            if (!status.matches())
            {
                send(exchange, 404, "{\"success\":false,\"error\":{\"code\":\"route.unknown\",\"message\":\"no\"}}");
                return;
            }
            statusMaxConcurrent.accumulateAndGet(statusConcurrent.incrementAndGet(), Math::max);
            try
            {
                statusGate.await(30, TimeUnit.SECONDS);
                if (statusCalls.incrementAndGet() <= busyStatusAnswers)
                {
                    send(exchange, 503, BUSY);
                    return;
                }
                lastStatus.put(status.group(1), body.path("status").asText());
            }
            finally
            {
                statusConcurrent.decrementAndGet();
            }
            send(exchange, 200, "{\"success\":true,\"data\":{\"stream_id\":\"" + status.group(1) +
                "\",\"status\":\"" + body.path("status").asText() + "\"}}");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(final HttpExchange exchange, final int code, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static PublishRequest request()
    {
        return new PublishRequest("live", "sk_reconnect", "", "", new InetSocketAddress("127.0.0.1", 50_000),
            List.of(), IngestProtocol.RTMP, null, false);
    }

    private static String stream(final int i)
    {
        return String.format("st_%032x", i);
    }
}
