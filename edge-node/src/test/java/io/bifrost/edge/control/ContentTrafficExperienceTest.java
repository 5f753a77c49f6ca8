package io.bifrost.edge.control;

import io.bifrost.edge.cache.CacheTierName;
import io.bifrost.edge.player.QoeBeacon;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * First-byte and fill percentiles and QoE sums per content per window, as {@link ContentTraffic} hands them to the
 * telemetry sender.
 */
class ContentTrafficExperienceTest
{
    private static final long WINDOW_MS = 1_000;

    private final ContentTraffic traffic = new ContentTraffic();

    @Test
    void shouldReportFirstBytePercentilesOfTheWindowAndStartAfreshAfterIt()
    {
        for (int i = 1; i <= 100; i++)
        {
            traffic.onAccess("/vod/abc/720p/" + i + ".m4s", 1000, "hit", CacheTierName.RAM, i * 10_000L);
        }
        traffic.onAccess("/vod/abc/720p/0.m4s", 1000, "hit", CacheTierName.RAM, -1);

        final ContentTraffic.Counts window = only(traffic.drain(WINDOW_MS));
        assertThat(window.requests()).isEqualTo(101);
        assertThat((double)window.firstByteP50Micros()).isCloseTo(500, withinPercentage(7));
        assertThat((double)window.firstByteP99Micros()).isCloseTo(990, withinPercentage(7));
        assertThat(window.fillP50Micros()).isZero();

        traffic.onAccess("/vod/abc/720p/1.m4s", 1000, "hit", CacheTierName.RAM, 2_000_000L);
        assertThat((double)only(traffic.drain(WINDOW_MS)).firstByteP50Micros()).isCloseTo(2_000, withinPercentage(7));
    }

    @Test
    void shouldReportFillTimesEvenWhenTheFillEndsBeforeItsRequestIsCounted()
    {
        traffic.onFill("/vod/abc/720p/1.m4s", 40_000_000L);
        traffic.onFill("/not-content", 1L);

        final List<ContentTraffic.Entry> window = traffic.drain(WINDOW_MS);
        assertThat(window).extracting(ContentTraffic.Entry::contentId).containsExactly("vod/abc");
        assertThat((double)window.get(0).counts().fillP50Micros()).isCloseTo(40_000, withinPercentage(7));
        assertThat(window.get(0).counts().requests()).isZero();
    }

    @Test
    void shouldSumBeaconsOfServedContentAndDropBeaconsOfAnyOther()
    {
        traffic.onAccess("/live/show/master.m3u8", 300, "hit", CacheTierName.RAM, 100_000L);

        assertThat(traffic.onBeacon(beacon("show", true, 420, 2, 1_500, 3, 1, 9_000, 2_000_000))).isTrue();
        assertThat(traffic.onBeacon(beacon("show", true, -1, 0, 0, 0, 0, 1_000, 4_000_000))).isTrue();
        assertThat(traffic.onBeacon(beacon("show", false, 400, 0, 0, 0, 0, 1_000, 1_000_000))).isFalse();
        assertThat(traffic.onBeacon(beacon("elsewhere", true, 400, 0, 0, 0, 0, 1_000, 1_000_000))).isFalse();

        final ContentTraffic.Counts window = only(traffic.drain(WINDOW_MS));
        assertThat(window.qoeBeacons()).isEqualTo(2);
        assertThat((double)window.startupP50Millis()).isCloseTo(420, withinPercentage(7));
        assertThat(window.rebufferCount()).isEqualTo(2);
        assertThat(window.rebufferMillis()).isEqualTo(1_500);
        assertThat(window.switchCount()).isEqualTo(4);
        assertThat(window.playedMillis()).isEqualTo(10_000);
        assertThat(window.meanBitrateKbps()).isEqualTo((2_000 * 9_000 + 4_000 * 1_000) / 10_000);
        assertThat(traffic.unknownBeacons()).isEqualTo(2);
    }

    @Test
    void shouldNotGrowWhenFloodedWithBeaconsForMadeUpContent()
    {
        for (int i = 0; i < 100_000; i++)
        {
            traffic.onBeacon(beacon("flood" + i, i % 2 == 0, 100, 0, 0, 0, 0, 1_000, 1_000_000));
        }

        assertThat(traffic.drain(WINDOW_MS)).isEmpty();
        assertThat(traffic.unknownBeacons()).isEqualTo(100_000);
    }

    @Test
    void shouldReportAContentWithOnlyBeaconsInAWindowWhileItIsStillKnown()
    {
        traffic.onAccess("/vod/abc/master.m3u8", 300, "hit", CacheTierName.RAM, 100_000L);
        traffic.drain(WINDOW_MS);
        traffic.onBeacon(beacon("abc", false, -1, 1, 700, 0, 0, 5_000, 1_000_000));

        final ContentTraffic.Counts window = only(traffic.drain(WINDOW_MS));
        assertThat(window.requests()).isZero();
        assertThat(window.qoeBeacons()).isEqualTo(1);
        assertThat(window.startupP50Millis()).isZero();
        assertThat(window.rebufferMillis()).isEqualTo(700);
    }

    private static ContentTraffic.Counts only(final List<ContentTraffic.Entry> window)
    {
        assertThat(window).hasSize(1);
        return window.get(0).counts();
    }

    private static QoeBeacon beacon(
        final String id,
        final boolean live,
        final long startupMs,
        final int rebuffers,
        final long rebufferMs,
        final int up,
        final int down,
        final long playedMs,
        final long bitrateBps)
    {
        return new QoeBeacon(id, live, "0123456789abcdef", 0, startupMs, rebuffers, rebufferMs, up, down, playedMs,
            bitrateBps);
    }
}
