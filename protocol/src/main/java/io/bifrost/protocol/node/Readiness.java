package io.bifrost.protocol.node;

import java.util.Objects;

/**
 * Whether a role can take traffic, and why not when it cannot.
 *
 * @param ready  true when the role accepts traffic.
 * @param detail a short human-readable explanation, e.g. "origin http://o1:8081 unreachable"; never null.
 */
public record Readiness(boolean ready, String detail)
{
    private static final Readiness UP = new Readiness(true, "ready");

    public Readiness
    {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @return the shared ready value.
     */
    public static Readiness up()
    {
        return UP;
    }

    /**
     * @param reason why the role cannot take traffic, phrased so an operator knows what to do.
     * @return a not-ready value.
     */
    public static Readiness notReady(final String reason)
    {
        return new Readiness(false, reason);
    }
}
