package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.protocol.node.RunningRole;

/**
 * Something the {@link RoleSupervisor} can start: a role name and how to launch it from the configuration.
 */
interface RoleLauncher
{
    /**
     * @return the role name on the command line.
     */
    String commandName();

    /**
     * Build the role's context from the configuration and launch it.
     *
     * @param config      effective configuration.
     * @param environment the process's registry, metrics text and transport.
     * @return the running role.
     */
    RunningRole launch(Config config, RoleEnvironment environment);
}
