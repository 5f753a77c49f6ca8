package io.bifrost.launcher;

import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.function.Supplier;

/**
 * What the process gives every role besides its configuration: the one metrics registry, its Prometheus text (for
 * {@code /metrics} on role ports), the Netty transport chosen once for the process, which roles share the process
 * (so {@code bifrost all} wires roles over Aeron IPC instead of UDP) and the services earlier roles offer later ones.
 *
 * @param registry       process meter registry.
 * @param metricsText    Prometheus exposition of {@code registry}.
 * @param transport      Netty transport for every server and client.
 * @param rolesInProcess command names of every role this process runs ({@code edge}, {@code origin}, ...).
 * @param services       in-process services offered by roles started earlier.
 */
public record RoleEnvironment(MeterRegistry registry, Supplier<String> metricsText, NettyTransport transport,
    Set<String> rolesInProcess, ProcessServices services)
{
    /**
     * @param role a command name.
     * @return true when that role runs in this process too.
     */
    public boolean runsInProcess(final Role role)
    {
        return rolesInProcess.contains(role.commandName());
    }
}
