package io.bifrost.protocol.node;

/**
 * A role (edge, origin, ingest, control, transcode) that has been launched in this process.
 *
 * <p>Returned by a role's {@code launch(Context)}. {@link #close()} is the graceful stop: stop accepting new work,
 * finish what is in flight within the role's drain timeout, deregister, then release resources. Implementations
 * must be safe to call {@link #readiness()} from any thread.
 */
public interface RunningRole extends AutoCloseable
{
    /**
     * @return the role's name as used on the command line, e.g. {@code edge}.
     */
    String roleName();

    /**
     * @return whether the role can take traffic now, with a reason an operator can act on when it cannot.
     */
    Readiness readiness();

    /**
     * Graceful stop; idempotent.
     */
    @Override
    void close();
}
