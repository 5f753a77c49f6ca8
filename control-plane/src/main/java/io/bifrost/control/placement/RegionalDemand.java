package io.bifrost.control.placement;

import java.util.Objects;

/**
 * What viewers of one content did in one region, as the control plane aggregates it from edge telemetry: the input of
 * a {@link PlacementPolicy}.
 *
 * @param contentId         {@code live/{streamId}} or {@code vod/{videoId}}.
 * @param region            the region, e.g. {@code eu-west}.
 * @param live              true for a live stream (its window moves), false for VOD.
 * @param ageHours          hours since publication (VOD) or since the stream went live.
 * @param viewsLastHour     views (sessions started) in the region over the last hour.
 * @param viewsPreviousHour views in the hour before that.
 * @param viewsRecent       views over the short window (the planner's {@code recentWindowMinutes}, e.g. 5 min).
 * @param viewsRecentBefore views over the short window before that one.
 * @param activeViewers     viewers watching now (distinct sessions in the last telemetry window).
 * @param firstMsn          first segment of the content (VOD: 0; live: first msn of the window).
 * @param lastMsn           last segment (VOD: the title's last; live: newest complete segment); -1 when unknown.
 * @param furthestMsn       furthest segment viewers in the region fetched in the last minute; -1 when unknown.
 * @param segmentBytes      average bytes of one segment (all renditions the edges hold), 0 or more.
 */
public record RegionalDemand(
    String contentId,
    String region,
    boolean live,
    double ageHours,
    double viewsLastHour,
    double viewsPreviousHour,
    double viewsRecent,
    double viewsRecentBefore,
    int activeViewers,
    long firstMsn,
    long lastMsn,
    long furthestMsn,
    long segmentBytes)
{
    /**
     * @throws IllegalArgumentException on a negative size or an inverted segment range.
     */
    public RegionalDemand
    {
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(region, "region");
        if (segmentBytes < 0)
        {
            throw new IllegalArgumentException("segmentBytes must be 0 or more, got " + segmentBytes);
        }
        if (lastMsn >= 0 && (firstMsn < 0 || lastMsn < firstMsn))
        {
            throw new IllegalArgumentException("segment range " + firstMsn + ".." + lastMsn + " of " + contentId);
        }
    }

    /**
     * @return how many segments the content has now; 0 when unknown.
     */
    public long segmentCount()
    {
        return lastMsn >= 0 ? lastMsn - firstMsn + 1 : 0;
    }
}
