package io.bifrost.control.edges;

import io.bifrost.protocol.sbe.EdgeHealth;

/**
 * One decoded EdgeHeartbeat (protocol/src/main/sbe/bifrost-messages.xml has the field meanings).
 *
 * @param edgeId              the edge's id.
 * @param region              its region.
 * @param baseUrl             where viewers reach it (no trailing slash).
 * @param timestampMs         when the edge sent it (edge clock).
 * @param sequence            per edge process, +1 per heartbeat.
 * @param startTimeMs         when the edge process started: a change means it restarted.
 * @param ramCapacityBytes    RAM tier capacity.
 * @param ramUsedBytes        RAM tier use.
 * @param ssdCapacityBytes    SSD tier capacity (0: none).
 * @param ssdUsedBytes        SSD tier use.
 * @param egressBitsPerSecond bits sent to viewers over the last second.
 * @param activeConnections   open viewer connections.
 * @param cpuLoadPermille     process CPU use, 0-1000 of all cores.
 * @param health              the edge's own view of its health.
 */
public record Heartbeat(
    String edgeId,
    String region,
    String baseUrl,
    long timestampMs,
    long sequence,
    long startTimeMs,
    long ramCapacityBytes,
    long ramUsedBytes,
    long ssdCapacityBytes,
    long ssdUsedBytes,
    long egressBitsPerSecond,
    int activeConnections,
    int cpuLoadPermille,
    EdgeHealth health)
{
}
