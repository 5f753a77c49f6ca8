package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.config.ConfigKeys;
import io.bifrost.protocol.node.NettyTransport;
import io.bifrost.launcher.ops.NodeMetrics;
import io.bifrost.launcher.ops.OpsHttpServer;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;

/**
 * A serving process: the ops endpoint, the metrics registry and the roles a command asked for, stopped gracefully
 * on SIGTERM/SIGINT (the JVM's shutdown hook drains the roles in reverse start order, then closes the ops endpoint).
 */
final class NodeProcess
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);

    private NodeProcess()
    {
    }

    /**
     * Start the roles and serve until the process is signalled. Returns only when start-up fails.
     *
     * @param command   the command name, for messages ("all", "edge", ...).
     * @param roles     the roles to start, in order.
     * @param config    effective configuration.
     * @param singleRole true when the command runs one role, which must start or the process exits.
     * @param err        where a single role's start-up failure is also reported, for scripts that read stderr.
     * @return the exit status when start-up failed; never returns otherwise.
     */
    static int serve(
        final String command, final List<Role> roles, final Config config, final boolean singleRole, final PrintWriter err)
    {
        LogSetup.apply(config.string(ConfigKeys.LOG_LEVEL), config.string(ConfigKeys.LOG_FORMAT));
        config.warnings().forEach(LOG::warn);
        final String version = BuildInfo.version();
        final NettyTransport transport = NettyTransport.select("auto");
        if (transport != NettyTransport.IO_URING)
        {
            LOG.warn("io_uring unavailable ({}); using {}", NettyTransport.ioUringUnavailabilityReason(), transport.label());
        }

        final NodeMetrics metrics = new NodeMetrics();
        Gauge.builder("bifrost.build.info", () -> 1).description("the running Bifrost version")
            .tag("version", version).tag("java", Runtime.version().toString()).register(metrics.registry());
        Gauge.builder("bifrost.transport.info", () -> 1).description("Netty transport in use")
            .tag("transport", transport.label()).register(metrics.registry());

        final RoleSupervisor supervisor = new RoleSupervisor(
            roles, Duration.ofSeconds(config.integer(ConfigKeys.DRAIN_TIMEOUT_SECONDS)), metrics.registry());
        final OpsHttpServer ops;
        try
        {
            ops = OpsHttpServer.start(config.string(ConfigKeys.BIND), config.integer(ConfigKeys.OPS_PORT), transport,
                metrics, supervisor::readiness);
        }
        catch (final IllegalStateException ex)
        {
            LOG.error("{}", ex.getMessage());
            metrics.close();
            return Bifrost.EXIT_FAILURE;
        }
        LOG.info("bifrost {} ({}) ops endpoint listening on {}:{} ({}): /healthz /readyz /metrics", version, command,
            config.string(ConfigKeys.BIND), ops.port(), transport.label());

        supervisor.startAll(config, new RoleEnvironment(metrics.registry(), metrics::scrape, transport,
            roles.stream().map(Role::commandName).collect(Collectors.toUnmodifiableSet()), new ProcessServices()));
        final List<RoleLauncher> running = supervisor.rolesIn(RoleSupervisor.State.RUNNING);
        if (singleRole && running.isEmpty())
        {
            ops.close();
            metrics.close();
            supervisor.slots().forEach(slot -> err.println("bifrost " + command + ": " + slot.detail()));
            final boolean notBuilt = !supervisor.rolesIn(RoleSupervisor.State.NOT_BUILT).isEmpty();
            return notBuilt ? Bifrost.EXIT_NOT_BUILT : Bifrost.EXIT_FAILURE;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            LOG.info("stop requested: draining {} (timeout {} s per role)", names(running),
                config.integer(ConfigKeys.DRAIN_TIMEOUT_SECONDS));
            supervisor.close();
            ops.close();
            metrics.close();
            LOG.info("bifrost {} stopped", command);
            stopped.countDown();
        }, "bifrost-shutdown"));

        final long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        LOG.info("bifrost {} started in {} ms (JVM start to ready), heap used {} MiB; running: {}; not built yet: {}; failed: {}",
            command, ManagementFactory.getRuntimeMXBean().getUptime(), heapUsed >> 20, names(running),
            names(supervisor.rolesIn(RoleSupervisor.State.NOT_BUILT)),
            names(supervisor.rolesIn(RoleSupervisor.State.FAILED)));
        if (running.isEmpty())
        {
            LOG.warn("no role runs in this process: only the ops endpoint is up, and /readyz answers 503 until a " +
                "role is built (see the messages above)");
        }
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return Bifrost.EXIT_OK;
    }

    private static String names(final List<RoleLauncher> roles)
    {
        return roles.isEmpty() ? "none" : String.join(", ", roles.stream().map(RoleLauncher::commandName).toList());
    }
}
