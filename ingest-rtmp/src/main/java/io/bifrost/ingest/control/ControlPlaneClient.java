package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest node's calls to the control plane's internal API (port 8082): the stream-key check
 * ({@code POST /api/v1/internal/streams/authorize}) and stream status reports
 * ({@code POST /api/v1/internal/streams/{stream_id}/status}), with {@code Authorization: Bearer <token>} when an
 * ingest token is configured.
 *
 * <p>Every call is asynchronous on the JDK {@link HttpClient} with its own two daemon threads, so nothing here
 * blocks a Netty event loop; every call has a timeout. Key checks go through an {@link AuthorizeQueue}: at most
 * {@code maxInFlight} at the control plane at once, the rest wait their turn (bounded, with a deadline), so a connect
 * burst is answered instead of timing out. A check the control plane answers {@code 503 server.busy} (its key-check
 * lane was full for a moment) is sent once more after a short jittered backoff, while the check's queue timeout
 * allows. Status reports go through their own {@link StatusReportQueue} (a few at a time, coalesced per stream,
 * bounded, retried with backoff), so a mass disconnect neither floods the control plane nor delays a key check.
 * Thread-safe. Counters: {@code bifrost.ingest.control.authorize{outcome}},
 * {@code bifrost.ingest.control.authorize.retried{reason=connection-lost|server-busy}} and the status queue's meters;
 * gauges {@code bifrost.ingest.control.authorize.in-flight} and {@code bifrost.ingest.control.authorize.queued}.
 * The requests themselves, and how answers and failures are read, are {@link ControlPlaneRequests}.
 */
