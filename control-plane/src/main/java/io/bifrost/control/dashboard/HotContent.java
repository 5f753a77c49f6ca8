package io.bifrost.control.dashboard;

/**
 * One content of the dashboard's hot list (snake_case on the wire).
 *
 * @param contentId        live/{id} or vod/{id}.
 * @param score            the seed's popularity score over every region (views per hour x trending boost; age and
 *                         regional engagement neutral, as for steering).
 * @param temperature      hot, warm or cold by the score's thresholds.
 * @param viewsPerHour     estimated views over the last hour.
 * @param growth           views last hour / the hour before (smoothed).
 * @param viewersNow       viewers in the edges' latest telemetry.
 * @param requestsLastHour requests answered over the last hour (an upper-bound estimate when {@code estimated}).
 * @param hitRatio         edge cache hit ratio over the last hour.
 * @param estimated        true when the content is in telemetry's long tail (only requests are known).
 */
public record HotContent(
    String contentId,
    double score,
    String temperature,
    double viewsPerHour,
    double growth,
    long viewersNow,
    long requestsLastHour,
    double hitRatio,
    boolean estimated)
{
}
