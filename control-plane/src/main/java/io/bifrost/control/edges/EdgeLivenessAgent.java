package io.bifrost.control.edges;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

/**
 * Marks edges down when their heartbeats stop: every {@code checkIntervalMs} of the given clock it runs
 * {@link EdgeRegistry#expire}. Tests drive the clock (an Agrona {@code CachedEpochClock}) and call {@link #doWork()}.
 * Confined to its agent thread.
 */
public final class EdgeLivenessAgent implements Agent
{
    private final EdgeRegistry registry;
    private final EpochClock clock;
    private final long checkIntervalMs;
    private long nextCheckMs = Long.MIN_VALUE;

    /**
     * @param registry        the registry.
     * @param clock           the control plane's clock.
     * @param checkIntervalMs how often to check, e.g. a tenth of the heartbeat timeout.
     */
    public EdgeLivenessAgent(final EdgeRegistry registry, final EpochClock clock, final long checkIntervalMs)
    {
        this.registry = registry;
        this.clock = clock;
        this.checkIntervalMs = Math.max(1, checkIntervalMs);
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if (nowMs < nextCheckMs)
        {
            return 0;
        }
        nextCheckMs = nowMs + checkIntervalMs;
        return registry.expire(nowMs);
    }

    @Override
    public String roleName()
    {
        return "control-edge-liveness";
    }
}
