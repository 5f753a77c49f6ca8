package io.bifrost.control.telemetry;

/**
 * Viewers' experience over one minute ({@link TelemetryAggregator#experiencePerMinute}).
 *
 * @param atMs       the minute's start, epoch milliseconds.
 * @param experience what the edges and the reference player reported in it.
 */
public record ExperienceMinute(long atMs, ExperienceStats experience)
{
}
