package io.bifrost.control.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the control plane believes edges hold because of the commands it sent, since edges do not list their cache
 * contents: a PREFETCH is assumed held for {@code assumeHeldMs} (after that the planner asks again, and an edge that
 * still has it answers from cache without a fill), a PIN until it expires, a RELEASE ends both. An edge that restarts
 * or goes down is forgotten with {@link #forgetEdge(String)}. Confined to the planning thread.
 */
public final class PlacementLedger
{
    private final Map<String, Holding> holdings = new HashMap<>();
    private final long assumeHeldMs;

    /**
     * @param assumeHeldMs how long a prefetched range is assumed to stay on its edge, millis; positive.
     */
    public PlacementLedger(final long assumeHeldMs)
    {
        if (assumeHeldMs <= 0)
        {
            throw new IllegalArgumentException("assumeHeldMs must be positive, got " + assumeHeldMs);
        }
        this.assumeHeldMs = assumeHeldMs;
    }

    /**
     * Record commands as sent.
     *
     * @param decisions the commands of a round.
     * @param nowMs     when they were sent.
     */
    public void apply(final Collection<PlacementDecision> decisions, final long nowMs)
    {
        for (final PlacementDecision d : decisions)
        {
            final String key = PlacementPlanner.key(d.targetEdgeId(), d.contentId());
            final Holding old = live(holdings.get(key), nowMs);
            switch (d.action())
            {
                case PREFETCH ->
                {
                    final boolean pinned = old != null && old.pinned();
                    final long expires = pinned ? old.expiresAtMs() : nowMs + assumeHeldMs;
                    holdings.put(key, union(old, d, pinned, expires));
                }
                case PIN -> holdings.put(key, union(old, d, true, d.expiresAtMs()));
                case RELEASE -> holdings.remove(key);
                default ->
                {
                }
            }
        }
    }

    /**
     * @param nowMs the current time; expired holdings are dropped.
     * @return what edges are believed to hold now.
     */
    public List<Holding> holdings(final long nowMs)
    {
        final List<Holding> result = new ArrayList<>(holdings.size());
        final Iterator<Holding> it = holdings.values().iterator();
        while (it.hasNext())
        {
            final Holding holding = it.next();
            if (live(holding, nowMs) == null)
            {
                it.remove();
            }
            else
            {
                result.add(holding);
            }
        }
        return result;
    }

    /**
     * @param edgeId an edge that restarted (cold cache) or went down.
     */
    public void forgetEdge(final String edgeId)
    {
        holdings.values().removeIf(h -> h.edgeId().equals(edgeId));
    }

    private static Holding live(final Holding holding, final long nowMs)
    {
        return holding == null || (holding.expiresAtMs() != 0 && holding.expiresAtMs() <= nowMs) ? null : holding;
    }

    private static Holding union(final Holding old, final PlacementDecision d, final boolean pinned, final long expires)
    {
        long from = d.fromMsn();
        long to = d.toMsn();
        if (old != null)
        {
            final long lower = Math.min(Holding.lower(old.fromMsn()), Holding.lower(from));
            final long upper = Math.max(Holding.upper(old.toMsn()), Holding.upper(to));
            from = lower == Long.MIN_VALUE ? -1 : lower;
            to = upper == Long.MAX_VALUE ? -1 : upper;
        }
        return new Holding(d.targetEdgeId(), d.contentId(), from, to, pinned, expires);
    }
}
