package io.bifrost.control.edges;

import io.bifrost.protocol.sbe.EdgeHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edges the control plane knows, and whether each is alive. An edge registers with its first heartbeat; when no
 * heartbeat arrives for {@code heartbeatTimeoutMs} (control-plane clock), {@link #expire} marks it {@link
 * EdgeStatus#DOWN}; its next heartbeat brings it back. A heartbeat with a new {@code startTimeMs} means the edge
 * restarted (its RAM tier may be cold): counted and logged. Down edges are forgotten after {@link #FORGET_AFTER_MS}.
 *
 * <p>Thread-safe: one writer at a time (the Aeron agent, under this object's lock), lock-free readers (the API and
 * steering read immutable {@link EdgeSnapshot}s from a concurrent map).
 */
public final class EdgeRegistry
{
    /** A down edge is dropped from the registry after this long without a heartbeat. */
    public static final long FORGET_AFTER_MS = 24L * 3600 * 1000;
    /** Most edges registered at once; heartbeats from more are refused and counted. */
    public static final int MAX_EDGES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(EdgeRegistry.class);

    private final long heartbeatTimeoutMs;
    private final Map<String, EdgeSnapshot> edges = new ConcurrentHashMap<>();
    private final Counter registered;
    private final Counter wentDown;
    private final Counter cameBack;
    private final Counter restarts;
    private final Counter refused;

    /**
     * @param heartbeatTimeoutMs how long without a heartbeat before an edge is down (positive).
     * @param registry           where the registry's meters go.
     */
    public EdgeRegistry(final long heartbeatTimeoutMs, final MeterRegistry registry)
    {
        if (heartbeatTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("control.heartbeat-timeout must be positive, got " + heartbeatTimeoutMs + " ms");
        }
        this.heartbeatTimeoutMs = heartbeatTimeoutMs;
        registered = Counter.builder("bifrost.control.edges.registered").description("edges seen for the first time")
            .register(registry);
        wentDown = Counter.builder("bifrost.control.edges.down").description("edges marked down after missed heartbeats")
            .register(registry);
        cameBack = Counter.builder("bifrost.control.edges.recovered").description("down edges that heartbeat again")
            .register(registry);
        restarts = Counter.builder("bifrost.control.edges.restarts").description("edges seen with a new start time")
            .register(registry);
        refused = Counter.builder("bifrost.control.edges.refused")
            .description("heartbeats refused: invalid fields or too many edges").register(registry);
        Gauge.builder("bifrost.control.edges.up", this, r -> r.count(EdgeStatus.UP)).description("edges up")
            .register(registry);
    }

    /**
     * @return the heartbeat timeout in milliseconds.
     */
    public long heartbeatTimeoutMs()
    {
        return heartbeatTimeoutMs;
    }

    /**
     * Record a heartbeat.
     *
     * @param heartbeat the decoded heartbeat.
     * @param nowMs     the control plane's clock.
     * @return the edge's new snapshot, or null when the heartbeat was refused (blank id or region, too many edges).
     */
    public synchronized EdgeSnapshot onHeartbeat(final Heartbeat heartbeat, final long nowMs)
    {
        if (heartbeat.edgeId() == null || heartbeat.edgeId().isBlank() || heartbeat.region() == null ||
            heartbeat.region().isBlank())
        {
            refused.increment();
            return null;
        }
        final EdgeSnapshot previous = edges.get(heartbeat.edgeId());
        if (previous == null && edges.size() >= MAX_EDGES)
        {
            refused.increment();
            return null;
        }
        long restartCount = 0;
        long lost = 0;
        long firstSeen = nowMs;
        if (previous == null)
        {
            registered.increment();
            LOG.info("edge {} registered: region {}, {}", heartbeat.edgeId(), heartbeat.region(), heartbeat.baseUrl());
        }
        else
        {
            firstSeen = previous.firstSeenMs();
            restartCount = previous.restarts();
            lost = previous.lostHeartbeats();
            if (previous.startTimeMs() != heartbeat.startTimeMs())
            {
                restartCount++;
                lost = 0;
                restarts.increment();
                LOG.info("edge {} restarted (start time {} -> {})", heartbeat.edgeId(), previous.startTimeMs(),
                    heartbeat.startTimeMs());
            }
            else if (heartbeat.sequence() > previous.lastSequence() + 1)
            {
                lost += heartbeat.sequence() - previous.lastSequence() - 1;
            }
            if (previous.status() == EdgeStatus.DOWN)
            {
                cameBack.increment();
                LOG.info("edge {} is back after {} ms down", heartbeat.edgeId(), nowMs - previous.downSinceMs());
            }
        }
        final EdgeSnapshot snapshot = new EdgeSnapshot(heartbeat.edgeId(), heartbeat.region(), heartbeat.baseUrl(),
            status(heartbeat.health()), firstSeen, nowMs, heartbeat.startTimeMs(), restartCount, lost,
            heartbeat.sequence(), Math.max(0, heartbeat.ramCapacityBytes()), Math.max(0, heartbeat.ramUsedBytes()),
            Math.max(0, heartbeat.ssdCapacityBytes()), Math.max(0, heartbeat.ssdUsedBytes()),
            Math.max(0, heartbeat.egressBitsPerSecond()), Math.max(0, heartbeat.activeConnections()),
            Math.min(1000, Math.max(0, heartbeat.cpuLoadPermille())), -1);
        edges.put(snapshot.edgeId(), snapshot);
        return snapshot;
    }

    /**
     * Mark down every edge whose last heartbeat is older than the timeout, and forget long-dead ones.
     *
     * @param nowMs the control plane's clock.
     * @return edges marked down by this call.
     */
    public synchronized int expire(final long nowMs)
    {
        int down = 0;
        for (final EdgeSnapshot edge : edges.values())
        {
            final long silentMs = nowMs - edge.lastHeartbeatMs();
            if (edge.status() != EdgeStatus.DOWN && silentMs > heartbeatTimeoutMs)
            {
                edges.put(edge.edgeId(), edge.down(nowMs));
                wentDown.increment();
                down++;
                LOG.warn("edge {} ({}) is down: no heartbeat for {} ms", edge.edgeId(), edge.region(), silentMs);
            }
            else if (edge.status() == EdgeStatus.DOWN && silentMs > FORGET_AFTER_MS)
            {
                edges.remove(edge.edgeId());
            }
        }
        return down;
    }

    /**
     * @param edgeId an edge id.
     * @return its snapshot, or null when unknown.
     */
    public EdgeSnapshot edge(final String edgeId)
    {
        return edgeId == null ? null : edges.get(edgeId);
    }

    /**
     * @return every known edge, by region then id.
     */
    public List<EdgeSnapshot> edges()
    {
        final List<EdgeSnapshot> all = new ArrayList<>(edges.values());
        all.sort(Comparator.comparing(EdgeSnapshot::region).thenComparing(EdgeSnapshot::edgeId));
        return all;
    }

    /**
     * @param status a status.
     * @return how many edges have it.
     */
    public int count(final EdgeStatus status)
    {
        int count = 0;
        for (final EdgeSnapshot edge : edges.values())
        {
            if (edge.status() == status)
            {
                count++;
            }
        }
        return count;
    }

    private static EdgeStatus status(final EdgeHealth health)
    {
        if (health == null)
        {
            return EdgeStatus.DEGRADED;
        }
        return switch (health)
        {
            case UP -> EdgeStatus.UP;
            case DRAINING -> EdgeStatus.DRAINING;
            case DEGRADED, NULL_VAL -> EdgeStatus.DEGRADED;
        };
    }
}
