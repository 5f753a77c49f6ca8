package io.bifrost.control.steer;

import io.bifrost.control.placement.PopularityScore;
import io.bifrost.control.placement.Temperature;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;

/**
 * A content's temperature in a region from edge telemetry, by the seed's popularity score
 * ({@link PopularityScore}: views per hour, trending boost; age and regional engagement neutral here, as steering
 * does not know the title's age).
 *
 * <p>Views per hour are estimated from viewer-time: edges report the viewers they saw per content and window, so the
 * mean concurrent viewers over the last hour times {@code 3600 / meanViewSeconds} approximates the sessions that ran
 * in that hour (a mean concurrent audience of 100 with 10-minute sessions is about 600 views an hour). Edge telemetry
 * has no session-start counter yet; when it gets one this is the one place to change. Thread-safe.
 */
public final class ViewRate
{
    /** Default mean view (session) length used to turn viewer-time into views. */
    public static final long DEFAULT_MEAN_VIEW_SECONDS = 600;

    private final TelemetryAggregator telemetry;
    private final PopularityScore score;
    private final double viewsPerViewerHour;
    private final long meanViewSeconds;

    /**
     * @param telemetry       the aggregated telemetry.
     * @param score           thresholds and formula.
     * @param meanViewSeconds mean session length (positive).
     */
    public ViewRate(final TelemetryAggregator telemetry, final PopularityScore score, final long meanViewSeconds)
    {
        if (meanViewSeconds <= 0)
        {
            throw new IllegalArgumentException("control.mean-view-seconds must be positive, got " + meanViewSeconds);
        }
        this.telemetry = telemetry;
        this.score = score;
        this.viewsPerViewerHour = 3600.0 / meanViewSeconds;
        this.meanViewSeconds = meanViewSeconds;
    }

    /**
     * @param contentId   the content.
     * @param region      a region, or null for every region.
     * @param minutesBack whole minutes before the current one where the span ends.
     * @param minutes     the span's length in minutes.
     * @param nowMs       the control plane's clock.
     * @return estimated views over the span.
     */
    public double viewsOverMinutes(
        final String contentId, final String region, final int minutesBack, final int minutes, final long nowMs)
    {
        return telemetry.meanViewersOverMinutes(contentId, region, minutesBack, minutes, nowMs) * minutes * 60.0 /
            meanViewSeconds;
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param nowMs     the control plane's clock.
     * @return estimated views over the last hour.
     */
    public double viewsLastHour(final String contentId, final String region, final long nowMs)
    {
        return telemetry.meanViewers(contentId, region, TelemetryWindow.HOUR, nowMs) * viewsPerViewerHour;
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param nowMs     the control plane's clock.
     * @return estimated views in the previous clock hour.
     */
    public double viewsPreviousHour(final String contentId, final String region, final long nowMs)
    {
        return telemetry.meanViewersInHour(contentId, region, 1, nowMs) * viewsPerViewerHour;
    }

    /**
     * @param contentId the content.
     * @param region    a region, or null for every region.
     * @param nowMs     the control plane's clock.
     * @return the content's temperature there now.
     */
    public Temperature temperature(final String contentId, final String region, final long nowMs)
    {
        final double views = viewsLastHour(contentId, region, nowMs);
        final double growth = PopularityScore.growth(views, viewsPreviousHour(contentId, region, nowMs));
        return score.temperature(score.score(views, 0, 0.5, growth));
    }
}
