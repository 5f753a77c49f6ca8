package io.bifrost.control.edges;

/**
 * What the registry knows about one edge at one moment. Immutable; the registry replaces it on every change.
 *
 * @param edgeId              the edge's id.
 * @param region              its region.
 * @param baseUrl             where viewers reach it.
 * @param status              up, draining, degraded (as reported) or down (heartbeats stopped).
 * @param firstSeenMs         when the control plane first heard from it (control-plane clock).
 * @param lastHeartbeatMs     when its latest heartbeat arrived (control-plane clock).
 * @param startTimeMs         when the edge process started (edge clock).
 * @param restarts            times a new startTimeMs was seen.
 * @param lostHeartbeats      heartbeats missing from the sequence (loss on the wire), since it started.
 * @param lastSequence        the latest heartbeat's sequence.
 * @param ramCapacityBytes    RAM tier capacity.
 * @param ramUsedBytes        RAM tier use.
 * @param ssdCapacityBytes    SSD tier capacity (0: none).
 * @param ssdUsedBytes        SSD tier use.
 * @param egressBitsPerSecond bits sent to viewers over the last second.
 * @param activeConnections   open viewer connections.
 * @param cpuLoadPermille     process CPU use, 0-1000.
 * @param downSinceMs         when it was marked down; -1 while it heartbeats.
 */
public record EdgeSnapshot(
    String edgeId,
    String region,
    String baseUrl,
    EdgeStatus status,
    long firstSeenMs,
    long lastHeartbeatMs,
    long startTimeMs,
    long restarts,
    long lostHeartbeats,
    long lastSequence,
    long ramCapacityBytes,
    long ramUsedBytes,
    long ssdCapacityBytes,
    long ssdUsedBytes,
    long egressBitsPerSecond,
    int activeConnections,
    int cpuLoadPermille,
    long downSinceMs)
{
    /**
     * @return true when viewers may be steered here at all (up or degraded).
     */
    public boolean servesViewers()
    {
        return status == EdgeStatus.UP || status == EdgeStatus.DEGRADED;
    }

    /**
     * @return RAM use / capacity, 0 when the capacity is unknown.
     */
    public double ramUse()
    {
        return ramCapacityBytes <= 0 ? 0.0 : (double)ramUsedBytes / ramCapacityBytes;
    }

    /**
     * @param egressCapacityBitsPerSecond what one edge can send.
     * @return the larger of CPU use and egress / capacity, 0-1 (above 1 when past capacity).
     */
    public double load(final long egressCapacityBitsPerSecond)
    {
        final double cpu = cpuLoadPermille / 1000.0;
        final double egress = egressCapacityBitsPerSecond <= 0 ? 0.0 : (double)egressBitsPerSecond / egressCapacityBitsPerSecond;
        return Math.max(cpu, egress);
    }

    EdgeSnapshot down(final long nowMs)
    {
        return new EdgeSnapshot(edgeId, region, baseUrl, EdgeStatus.DOWN, firstSeenMs, lastHeartbeatMs, startTimeMs,
            restarts, lostHeartbeats, lastSequence, ramCapacityBytes, ramUsedBytes, ssdCapacityBytes, ssdUsedBytes, 0, 0, 0,
            nowMs);
    }
}
