package io.bifrost.control.telemetry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryAggregatorTest
{
    private static final long T0 = 1_767_225_600_000L; // an hour boundary

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static void add(final TelemetryAggregator telemetry, final long nowMs, final String edge, final String region,
        final String content, final long requests)
    {
        telemetry.onContent(nowMs, edge, region, 1_000, content, requests, requests * 1_000, requests, 0, 0, 0, 1);
    }

    @Test
    void shouldKeepEachSampleInTheMinuteHourAndDayWindowsUntilItAgesOut()
    {
        final TelemetryAggregator telemetry = new TelemetryAggregator(16, meters);
        add(telemetry, T0, "e1", "eu", "vod/a", 10);
        add(telemetry, T0 + 30_000, "e2", "eu", "vod/a", 5);
        add(telemetry, T0 + 5 * 60_000, "e3", "us", "vod/a", 7);

        final long now = T0 + 5 * 60_000;
        assertThat(telemetry.content("vod/a", TelemetryWindow.MINUTE, now).requests()).isEqualTo(7);
        assertThat(telemetry.content("vod/a", TelemetryWindow.HOUR, now).requests()).isEqualTo(22);
        assertThat(telemetry.content("vod/a", TelemetryWindow.DAY, now).requests()).isEqualTo(22);
        assertThat(telemetry.requestsInRegion("vod/a", "eu", TelemetryWindow.HOUR, now)).isEqualTo(15);
        assertThat(telemetry.edges(TelemetryWindow.HOUR, now).get("e2").requests()).isEqualTo(5);
        assertThat(telemetry.regions(TelemetryWindow.HOUR, now).get("us").bytesSent()).isEqualTo(7_000);

        final long later = T0 + 2 * 3_600_000L;
        assertThat(telemetry.content("vod/a", TelemetryWindow.HOUR, later).requests()).isZero();
        assertThat(telemetry.content("vod/a", TelemetryWindow.DAY, later).requests()).isEqualTo(22);
        assertThat(telemetry.requestsInHour("vod/a", null, 2, later)).isEqualTo(22);
        assertThat(telemetry.content("vod/a", TelemetryWindow.DAY, T0 + 25 * 3_600_000L).requests()).isZero();
    }

    @Test
    void shouldRankTopContentByRequestsAndComputeRatesAndHitRatio()
    {
        final TelemetryAggregator telemetry = new TelemetryAggregator(16, meters);
        telemetry.onContent(T0, "e1", "eu", 1_000, "vod/a", 60, 600_000, 30, 15, 15, 2, 3);
        add(telemetry, T0, "e1", "eu", "vod/b", 120);
        add(telemetry, T0, "e1", "eu", "live/c", 1);

        final List<TrafficStats> top = telemetry.top(TelemetryWindow.MINUTE, 2, T0);
        assertThat(top).extracting(TrafficStats::key).containsExactly("vod/b", "vod/a");
        final TrafficStats a = top.get(1);
        assertThat(a.requestsPerSecond()).isEqualTo(1.0);
        assertThat(a.bitsPerSecond()).isEqualTo(80_000.0);
        assertThat(a.hitRatio()).isEqualTo(0.75);
        assertThat(a.errors()).isEqualTo(2);
        assertThat(a.viewersNow()).isEqualTo(3);
        assertThat(a.meanViewers()).isEqualTo(3.0 / 60);
    }

    @Test
    void shouldTrackASurgingContentExactlyOnceItOvertakesTheColdestTrackedOne()
    {
        final TelemetryAggregator telemetry = new TelemetryAggregator(2, meters);
        add(telemetry, T0, "e1", "eu", "vod/a", 100);
        add(telemetry, T0, "e1", "eu", "vod/b", 5);
        add(telemetry, T0 + 1_000, "e1", "eu", "vod/tail", 3); // table full, colder than vod/b: sketch only

        assertThat(telemetry.trackedContents()).isEqualTo(2);
        final TrafficStats tail = telemetry.content("vod/tail", TelemetryWindow.HOUR, T0 + 1_000);
        assertThat(tail.estimated()).isTrue();
        assertThat(tail.requests()).isGreaterThanOrEqualTo(3);

        add(telemetry, T0 + 2_000, "e1", "eu", "vod/tail", 50); // now hotter than vod/b: takes its place
        assertThat(telemetry.content("vod/tail", TelemetryWindow.HOUR, T0 + 2_000).estimated()).isFalse();
        assertThat(telemetry.content("vod/b", TelemetryWindow.HOUR, T0 + 2_000).estimated()).isTrue();
        assertThat(telemetry.top(TelemetryWindow.HOUR, 10, T0 + 2_000)).extracting(TrafficStats::key)
            .containsExactly("vod/a", "vod/tail");
        assertThat(meters.counter("bifrost.control.telemetry.promotions").count()).isEqualTo(1);
    }

    @Test
    void shouldCountViewersNowFromEachEdgesLatestFreshReport()
    {
        final TelemetryAggregator telemetry = new TelemetryAggregator(16, meters);
        telemetry.onContent(T0, "e1", "eu", 1_000, "live/s", 10, 0, 10, 0, 0, 0, 40);
        telemetry.onContent(T0 + 1_000, "e1", "eu", 1_000, "live/s", 10, 0, 10, 0, 0, 0, 42);
        telemetry.onContent(T0 + 1_000, "e2", "us", 1_000, "live/s", 10, 0, 10, 0, 0, 0, 8);

        assertThat(telemetry.viewersNow("live/s", T0 + 1_000)).isEqualTo(50);
        assertThat(telemetry.viewersNow("live/s", "us", T0 + 1_000)).isEqualTo(8);
        assertThat(telemetry.viewersNow(T0 + 1_000)).containsEntry("live/s", 50L);
        assertThat(telemetry.viewersNow("live/s", T0 + 1_000 + TelemetryAggregator.VIEWER_SAMPLE_TTL_MS + 1)).isZero();
    }
}
