package io.bifrost.launcher;

import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RunningRole;
import org.agrona.CloseHelper;

/**
 * A running role plus what the launcher built around it (e.g. the origin's live ingest feeding its packager): the
 * role answers for name and readiness; a stop closes the parts first, in reverse order, then the role.
 */
final class RoleWithParts implements RunningRole
{
    private final RunningRole role;
    private final AutoCloseable[] parts;

    RoleWithParts(final RunningRole role, final AutoCloseable... parts)
    {
        this.role = role;
        this.parts = parts.clone();
    }

    @Override
    public String roleName()
    {
        return role.roleName();
    }

    @Override
    public Readiness readiness()
    {
        return role.readiness();
    }

    @Override
    public void close()
    {
        for (int i = parts.length - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(parts[i]);
        }
        role.close();
    }
}
