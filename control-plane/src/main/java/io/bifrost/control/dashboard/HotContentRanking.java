package io.bifrost.control.dashboard;

import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.steer.ViewRate;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.bifrost.control.telemetry.TrafficStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Ranks content by the seed's popularity score for the dashboard: the most requested contents of the last hour are
 * the candidates (a content with views has requests), each scored from its views per hour and growth
 * ({@link ViewRate}, {@link PopularityScore}), then sorted by score (requests break ties, so a cold fleet still
 * shows what is asked for). Thread-safe (reads the thread-safe aggregator).
 */
public final class HotContentRanking
{
    /** Candidates looked at per content shown. */
    private static final int CANDIDATES_PER_RESULT = 4;
    /** Fewest candidates looked at. */
    private static final int MIN_CANDIDATES = 50;

    private final TelemetryAggregator telemetry;
    private final ViewRate viewRate;
    private final PopularityScore score;

    /**
     * @param telemetry the aggregated telemetry.
     * @param viewRate  views per hour from telemetry.
     * @param score     formula and thresholds.
     */
    public HotContentRanking(final TelemetryAggregator telemetry, final ViewRate viewRate, final PopularityScore score)
    {
        this.telemetry = telemetry;
        this.viewRate = viewRate;
        this.score = score;
    }

    /**
     * @param limit most contents returned (positive).
     * @param nowMs the control plane's clock.
     * @return the contents, highest score first.
     */
    public List<HotContent> top(final int limit, final long nowMs)
    {
        final List<TrafficStats> candidates = telemetry.top(TelemetryWindow.HOUR,
            Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT), nowMs);
        final List<HotContent> ranked = new ArrayList<>(candidates.size());
        for (final TrafficStats stats : candidates)
        {
            final String contentId = stats.key();
            final double views = viewRate.viewsLastHour(contentId, null, nowMs);
            final double growth = PopularityScore.growth(views, viewRate.viewsPreviousHour(contentId, null, nowMs));
            final double value = score.score(views, 0, 0.5, growth);
            ranked.add(new HotContent(contentId, value, score.temperature(value).name().toLowerCase(Locale.ROOT), views,
                growth, telemetry.viewersNow(contentId, nowMs), stats.requests(), stats.hitRatio(), stats.estimated()));
        }
        ranked.sort(Comparator.comparingDouble(HotContent::score).reversed()
            .thenComparing(Comparator.comparingLong(HotContent::requestsLastHour).reversed())
            .thenComparing(HotContent::contentId));
        return ranked.size() > limit ? List.copyOf(ranked.subList(0, limit)) : ranked;
    }
}
