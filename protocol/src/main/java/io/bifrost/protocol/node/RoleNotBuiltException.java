package io.bifrost.protocol.node;

/**
 * Thrown by a role's {@code launch} while the issue that builds that role has not landed yet.
 *
 * <p>This is a deliberate, honest failure: the command line accepts the role and its configuration, but there is no
 * implementation to run. The message names the issue so an operator knows it is not a configuration problem.
 */
public final class RoleNotBuiltException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String roleName;

    /**
     * @param roleName the role, as named on the command line.
     * @param what     what the role will do once built, e.g. "RTMP/SRT ingest".
     * @param issue    the issue number that builds it.
     */
    public RoleNotBuiltException(final String roleName, final String what, final int issue)
    {
        super("the '" + roleName + "' role (" + what + ") is not built yet: it lands with issue #" + issue +
            "; nothing was started for it");
        this.roleName = roleName;
    }

    /**
     * @return the role that is not built.
     */
    public String roleName()
    {
        return roleName;
    }
}
