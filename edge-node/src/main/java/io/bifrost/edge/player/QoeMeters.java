package io.bifrost.edge.player;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * QoE from the reference player, as Micrometer meters (Prometheus {@code /metrics}) and as running totals that the
 * edge's telemetry can read ({@link #totals()}). Tagged by {@code kind} (vod or live) only: content ids and sessions
 * are unbounded and never become tags. Thread-safe.
 *
 * <ul>
 *   <li>{@code bifrost.edge.player.startup} (timer, histogram): play requested to first frame.</li>
 *   <li>{@code bifrost.edge.player.rebuffers} (counter) and {@code bifrost.edge.player.rebuffer.time} (timer
 *       total): stalls after startup and the time spent in them; with {@code bifrost.edge.player.played.time} they
 *       give the rebuffer ratio.</li>
 *   <li>{@code bifrost.edge.player.switches{direction=up|down}} (counter).</li>
 *   <li>{@code bifrost.edge.player.bitrate} (summary, bits/s): each beacon's played-time-weighted mean bitrate.</li>
 *   <li>{@code bifrost.edge.player.beacons.accepted} and {@code bifrost.edge.player.beacons.rejected{reason}}.</li>
 * </ul>
 */
public final class QoeMeters
{
    /**
     * Sums over every accepted beacon since the edge started.
     *
     * @param beacons        beacons accepted.
     * @param startups       startup times reported.
     * @param startupMsSum   sum of the startup times, ms.
     * @param rebuffers      stalls reported.
     * @param rebufferMs     stalled time, ms.
     * @param switchesUp     upward level switches.
     * @param switchesDown   downward level switches.
     * @param playedMs       media time played, ms.
     * @param bitsPlayed     sum of bitrate x played time (bits), so bitsPlayed / playedMs * 1000 is the mean bitrate.
     * @param rejected       beacons refused.
     */
    public record Totals(
        long beacons,
        long startups,
        long startupMsSum,
        long rebuffers,
        long rebufferMs,
        long switchesUp,
        long switchesDown,
        long playedMs,
        long bitsPlayed,
        long rejected)
    {
    }

    private final Kind vod;
    private final Kind live;
    private final Map<BeaconRejection, Counter> rejected = new EnumMap<>(BeaconRejection.class);
    private final LongAdder beacons = new LongAdder();
    private final LongAdder startups = new LongAdder();
    private final LongAdder startupMsSum = new LongAdder();
    private final LongAdder rebuffers = new LongAdder();
    private final LongAdder rebufferMs = new LongAdder();
    private final LongAdder switchesUp = new LongAdder();
    private final LongAdder switchesDown = new LongAdder();
    private final LongAdder playedMs = new LongAdder();
    private final LongAdder bitsPlayed = new LongAdder();
    private final LongAdder rejectedTotal = new LongAdder();

    /**
     * @param registry where the meters are registered.
     */
    public QoeMeters(final MeterRegistry registry)
    {
        vod = new Kind(registry, "vod");
        live = new Kind(registry, "live");
        for (final BeaconRejection reason : BeaconRejection.values())
        {
            rejected.put(reason, Counter.builder("bifrost.edge.player.beacons.rejected")
                .description("QoE beacons refused, by reason")
                .tag("reason", reason.code())
                .register(registry));
        }
    }

    /**
     * Count an accepted beacon.
     *
     * @param beacon a parsed beacon.
     */
    public void record(final QoeBeacon beacon)
    {
        final Kind kind = beacon.live() ? live : vod;
        kind.beacons.increment();
        beacons.increment();
        if (beacon.startupMs() >= 0)
        {
            kind.startup.record(beacon.startupMs(), TimeUnit.MILLISECONDS);
            startups.increment();
            startupMsSum.add(beacon.startupMs());
        }
        kind.rebuffers.increment(beacon.rebuffers());
        rebuffers.add(beacon.rebuffers());
        kind.rebufferTime.record(beacon.rebufferMs(), TimeUnit.MILLISECONDS);
        rebufferMs.add(beacon.rebufferMs());
        kind.switchesUp.increment(beacon.switchesUp());
        switchesUp.add(beacon.switchesUp());
        kind.switchesDown.increment(beacon.switchesDown());
        switchesDown.add(beacon.switchesDown());
        kind.playedTime.record(beacon.playedMs(), TimeUnit.MILLISECONDS);
        playedMs.add(beacon.playedMs());
        if (beacon.playedMs() > 0)
        {
            kind.bitrate.record(beacon.bitrateBps());
            bitsPlayed.add(beacon.bitrateBps() * beacon.playedMs() / 1000);
        }
    }

    /**
     * Count a refused beacon.
     *
     * @param reason why it was refused.
     */
    public void reject(final BeaconRejection reason)
    {
        rejected.get(reason).increment();
        rejectedTotal.increment();
    }

    /**
     * @return the sums so far (each read separately: a beacon counted meanwhile may show in some sums only).
     */
    public Totals totals()
    {
        return new Totals(beacons.sum(), startups.sum(), startupMsSum.sum(), rebuffers.sum(), rebufferMs.sum(),
            switchesUp.sum(), switchesDown.sum(), playedMs.sum(), bitsPlayed.sum(), rejectedTotal.sum());
    }

    private static final class Kind
    {
        final Counter beacons;
        final Timer startup;
        final Counter rebuffers;
        final Timer rebufferTime;
        final Counter switchesUp;
        final Counter switchesDown;
        final Timer playedTime;
        final DistributionSummary bitrate;

        Kind(final MeterRegistry registry, final String kind)
        {
            beacons = Counter.builder("bifrost.edge.player.beacons.accepted")
                .description("QoE beacons accepted from the reference player").tag("kind", kind).register(registry);
            startup = Timer.builder("bifrost.edge.player.startup")
                .description("reference player: play requested to first frame")
                .tag("kind", kind)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
            rebuffers = Counter.builder("bifrost.edge.player.rebuffers")
                .description("reference player: stalls after startup").tag("kind", kind).register(registry);
            rebufferTime = Timer.builder("bifrost.edge.player.rebuffer.time")
                .description("reference player: time stalled after startup").tag("kind", kind).register(registry);
            switchesUp = Counter.builder("bifrost.edge.player.switches")
                .description("reference player: level switches").tag("kind", kind).tag("direction", "up")
                .register(registry);
            switchesDown = Counter.builder("bifrost.edge.player.switches")
                .description("reference player: level switches").tag("kind", kind).tag("direction", "down")
                .register(registry);
            playedTime = Timer.builder("bifrost.edge.player.played.time")
                .description("reference player: media time played").tag("kind", kind).register(registry);
            bitrate = DistributionSummary.builder("bifrost.edge.player.bitrate")
                .description("reference player: mean bitrate played per beacon interval").baseUnit("bits/s")
                .tag("kind", kind).register(registry);
        }
    }
}
