package io.bifrost.control.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.playback.HttpJson;
import io.bifrost.protocol.sbe.EdgeHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.bifrost.control.dashboard.DashboardFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard end to end over real HTTP: the page and its assets are open, its data endpoints need the admin token,
 * and edge telemetry sent over Aeron IPC (as in-process edges send it) shows up in the traffic history and the hot
 * list. The page's drawing is checked in headless Chromium by system-tests' DashboardBrowserSystemTest.
 */
class DashboardApiTest
{
    @RegisterExtension
    static final DashboardFixture dashboard = new DashboardFixture();

    @Test
    void shouldServeThePageAndItsAssetsWithoutTokenUnderAStrictContentSecurityPolicy() throws Exception
    {
        final HttpJson.Answer page = dashboard.api().get("/dashboard");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.header("content-security-policy")).contains("script-src 'self'").contains("connect-src 'self'")
            .doesNotContain("unsafe-inline");
        assertThat(page.response().body()).contains("/dashboard/dashboard.js").contains("id=\"chart-hit-ratio\"")
            .contains("id=\"edges\"").doesNotContain("<script>").doesNotContain("http://").doesNotContain("https://");

        final HttpJson.Answer script = dashboard.api().get("/dashboard/dashboard.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("content-type")).startsWith("text/javascript");
        assertThat(script.response().body()).contains("sessionStorage").contains("Authorization");
        final HttpJson.Answer style = dashboard.api().get("/dashboard/dashboard.css");
        assertThat(style.status()).isEqualTo(200);
        assertThat(style.header("content-type")).startsWith("text/css");
    }

    @Test
    void shouldNeedTheAdminTokenForTheDashboardsData() throws Exception
    {
        assertThat(dashboard.api().get("/api/v1/dashboard/traffic").status()).isEqualTo(401);
        assertThat(dashboard.api().get("/api/v1/dashboard/hot-content").status()).isEqualTo(401);
        assertThat(dashboard.operator("/api/v1/dashboard/traffic").status()).isEqualTo(200);
        assertThat(dashboard.operator("/api/v1/dashboard/hot-content?limit=0").errorCode()).isEqualTo("limit.invalid");
        assertThat(dashboard.operator("/api/v1/dashboard/hot-content?limit=x").errorCode()).isEqualTo("limit.invalid");
        assertThat(dashboard.api().get("/api/v1/dashboard/experience").status()).isEqualTo(401);
        assertThat(dashboard.operator("/api/v1/dashboard/experience?content=vod/a%20b").errorCode())
            .isEqualTo("content.invalid");
        assertThat(dashboard.operator("/api/v1/dashboard/experience?content=other/x").errorCode())
            .isEqualTo("content.invalid");
    }

    @Test
    void shouldChartEdgeTelemetryAsFleetTrafficOverTimeAndRankContentByPopularity() throws Exception
    {
        dashboard.edges().heartbeat("e1", "eu-west", "http://e1.example.net:8080", T0 - 60_000, 100, EdgeHealth.UP);
        dashboard.edges().telemetry("e1", "eu-west", Map.of(
            "vod/hot", new long[] {600, 60_000_000, 540, 60, 300},
            "vod/mild", new long[] {30, 3_000_000, 30, 0, 2}));
        await().until(() ->
            dashboard.operator("/api/v1/content/top?window=minute").data().path("contents").size() == 2);
        dashboard.clock().advance(10_000); // the next history sample is due

        await().until(() ->
        {
            final JsonNode samples = dashboard.operator("/api/v1/dashboard/traffic").data().path("samples");
            return !samples.isEmpty() && samples.get(samples.size() - 1).path("requests_per_second").asDouble() > 0;
        });
        final JsonNode traffic = dashboard.operator("/api/v1/dashboard/traffic").data();
        assertThat(traffic.path("interval_seconds").asDouble()).isEqualTo(10.0);
        assertThat(traffic.path("capacity").asInt()).isEqualTo(360);
        final JsonNode latest = traffic.path("samples").get(traffic.path("samples").size() - 1);
        assertThat(latest.path("requests_per_second").asDouble()).isEqualTo(630 / 60.0);
        assertThat(latest.path("hit_ratio").asDouble()).isEqualTo(570 / 630.0);
        assertThat(latest.path("bits_per_second").asDouble()).isEqualTo(63_000_000 * 8 / 60.0);
        assertThat(latest.path("at_ms").asLong()).isEqualTo(T0 + 10_000);

        final JsonNode hot = dashboard.operator("/api/v1/dashboard/hot-content?limit=5").data().path("contents");
        assertThat(hot).hasSize(2);
        assertThat(hot.get(0).path("content_id").asText()).isEqualTo("vod/hot");
        assertThat(hot.get(0).path("score").asDouble()).isGreaterThan(hot.get(1).path("score").asDouble());
        assertThat(hot.get(0).path("requests_last_hour").asLong()).isEqualTo(600);
        assertThat(hot.get(0).path("temperature").asText()).isIn("hot", "warm", "cold");
        assertThat(hot.get(1).path("content_id").asText()).isEqualTo("vod/mild");
    }
}
