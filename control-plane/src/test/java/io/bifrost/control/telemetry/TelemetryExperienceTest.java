package io.bifrost.control.telemetry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Experience (latency percentiles and QoE) aggregated per content, edge and region over the telemetry windows.
 */
class TelemetryExperienceTest
{
    private static final long NOW = 1_764_000_000_000L;

    private final TelemetryAggregator telemetry = new TelemetryAggregator(16, new SimpleMeterRegistry());
    private final ExperienceSample sample = new ExperienceSample();

    @Test
    void shouldWeighEdgesPercentilesByTheirRequestsAndAddTheirQoe()
    {
        report("e1", "eu", "vod/a", 300, 3, 1_000, 5_000, 40_000, 90_000, 2, 400, 1, 500, 2, 10_000, 2_000);
        report("e2", "eu", "vod/a", 100, 1, 5_000, 9_000, 80_000, 80_000, 1, 700, 0, 0, 1, 5_000, 5_000);

        final ExperienceStats a = telemetry.content("vod/a", TelemetryWindow.MINUTE, NOW).experience();
        assertThat(a.firstByteP50Micros()).isEqualTo((300 * 1_000 + 100 * 5_000) / 400);
        assertThat(a.firstByteP99Micros()).isEqualTo((300 * 5_000 + 100 * 9_000) / 400);
        assertThat(a.fillP50Micros()).isEqualTo((3 * 40_000 + 80_000) / 4);
        assertThat(a.qoeBeacons()).isEqualTo(3);
        assertThat(a.startupP50Millis()).isEqualTo(500);
        assertThat(a.rebuffers()).isEqualTo(1);
        assertThat(a.rebufferMillis()).isEqualTo(500);
        assertThat(a.rebufferRatio()).isEqualTo(500.0 / 15_500);
        assertThat(a.switches()).isEqualTo(3);
        assertThat(a.playedMillis()).isEqualTo(15_000);
        assertThat(a.meanBitrateKbps()).isEqualTo(3_000);

        assertThat(telemetry.edges(TelemetryWindow.HOUR, NOW).get("e2").experience().fillP50Micros()).isEqualTo(80_000);
        assertThat(telemetry.regions(TelemetryWindow.DAY, NOW).get("eu").experience().qoeBeacons()).isEqualTo(3);
        assertThat(telemetry.top(TelemetryWindow.MINUTE, 1, NOW).get(0).experience()).isEqualTo(a);
    }

    @Test
    void shouldShowNoExperienceWhenEdgesReportedNoneOrAnOlderSchemasNullValues()
    {
        telemetry.onContent(NOW, "e1", "eu", 1_000, "vod/b", 5, 100, 5, 0, 0, 0, 1);
        telemetry.onExperience(NOW, "e1", "eu", "vod/b", sample.set(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        telemetry.onContent(NOW, "e1", "eu", 1_000, "vod/c", 5, 100, 5, 0, 0, 0, 1);
        // What a schema v2 edge's entry reads as: int32 fields Integer.MIN_VALUE, uint16 fields 65535.
        telemetry.onExperience(NOW, "e1", "eu", "vod/c", sample.set(5, 0, Integer.MIN_VALUE, Integer.MIN_VALUE,
            Integer.MIN_VALUE, Integer.MIN_VALUE, 0xFFFF, 0xFFFF, 0xFFFF, Integer.MIN_VALUE, 0xFFFF, Integer.MIN_VALUE,
            0xFFFF));

        assertThat(sample.isEmpty()).isTrue();
        assertThat(telemetry.content("vod/b", TelemetryWindow.MINUTE, NOW).experience()).isNull();
        assertThat(telemetry.content("vod/c", TelemetryWindow.MINUTE, NOW).experience()).isNull();
        assertThat(telemetry.edges(TelemetryWindow.MINUTE, NOW).get("e1").experience()).isNull();
    }

    @Test
    void shouldKeepNoExperienceForEdgesOrRegionsItDoesNotTrack()
    {
        telemetry.onExperience(NOW, "ghost", "nowhere", "vod/z",
            sample.set(1, 1, 100, 200, 300, 400, 1, 100, 0, 0, 0, 1_000, 1_000));

        assertThat(telemetry.edges(TelemetryWindow.MINUTE, NOW)).isEmpty();
        assertThat(telemetry.regions(TelemetryWindow.MINUTE, NOW)).isEmpty();
        assertThat(telemetry.content("vod/z", TelemetryWindow.MINUTE, NOW).experience()).isNull();
    }

    @Test
    void shouldForgetExperienceOlderThanTheWindow()
    {
        report("e1", "eu", "vod/a", 10, 1, 1_000, 2_000, 3_000, 4_000, 1, 300, 0, 0, 0, 1_000, 1_000);

        assertThat(telemetry.content("vod/a", TelemetryWindow.MINUTE, NOW + 61_000).experience()).isNull();
        assertThat(telemetry.content("vod/a", TelemetryWindow.HOUR, NOW + 61_000).experience().qoeBeacons()).isEqualTo(1);
    }

    @Test
    void shouldGiveExperienceMinuteByMinuteOverTheLastHourFleetWideAndPerContent()
    {
        final long minute = 60_000;
        beacons(NOW - 90 * minute, "eu", "vod/a", 5, 9_000);
        beacons(NOW - 30 * minute, "eu", "vod/a", 2, 400);
        beacons(NOW - 30 * minute, "us", "vod/b", 2, 800);
        beacons(NOW, "eu", "vod/a", 1, 1_000);

        final java.util.List<ExperienceMinute> fleet = telemetry.experiencePerMinute(null, NOW);
        assertThat(fleet).extracting(ExperienceMinute::atMs)
            .containsExactly((NOW - 30 * minute) / minute * minute, NOW / minute * minute);
        assertThat(fleet.get(0).experience().startupP50Millis()).isEqualTo(600);
        assertThat(fleet.get(0).experience().qoeBeacons()).isEqualTo(4);
        assertThat(fleet.get(1).experience().startupP50Millis()).isEqualTo(1_000);
        assertThat(telemetry.experiencePerMinute("vod/b", NOW)).singleElement()
            .satisfies(b -> assertThat(b.experience().startupP50Millis()).isEqualTo(800));
        assertThat(telemetry.experiencePerMinute("vod/a", NOW)).hasSize(2);
        assertThat(telemetry.experiencePerMinute("vod/unknown", NOW)).isEmpty();
        assertThat(telemetry.experiencePerMinute(null, NOW + 61 * minute)).as("an hour later").isEmpty();
    }

    private void beacons(final long atMs, final String region, final String content, final int beacons, final int startupMs)
    {
        telemetry.onContent(atMs, "e-" + region, region, 1_000, content, 10, 10_000, 10, 0, 0, 0, 1);
        telemetry.onExperience(atMs, "e-" + region, region, content, sample.set(10, 0, 0, 0, 0, 0, beacons, startupMs,
            0, 0, 0, 10_000, 2_000));
    }

    private void report(
        final String edge, final String region, final String content, final long requests, final long misses,
        final int firstByteP50, final int firstByteP99, final int fillP50, final int fillP99, final int beacons,
        final int startupP50, final int rebuffers, final int rebufferMs, final int switches, final int playedMs,
        final int kbps)
    {
        telemetry.onContent(NOW, edge, region, 1_000, content, requests, requests * 1000, requests - misses, 0, misses, 0, 1);
        telemetry.onExperience(NOW, edge, region, content, sample.set(requests, misses, firstByteP50, firstByteP99,
            fillP50, fillP99, beacons, startupP50, rebuffers, rebufferMs, switches, playedMs, kbps));
    }
}
