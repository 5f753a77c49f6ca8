package io.bifrost.launcher.ops;

import java.util.List;

/**
 * What {@code /readyz} reports: the process is ready when it runs at least one role and every role it runs is ready.
 *
 * @param ready true when the process can take traffic.
 * @param roles the state of each role the command asked for.
 */
public record ProcessReadiness(boolean ready, List<RoleStatus> roles)
{
    /**
     * One role's state.
     *
     * @param role   role name.
     * @param state  running, not_built, failed or stopping.
     * @param ready  whether it takes traffic.
     * @param detail why not, or "ready".
     */
    public record RoleStatus(String role, String state, boolean ready, String detail)
    {
    }
}
