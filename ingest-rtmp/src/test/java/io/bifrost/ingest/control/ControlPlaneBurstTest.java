package io.bifrost.ingest.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamAuthorization;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream-key checks in a connect burst against a real HTTP control plane on loopback that takes a while to answer
 * each call: every check is answered, the control plane never sees more than the configured number of calls at
 * once, checks of one key share one call, and an overloaded queue still refuses (fail closed).
 */
@Timeout(60)
class ControlPlaneBurstTest
{
    private static final int BURST = 200;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile long answerDelayMs;
    private HttpServer server;
    private ExecutorService serverThreads;
    private ControlPlaneClient client;

    @AfterEach
    void close()
    {
        gate.countDown();
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
    void shouldAnswerEveryCheckOfABurstWithBoundedCallsWhenControlPlaneIsSlow() throws IOException
    {
        answerDelayMs = 50;
        final ControlPlaneAuthorizer authorizer = authorizer(8, 1024, Duration.ofSeconds(30));

        final List<CompletableFuture<StreamAuthorization>> answers = new ArrayList<>();
        for (int i = 0; i < BURST; i++)
        {
            answers.add(authorizer.authorize(request("sk_burst_" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();

        for (int i = 0; i < BURST; i++)
        {
            final StreamAuthorization answer = answers.get(i).join();
            assertThat(answer.allowed()).as("check %d: %s", i, answer.detail()).isTrue();
            assertThat(answer.streamId()).isEqualTo(streamIdOf("sk_burst_" + i));
        }
        assertThat(requests.get()).isEqualTo(BURST);
        assertThat(maxConcurrent.get()).isBetween(1, 8);
        assertThat(client.authorizations(AuthorizeOutcome.ALLOWED)).isEqualTo(BURST);
        assertThat(client.authorizations(AuthorizeOutcome.UNAVAILABLE)).isZero();
        // the last answer completes on the completion thread just before that thread releases its call slot
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        {
            assertThat(meters.get("bifrost.ingest.control.authorize.queued").gauge().value()).isZero();
            assertThat(meters.get("bifrost.ingest.control.authorize.in-flight").gauge().value()).isZero();
        });
    }

    @Test
    void shouldStartTheCallTimeoutWhenTheCallIsSentNotWhenItIsQueued() throws IOException
    {
        answerDelayMs = 150;
        // 40 checks through 2 slots take about 3 s, far longer than the 1 s call timeout
        final ControlPlaneAuthorizer authorizer = authorizer(2, 1024, Duration.ofSeconds(30), Duration.ofSeconds(1));

        final List<CompletableFuture<StreamAuthorization>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            answers.add(authorizer.authorize(request("sk_slow_" + i)).toCompletableFuture());
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().allowed()).isTrue());
        assertThat(maxConcurrent.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldShareOneCallAmongConcurrentChecksOfTheSameKey() throws IOException
    {
        gate = new CountDownLatch(1);
        final ControlPlaneAuthorizer authorizer = authorizer(8, 1024, Duration.ofSeconds(30));

        final List<CompletableFuture<StreamAuthorization>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            answers.add(authorizer.authorize(request("sk_same")).toCompletableFuture());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() == 1);
        gate.countDown();

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().streamId()).isEqualTo(streamIdOf("sk_same")));
        assertThat(requests.get()).isEqualTo(1);
        assertThat(client.authorizations(AuthorizeOutcome.SHARED)).isEqualTo(49);
    }

    @Test
    void shouldRefuseAtOnceWhenTheQueueIsFull() throws IOException
    {
        gate = new CountDownLatch(1);
        final ControlPlaneAuthorizer authorizer = authorizer(1, 2, Duration.ofSeconds(30));

        final List<CompletableFuture<StreamAuthorization>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            answers.add(authorizer.authorize(request("sk_full_" + i)).toCompletableFuture());
        }

        final StreamAuthorization refused = answers.get(3).join();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.detail()).isEqualTo("stream key could not be checked: control plane unavailable");
        gate.countDown();
        assertThat(answers.subList(0, 3)).allSatisfy(answer -> assertThat(answer.join().allowed()).isTrue());
        assertThat(client.authorizations(AuthorizeOutcome.UNAVAILABLE)).isEqualTo(1);
        assertThat(authorizer.cachedKeys()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAQueuedCheckWhenItsWaitEndsAndNeverSendIt() throws IOException
    {
        gate = new CountDownLatch(1);
        final ControlPlaneAuthorizer authorizer = authorizer(1, 16, Duration.ofMillis(200));

        final CompletableFuture<StreamAuthorization> first = authorizer.authorize(request("sk_first"))
            .toCompletableFuture();
        final StreamAuthorization queued = authorizer.authorize(request("sk_queued")).toCompletableFuture().join();

        assertThat(queued.allowed()).isFalse();
        assertThat(client.authorizations(AuthorizeOutcome.UNAVAILABLE)).isEqualTo(1);
        assertThat(authorizer.cachedKeys()).isZero();
        gate.countDown();
        assertThat(first.join().allowed()).isTrue();
        assertThat(requests.get()).isEqualTo(1);
        final StreamAuthorization retried = authorizer.authorize(request("sk_queued")).toCompletableFuture().join();
        assertThat(retried.allowed()).isTrue();
    }

    private ControlPlaneAuthorizer authorizer(final int maxInFlight, final int maxQueued, final Duration queueTimeout)
        throws IOException
    {
        return authorizer(maxInFlight, maxQueued, queueTimeout, Duration.ofSeconds(10));
    }

    private ControlPlaneAuthorizer authorizer(final int maxInFlight, final int maxQueued, final Duration queueTimeout,
        final Duration callTimeout) throws IOException
    {
        serverThreads = Executors.newFixedThreadPool(64);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(serverThreads);
        server.createContext(ControlPlaneClient.AUTHORIZE_PATH, this::authorize);
        server.start();
        client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null,
            callTimeout, maxInFlight, maxQueued, queueTimeout, meters);
        return new ControlPlaneAuthorizer(client, Duration.ofSeconds(2), Duration.ofSeconds(5), 10_000,
            System::nanoTime);
    }

    /** Allows every key as st_ + md5(key); counts how many calls it holds at once. */
    private void authorize(final HttpExchange exchange) throws IOException
    {
        requests.incrementAndGet();
        final int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try (exchange; InputStream body = exchange.getRequestBody())
        {
            final JsonNode request = mapper.readTree(body.readNBytes(65_536));
            gate.await(30, TimeUnit.SECONDS);
            if (answerDelayMs > 0)
            {
                Thread.sleep(answerDelayMs); // the control plane's own latency, not a wait for the test
            }
            final ObjectNode data = mapper.createObjectNode()
                .put("stream_id", streamIdOf(request.path("stream_key").asText()))
                .put("passthrough", false);
            final byte[] bytes = mapper.writeValueAsBytes(mapper.createObjectNode().put("success", true)
                .set("data", data));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            concurrent.decrementAndGet();
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static PublishRequest request(final String key)
    {
        return new PublishRequest("live", key, "", "", new InetSocketAddress("127.0.0.1", 50_000), List.of(),
            IngestProtocol.RTMP, null, false);
    }

    private static String streamIdOf(final String key)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
            return "st_" + HexFormat.of().formatHex(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
