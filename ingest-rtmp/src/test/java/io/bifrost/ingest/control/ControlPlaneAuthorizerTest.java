package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane client and its cached authorizer against {@link FakeControlPlane}, which implements the
 * ingest/control-plane contract over real HTTP on loopback.
 */
@Timeout(30)
class ControlPlaneAuthorizerTest
{
    private static final String KEY = "sk_" + "A".repeat(43);
    private static final String STREAM = "st_" + "0123456789abcdef".repeat(2);
    private static final String TOKEN = "ingest-secret";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private FakeControlPlane control;
    private ControlPlaneClient client;

    @AfterEach
    void close()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != control)
        {
            control.close();
        }
    }

    private ControlPlaneAuthorizer authorizer(final String url, final String token, final Duration timeout)
    {
        client = new ControlPlaneClient(URI.create(url), token, timeout, meters);
        return new ControlPlaneAuthorizer(client, Duration.ofSeconds(2), Duration.ofSeconds(5), 100, nanos::get);
    }

    private static PublishRequest request(final String key, final IngestProtocol protocol)
    {
        return new PublishRequest("live", key, "", "", new InetSocketAddress("127.0.0.1", 50_000), List.of(), protocol,
            null, false);
    }

    private static StreamAuthorization check(final ControlPlaneAuthorizer authorizer, final PublishRequest request)
    {
        return authorizer.authorize(request).toCompletableFuture().join();
    }

    @Test
    void shouldAcceptKnownKeyWithItsStreamIdAndSendTheContractBodyAndToken() throws IOException
    {
        control = FakeControlPlane.start(TOKEN).stream(KEY, STREAM);
        final ControlPlaneAuthorizer authorizer = authorizer(control.url(), TOKEN, Duration.ofSeconds(2));

        final StreamAuthorization answer = check(authorizer, request(KEY, IngestProtocol.RTMPS));

        assertThat(answer.allowed()).isTrue();
        assertThat(answer.streamId()).isEqualTo(STREAM);
        assertThat(control.authorizeRequests).hasSize(1);
        assertThat(control.authorizeRequests.get(0).get("stream_key").asText()).isEqualTo(KEY);
        assertThat(control.authorizeRequests.get(0).get("protocol").asText()).isEqualTo("rtmps");
        assertThat(control.authorizeRequests.get(0).get("remote_address").asText()).isEqualTo("127.0.0.1");
        assertThat(control.authorizationHeaders).containsExactly("Bearer " + TOKEN);
        assertThat(client.authorizations(AuthorizeOutcome.ALLOWED)).isEqualTo(1);
    }

    @Test
    void shouldRefuseUnknownAndRevokedKeysWithTheControlPlaneCode() throws IOException
    {
        control = FakeControlPlane.start(null).stream(KEY, STREAM);
        final ControlPlaneAuthorizer authorizer = authorizer(control.url(), null, Duration.ofSeconds(2));

        final StreamAuthorization unknown = check(authorizer, request("sk_unknown", IngestProtocol.RTMP));
        control.revoke(KEY);
        final StreamAuthorization revoked = check(authorizer, request(KEY, IngestProtocol.RTMP));

        assertThat(unknown.allowed()).isFalse();
        assertThat(unknown.detail()).contains("stream_key.unknown");
        assertThat(revoked.allowed()).isFalse();
        assertThat(revoked.detail()).contains("stream_key.revoked");
        assertThat(client.authorizations(AuthorizeOutcome.REFUSED)).isEqualTo(2);
        assertThat(control.authorizationHeaders).containsOnly("null");
    }

    @Test
    void shouldFailClosedAndCountWhenControlPlaneIsDown() throws IOException
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        final ControlPlaneAuthorizer authorizer = authorizer("http://127.0.0.1:" + closedPort, null,
            Duration.ofSeconds(2));

        final StreamAuthorization answer = check(authorizer, request(KEY, IngestProtocol.RTMP));

        assertThat(answer.allowed()).isFalse();
        assertThat(answer.detail()).isEqualTo("stream key could not be checked: control plane unavailable");
        assertThat(client.authorizations(AuthorizeOutcome.UNAVAILABLE)).isEqualTo(1);
        assertThat(meters.get("bifrost.ingest.control.authorize").tag("outcome", "unavailable").counter().count())
            .isEqualTo(1);
        assertThat(authorizer.cachedKeys()).isZero();
    }

    @Test
    void shouldRefuseWhenControlPlaneAnswersTooLate() throws IOException
    {
        control = FakeControlPlane.start(null).stream(KEY, STREAM);
        control.stall();
        final ControlPlaneAuthorizer authorizer = authorizer(control.url(), null, Duration.ofMillis(300));

        final StreamAuthorization answer = check(authorizer, request(KEY, IngestProtocol.RTMP));

        assertThat(answer.allowed()).isFalse();
        assertThat(client.authorizations(AuthorizeOutcome.UNAVAILABLE)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAndReportMisconfigurationWhenTokenIsWrong() throws IOException
    {
        control = FakeControlPlane.start(TOKEN).stream(KEY, STREAM);
        final ControlPlaneAuthorizer authorizer = authorizer(control.url(), "wrong", Duration.ofSeconds(2));

        final StreamAuthorization answer = check(authorizer, request(KEY, IngestProtocol.RTMP));

        assertThat(answer.allowed()).isFalse();
        assertThat(answer.detail()).contains("not authorized at the control plane");
        assertThat(client.authorizations(AuthorizeOutcome.UNAUTHORIZED)).isEqualTo(1);
        assertThat(authorizer.cachedKeys()).isZero();
    }

    @Test
    void shouldAnswerFromCacheUntilTheTtlEnds() throws IOException
    {
        control = FakeControlPlane.start(null).stream(KEY, STREAM);
        final ControlPlaneAuthorizer authorizer = authorizer(control.url(), null, Duration.ofSeconds(2));

        check(authorizer, request(KEY, IngestProtocol.RTMP));
        check(authorizer, request("sk_unknown", IngestProtocol.RTMP));
        control.revoke(KEY);
        final StreamAuthorization cachedAllowed = check(authorizer, request(KEY, IngestProtocol.RTMP));
        final StreamAuthorization cachedRefused = check(authorizer, request("sk_unknown", IngestProtocol.RTMP));
        assertThat(control.authorizeRequests).hasSize(2);
        assertThat(cachedAllowed.allowed()).isTrue();
        assertThat(cachedRefused.allowed()).isFalse();
        assertThat(client.authorizations(AuthorizeOutcome.CACHED_ALLOWED)).isEqualTo(1);
        assertThat(client.authorizations(AuthorizeOutcome.CACHED_REFUSED)).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        final StreamAuthorization afterTtl = check(authorizer, request(KEY, IngestProtocol.RTMP));

        assertThat(afterTtl.allowed()).isFalse();
        assertThat(afterTtl.detail()).contains("stream_key.revoked");
        assertThat(control.authorizeRequests).hasSize(3);
    }

    @Test
    void shouldReportLiveThenOfflineInOrder() throws IOException
    {
        control = FakeControlPlane.start(TOKEN).stream(KEY, STREAM);
        authorizer(control.url(), TOKEN, Duration.ofSeconds(2));

        assertThat(client.reportStatus(STREAM, "live", IngestProtocol.SRT).join()).isTrue();
        assertThat(client.reportStatus(STREAM, "offline", IngestProtocol.SRT).join()).isTrue();
        assertThat(client.reportStatus("st_" + "f".repeat(32), "live", IngestProtocol.SRT).join()).isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> control.statusReports.size() == 2);
        assertThat(control.statusReports).containsExactly(
            new FakeControlPlane.StatusReport(STREAM, "live", "srt"),
            new FakeControlPlane.StatusReport(STREAM, "offline", "srt"));
        assertThat(meters.get("bifrost.ingest.control.status").tag("outcome", "failed").counter().count()).isEqualTo(1);
    }
}
