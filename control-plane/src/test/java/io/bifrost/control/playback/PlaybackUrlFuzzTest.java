package io.bifrost.control.playback;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.edges.EdgeRegistry;
import io.bifrost.control.http.AccessGuard;
import io.bifrost.control.http.ApiDispatcher;
import io.bifrost.control.http.ApiJson;
import io.bifrost.control.http.ApiMetrics;
import io.bifrost.control.http.Router;
import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.steer.EdgeSteering;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlToken;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for the playback URL request decoder: any body sent to {@code POST /api/v1/playback-urls} is
 * answered 201 or 400 (never a 500 or an escaping exception), a refusal carries a dotted code, and every URL issued
 * plays: its token verifies at an edge holding the same key for the URL's own path, and covers nothing outside the
 * content's folder.
 *
 * <p>Input: the request body. A normal build replays the corpus under
 * {@code src/test/resources/io/bifrost/control/playback/PlaybackUrlFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 ./mvnw -pl control-plane test -Dtest=PlaybackUrlFuzzTest} fuzzes.
 */
class PlaybackUrlFuzzTest
{
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final SigningKeyRing KEYS = new SigningKeyRing(PlaybackUrlApiTest.key("fuzz", 3));
    private static final UrlTokenVerifier EDGE = new UrlTokenVerifier(KEYS);
    private static final ApiDispatcher DISPATCHER = dispatcher();

    private static ApiDispatcher dispatcher()
    {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final TelemetryAggregator telemetry = new TelemetryAggregator(16, meters);
        final EdgeSteering steering = new EdgeSteering(new EdgeRegistry(3000, meters),
            new ViewRate(telemetry, new PopularityScore(), ViewRate.DEFAULT_MEAN_VIEW_SECONDS),
            EdgeSteering.DEFAULT_EGRESS_CAPACITY_BPS, EdgeSteering.DEFAULT_OVERLOAD);
        final Router router = new PlaybackUrlRoutes(new PlaybackUrlIssuer(KEYS, steering, "https://cdn.example.net",
            PlaybackUrlIssuer.DEFAULT_MAX_TTL_SECONDS), Clock.fixed(NOW, ZoneOffset.UTC), meters).register(new Router());
        return new ApiDispatcher(router, new AccessGuard(null, null), new ApiMetrics(meters), Runnable::run);
    }

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsAnsweredWithAPlayableUrlOrAReason(final byte[] body) throws IOException
    {
        final FullHttpResponse response = DISPATCHER.respond(HttpMethod.POST, "/api/v1/playback-urls",
            new DefaultHttpHeaders(), body, InetAddress.getLoopbackAddress());
        try
        {
            final int status = response.status().code();
            assertThat(status).isIn(201, 400);
            final JsonNode envelope = ApiJson.mapper().readTree(response.content().toString(StandardCharsets.UTF_8));
            if (status == 400)
            {
                assertThat(envelope.path("error").path("code").asText()).matches("[a-z_]+(\\.[a-z_]+)+");
                return;
            }
            final JsonNode data = envelope.path("data");
            final URI url = URI.create(data.path("url").asText());
            final String token = data.path("token").asText();
            final String path;
            if (data.path("token_in").asText().equals("query"))
            {
                assertThat(url.getRawQuery()).isEqualTo("token=" + token);
                path = url.getRawPath();
            }
            else
            {
                assertThat(data.path("token_in").asText()).isEqualTo("path");
                assertThat(url.getRawQuery()).isNull();
                assertThat(url.getRawPath()).startsWith(UrlToken.PATH_PREFIX + token + "/");
                path = url.getRawPath().substring(UrlToken.PATH_PREFIX.length() + token.length());
            }
            assertThat(path).startsWith(data.path("path_prefix").asText());
            assertThat(EDGE.verify(token, path, InetAddress.getByName("192.0.2.1"), NOW))
                .isIn(TokenVerdict.OK, TokenVerdict.WRONG_CLIENT_IP);
            assertThat(EDGE.verify(token, "/vod/another-title/master.m3u8", null, NOW))
                .isIn(TokenVerdict.WRONG_PREFIX, TokenVerdict.WRONG_CLIENT_IP);
        }
        finally
        {
            response.release();
        }
    }
}