public final class ControlPlaneClient implements AutoCloseable
{
    /** The stream-key check. */
    public static final String AUTHORIZE_PATH = "/api/v1/internal/streams/authorize";
    /** Status reports, {@code %s} is the stream id. */
    public static final String STATUS_PATH = "/api/v1/internal/streams/%s/status";
    /** Largest control plane answer read, bytes. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** Default bound on key checks outstanding at the control plane at once. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    /**
     * Default bound on key checks waiting for a slot: 4096. A queued check costs a few hundred bytes, and the bound
     * must hold a whole reconnect storm: when an ingest restarts or the network blips, every encoder it served
     * reconnects within a second or two, and a storm of 1200 encoders measured against the earlier bound of 1024
     * refused the tail of it (fail closed, so those publishers retried again later). 4096 covers three times that
     * fleet; the queue timeout still bounds how long any one check waits.
     */
    public static final int DEFAULT_MAX_QUEUED = 4096;
    /** Default longest wait of a key check for a slot, milliseconds. */
    public static final long DEFAULT_QUEUE_TIMEOUT_MS = 10_000;
    /** Default bound on status reports outstanding at the control plane at once. */
    public static final int DEFAULT_STATUS_MAX_IN_FLIGHT = StatusReportQueue.DEFAULT_MAX_IN_FLIGHT;
    /** Default bound on streams with a status report waiting. */
    public static final int DEFAULT_STATUS_MAX_QUEUED = StatusReportQueue.DEFAULT_MAX_QUEUED;
    /** Shortest backoff before a key check answered {@code 503 server.busy} is sent again, milliseconds. */
    static final long BUSY_BACKOFF_MIN_MS = 50;
    /** Random part of that backoff, milliseconds. */
    static final long BUSY_BACKOFF_JITTER_MS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneClient.class);

    private final URI baseUri;
    private final Duration timeout;
    private final ControlPlaneRequests requests;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Map<AuthorizeOutcome, Counter> authorizeOutcomes = new EnumMap<>(AuthorizeOutcome.class);
    private final AuthorizeQueue authorizeQueue;
    private final long queueTimeoutMs;
    private final Counter retriedLostConnection;
    private final Counter retriedBusy;
    private final StatusReportQueue statusQueue;

    /**
     * A client with the default admission bounds ({@link #DEFAULT_MAX_IN_FLIGHT}, {@link #DEFAULT_MAX_QUEUED},
     * {@link #DEFAULT_QUEUE_TIMEOUT_MS}).
     *
     * @param baseUri       the control plane, e.g. {@code http://127.0.0.1:8082}.
     * @param token         the ingest token ({@code ingest.control-token}), null or empty for none (loopback only).
     * @param timeout       the longest a call may take, connect included.
     * @param meterRegistry where the counters go.
     */
    public ControlPlaneClient(final URI baseUri, final String token, final Duration timeout,
        final MeterRegistry meterRegistry)
    {
        this(baseUri, token, timeout, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUED,
            Duration.ofMillis(DEFAULT_QUEUE_TIMEOUT_MS), meterRegistry);
    }

    /**
     * @param baseUri       the control plane, e.g. {@code http://127.0.0.1:8082}.
     * @param token         the ingest token ({@code ingest.control-token}), null or empty for none (loopback only).
     * @param timeout       the longest one call may take once sent, connect included.
     * @param maxInFlight   the most key checks outstanding at the control plane at once.
     * @param maxQueued     the most key checks waiting for a slot; more are refused at once (fail closed).
     * @param queueTimeout  the longest a key check waits for a slot before it is refused (fail closed).
     * @param meterRegistry where the counters go.
     */
    public ControlPlaneClient(final URI baseUri, final String token, final Duration timeout, final int maxInFlight,
        final int maxQueued, final Duration queueTimeout, final MeterRegistry meterRegistry)
    {
        this(baseUri, token, timeout, maxInFlight, maxQueued, queueTimeout, DEFAULT_STATUS_MAX_IN_FLIGHT,
            DEFAULT_STATUS_MAX_QUEUED, meterRegistry);
    }

    /**
     * @param baseUri           the control plane, e.g. {@code http://127.0.0.1:8082}.
     * @param token             the ingest token ({@code ingest.control-token}), null or empty for none.
     * @param timeout           the longest one call may take once sent, connect included.
     * @param maxInFlight       the most key checks outstanding at the control plane at once.
     * @param maxQueued         the most key checks waiting for a slot; more are refused at once (fail closed).
     * @param queueTimeout      the longest a key check waits for a slot before it is refused (fail closed); a
     *                          {@code 503 server.busy} retry happens only within it too.
     * @param statusMaxInFlight the most status reports outstanding at the control plane at once.
     * @param statusMaxQueued   the most streams with a status report waiting; beyond, the oldest waiting is dropped.
     * @param meterRegistry     where the counters go.
     */
    public ControlPlaneClient(final URI baseUri, final String token, final Duration timeout, final int maxInFlight,
        final int maxQueued, final Duration queueTimeout, final int statusMaxInFlight, final int statusMaxQueued,
        final MeterRegistry meterRegistry)
    {
        this(baseUri, token, timeout, maxInFlight, maxQueued, queueTimeout, statusMaxInFlight, statusMaxQueued,
            StatusReportQueue.DEFAULT_RETRY_BACKOFF_MS, meterRegistry);
    }

    ControlPlaneClient(final URI baseUri, final String token, final Duration timeout, final int maxInFlight,
        final int maxQueued, final Duration queueTimeout, final int statusMaxInFlight, final int statusMaxQueued,
        final long statusRetryBackoffMs, final MeterRegistry meterRegistry)
    {
        this.baseUri = URI.create(baseUri.toString().replaceAll("/+$", ""));
        this.timeout = timeout;
        this.requests = new ControlPlaneRequests(this.baseUri, null == token || token.isBlank() ? null : token,
            timeout);
        final AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, runnable ->
        {
            final Thread thread = new Thread(runnable, "bifrost-ingest-control-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(executor)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        this.authorizeQueue = new AuthorizeQueue(maxInFlight, maxQueued, queueTimeout.toMillis(), this::completeOn);
        this.queueTimeoutMs = queueTimeout.toMillis();
        this.statusQueue = new StatusReportQueue(this::sendStatus, statusMaxInFlight, statusMaxQueued,
            StatusReportQueue.DEFAULT_MAX_ATTEMPTS, statusRetryBackoffMs, this::completeOn, meterRegistry);
        Gauge.builder("bifrost.ingest.control.authorize.in-flight", authorizeQueue, AuthorizeQueue::inFlight)
            .description("stream-key checks outstanding at the control plane")
            .register(meterRegistry);
        Gauge.builder("bifrost.ingest.control.authorize.queued", authorizeQueue, AuthorizeQueue::queued)
            .description("stream-key checks waiting for a slot (ingest.control-max-in-flight)")
            .register(meterRegistry);
        for (final AuthorizeOutcome outcome : AuthorizeOutcome.values())
        {
            authorizeOutcomes.put(outcome, Counter.builder("bifrost.ingest.control.authorize")
                .description("stream-key checks at the control plane, by outcome")
                .tag("outcome", outcome.tag())
                .register(meterRegistry));
        }
        retriedLostConnection = Counter.builder("bifrost.ingest.control.authorize.retried")
            .description("key checks sent again: connection lost before the answer, or the control plane busy")
            .tag("reason", "connection-lost")
            .register(meterRegistry);
        retriedBusy = Counter.builder("bifrost.ingest.control.authorize.retried")
            .description("key checks sent again: connection lost before the answer, or the control plane busy")
            .tag("reason", "server-busy")
            .register(meterRegistry);
    }

    /**
     * Ask whether a key may publish. Never completes exceptionally: an unreachable or slow control plane, a full
     * queue or a wait in it past the queue timeout is an {@link AuthorizeOutcome#UNAVAILABLE} refusal (fail closed).
     *
     * @param request the publish.
     * @return the answer, completed on a client thread.
     */
    public CompletableFuture<AuthorizeAnswer> authorize(final PublishRequest request)
    {
        final long submittedNanos = System.nanoTime();
        return authorizeQueue.submit(() -> send(requests.authorize(request), true, submittedNanos)).thenApply(answer ->
        {
            if (AuthorizeOutcome.UNAVAILABLE == answer.outcome())
            {
                LOG.warn("ingest: control plane {} unavailable for a stream-key check ({}); publish refused",
                    baseUri, answer.errorCode());
            }
            else if (AuthorizeOutcome.UNAUTHORIZED == answer.outcome())
            {
                LOG.error("ingest: control plane {} refused this node's credentials ({}): set ingest.control-token " +
                    "to the control plane's control.ingest-token; publish refused", baseUri, answer.errorCode());
            }
            count(answer.outcome());
            return answer;
        });
    }

    /**
     * One key check; a connection lost before the answer (EOF, reset, broken pipe: typically a pooled keep-alive
     * connection the control plane had just closed, or a connection it dropped under a connect burst) is retried once
     * on a new connection, since the check only reads. A refused connection or a timeout is not retried: the control
     * plane is down or slow, and the publish is refused. A {@code 503 server.busy} answer (the control plane's
     * key-check lane full for a moment) is retried once after a jittered backoff of 50-250 ms, if the check is still
     * within its queue timeout then. One retry at most, whatever the reason.
     */
    private CompletableFuture<AuthorizeAnswer> send(final HttpRequest httpRequest, final boolean mayRetry,
        final long submittedNanos)
    {
        return http.sendAsync(httpRequest, BoundedBodySubscriber.handler(MAX_RESPONSE_BYTES))
            .thenApply(response -> AuthorizeAnswer.parse(requests.mapper(), response.statusCode(), response.body()))
            .handle((answer, error) ->
            {
                if (null == error)
                {
                    if (mayRetry && answer.serverBusy())
                    {
                        final long backoffMs = BUSY_BACKOFF_MIN_MS +
                            ThreadLocalRandom.current().nextLong(BUSY_BACKOFF_JITTER_MS + 1);
                        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submittedNanos);
                        if (waitedMs + backoffMs < queueTimeoutMs)
                        {
                            retriedBusy.increment();
                            return CompletableFuture.runAsync(() -> { },
                                CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> send(httpRequest, false, submittedNanos));
                        }
                    }
                    return CompletableFuture.completedFuture(answer);
                }
                if (mayRetry && ControlPlaneRequests.connectionLost(error))
                {
                    retriedLostConnection.increment();
                    return send(httpRequest, false, submittedNanos);
                }
                return CompletableFuture.completedFuture(AuthorizeAnswer.unavailable(
                    ControlPlaneRequests.rootName(error)));
            })
            .thenCompose(answer -> answer);
    }

    /**
     * Report a stream live or offline through the status queue: a few calls at a time, only the latest state of a
     * stream sent when several wait, failures retried with backoff (a 4xx refusal is final).
     *
     * @param streamId the stream.
     * @param status   {@code live} or {@code offline}.
     * @param protocol how it is published.
     * @return completes with whether the control plane took the report (or a newer one of the stream that replaced
     *         it); never exceptionally.
     */
    public CompletableFuture<Boolean> reportStatus(final String streamId, final String status,
        final IngestProtocol protocol)
    {
        return statusQueue.submit(streamId, status, protocol);
    }

    private CompletableFuture<StatusReportQueue.Delivery> sendStatus(final String streamId, final String status,
        final IngestProtocol protocol)
    {
        return http.sendAsync(requests.status(streamId, status, protocol),
                BoundedBodySubscriber.handler(MAX_RESPONSE_BYTES))
            .handle((response, error) ->
            {
                if (null != error)
                {
                    LOG.debug("ingest: status '{}' of {} not answered by {} ({})", status, streamId, baseUri,
                        ControlPlaneRequests.rootName(error));
                    return StatusReportQueue.Delivery.FAILED;
                }
                final StatusReportQueue.Delivery delivery = ControlPlaneRequests.deliveryOf(response.statusCode());
                if (StatusReportQueue.Delivery.TAKEN != delivery)
                {
                    LOG.debug("ingest: status '{}' of {} answered http {} by {}", status, streamId,
                        response.statusCode(), baseUri);
                }
                return delivery;
            });
    }

    /**
     * @param outcome how a check ended (the authorizer counts its cache hits here too).
     */
    void count(final AuthorizeOutcome outcome)
    {
        authorizeOutcomes.get(outcome).increment();
    }

    /**
     * @param outcome an outcome.
     * @return how many checks ended so.
     */
    public long authorizations(final AuthorizeOutcome outcome)
    {
        return (long)authorizeOutcomes.get(outcome).count();
    }

    /**
     * @return the control plane base URI.
     */
    public URI baseUri()
    {
        return baseUri;
    }

    /**
     * Send the status reports still waiting (e.g. the offline reports of a shutdown) and let in-flight calls finish,
     * within the timeout plus a second, then stop.
     */
    @Override
    public void close()
    {
        statusQueue.drain(timeout.toMillis() + 1_000);
        http.shutdown();
        try
        {
            if (!http.awaitTermination(timeout.plusSeconds(1)))
            {
                http.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            http.shutdownNow();
        }
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void completeOn(final Runnable task)
    {
        try
        {
            executor.execute(task);
        }
        catch (final RejectedExecutionException ex)
        {
            task.run(); // closing: finish the check here rather than leave its publisher waiting
        }
    }

}
