package io.bifrost.control.dashboard;

import io.bifrost.control.telemetry.TelemetryAggregator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard's traffic history: fleet-wide rates over the trailing minute, one sample per interval, a bounded ring.
 */
class TrafficHistoryTest
{
    private static final long T0 = 1_767_225_600_000L;

    private final TelemetryAggregator telemetry = new TelemetryAggregator(100, new SimpleMeterRegistry());
    private final AtomicLong clock = new AtomicLong(T0);

    @Test
    void shouldSumEveryRegionsTrailingMinuteIntoFleetRates()
    {
        telemetry.onContent(T0, "e1", "eu-west", 1000, "vod/a", 40, 60_000, 30, 0, 10, 3, 5);
        telemetry.onContent(T0, "e2", "us-east", 1000, "vod/a", 20, 60_000, 10, 10, 0, 0, 7);
        telemetry.onContent(T0, "e2", "us-east", 1000, "live/b", 0, 0, 0, 0, 0, 0, 2);
        final TrafficHistory history = new TrafficHistory(telemetry, clock::get, 10_000, 360);

        final TrafficSample sample = history.sample(T0 + 500);

        assertThat(sample.atMs()).isEqualTo(T0 + 500);
        assertThat(sample.requestsPerSecond()).isCloseTo(60 / 60.0, within(1e-9));
        assertThat(sample.bitsPerSecond()).isCloseTo(120_000 * 8 / 60.0, within(1e-6));
        assertThat(sample.hitRatio()).isCloseTo(50 / 60.0, within(1e-9));
        assertThat(sample.errorsPerSecond()).isCloseTo(3 / 60.0, within(1e-9));
        assertThat(sample.viewers()).isEqualTo(14);
        assertThat(history.samples()).containsExactly(sample);
    }

    @Test
    void shouldSampleOncePerIntervalAndKeepOnlyTheLatestSamplesOldestFirst()
    {
        final TrafficHistory history = new TrafficHistory(telemetry, clock::get, 10_000, 3);

        assertThat(history.doWork()).as("the first call samples at once").isEqualTo(1);
        clock.addAndGet(9_999);
        assertThat(history.doWork()).isZero();
        for (int i = 0; i < 4; i++)
        {
            clock.addAndGet(10_000);
            assertThat(history.doWork()).isEqualTo(1);
        }

        assertThat(history.samples()).extracting(TrafficSample::atMs)
            .containsExactly(T0 + 29_999, T0 + 39_999, T0 + 49_999);
        assertThat(history.samples()).allSatisfy(sample -> assertThat(sample.requestsPerSecond()).isZero());
    }

    @Test
    void shouldRefuseAnUnboundedOrTooFineHistory()
    {
        assertThatThrownBy(() -> new TrafficHistory(telemetry, clock::get, 10, 360))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrafficHistory(telemetry, clock::get, 10_000, 1_000_000))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
