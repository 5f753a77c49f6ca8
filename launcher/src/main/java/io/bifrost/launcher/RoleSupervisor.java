package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.ops.ProcessReadiness;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the roles a command asked for, tracks their state for {@code /readyz} and metrics, and stops them in
 * reverse order. A role that is not built yet or fails to start is recorded, not fatal: the caller decides
 * (a single-role command exits; {@code bifrost all} keeps the roles that did start).
 *
 * <p>State changes happen on the starting thread and the stopping thread; readers ({@link #readiness()}) may be on
 * any thread, so the per-role state is volatile.
 */
final class RoleSupervisor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RoleSupervisor.class);

    /** Lifecycle of one role slot. */
    enum State
    {
        PENDING, RUNNING, NOT_BUILT, FAILED, STOPPING, STOPPED
    }

    /** One role slot. */
    static final class Slot
    {
        private final RoleLauncher role;
        private volatile State state = State.PENDING;
        private volatile String detail = "not started";
        private volatile RunningRole running;

        Slot(final RoleLauncher role)
        {
            this.role = role;
        }

        RoleLauncher role()
        {
            return role;
        }

        State state()
        {
            return state;
        }

        String detail()
        {
            return detail;
        }
    }

    /** Time a role gets beyond its drain timeout to release resources before the stop moves on. */
    private static final long STOP_GRACE_MS = 5_000;

    private final List<Slot> slots = new ArrayList<>();
    private final Duration drainTimeout;

    RoleSupervisor(final List<? extends RoleLauncher> roles, final Duration drainTimeout, final MeterRegistry registry)
    {
        this.drainTimeout = drainTimeout;
        for (final RoleLauncher role : roles)
        {
            final Slot slot = new Slot(role);
            slots.add(slot);
            Gauge.builder("bifrost.role.running", slot, s -> s.state == State.RUNNING ? 1 : 0)
                .description("1 while the role runs in this process")
                .tag("role", role.commandName())
                .register(registry);
            Gauge.builder("bifrost.role.ready", slot, s -> s.state == State.RUNNING && isReady(s) ? 1 : 0)
                .description("1 while the role takes traffic")
                .tag("role", role.commandName())
                .register(registry);
        }
    }

    /**
     * Launch every role in order; failures are recorded per role.
     *
     * @param config      effective configuration.
     * @param environment what the process gives every role.
     */
    void startAll(final Config config, final RoleEnvironment environment)
    {
        for (final Slot slot : slots)
        {
            try
            {
                slot.running = slot.role.launch(config, environment);
                slot.detail = "started";
                slot.state = State.RUNNING;
                LOG.info("role {} started ({})", slot.role.commandName(), slot.running);
            }
            catch (final RoleNotBuiltException ex)
            {
                slot.detail = ex.getMessage();
                slot.state = State.NOT_BUILT;
                LOG.warn("{}", ex.getMessage());
            }
            catch (final RuntimeException ex)
            {
                slot.detail = "failed to start: " + ex.getMessage();
                slot.state = State.FAILED;
                LOG.error("role {} failed to start: {}", slot.role.commandName(), ex.getMessage(), ex);
            }
        }
    }

    /**
     * @return the role slots in start order.
     */
    List<Slot> slots()
    {
        return List.copyOf(slots);
    }

    /**
     * @param state a state.
     * @return the roles in that state, in start order.
     */
    List<RoleLauncher> rolesIn(final State state)
    {
        return slots.stream().filter(s -> s.state == state).map(Slot::role).toList();
    }

    /**
     * @return the report {@code /readyz} serves.
     */
    ProcessReadiness readiness()
    {
        final List<ProcessReadiness.RoleStatus> statuses = new ArrayList<>(slots.size());
        boolean allReady = true;
        boolean anyRunning = false;
        for (final Slot slot : slots)
        {
            final State state = slot.state;
            final RunningRole running = slot.running;
            final Readiness readiness = state == State.RUNNING && running != null ?
                running.readiness() : Readiness.notReady(slot.detail);
            anyRunning |= state == State.RUNNING;
            allReady &= readiness.ready();
            statuses.add(new ProcessReadiness.RoleStatus(
                slot.role.commandName(), state.name().toLowerCase(java.util.Locale.ROOT), readiness.ready(),
                readiness.detail()));
        }
        return new ProcessReadiness(anyRunning && allReady, statuses);
    }

    private static boolean isReady(final Slot slot)
    {
        final RunningRole running = slot.running;
        return running != null && running.readiness().ready();
    }

    /**
     * Stop running roles in reverse start order, giving each the drain timeout (plus {@link #STOP_GRACE_MS} to
     * release resources) before moving on; a role that hangs is left behind on a daemon thread.
     */
    @Override
    public void close()
    {
        for (int i = slots.size() - 1; i >= 0; i--)
        {
            final Slot slot = slots.get(i);
            if (slot.state != State.RUNNING)
            {
                continue;
            }
            slot.state = State.STOPPING;
            slot.detail = "draining";
            final Thread stopper = new Thread(() -> stop(slot), "bifrost-stop-" + slot.role.commandName());
            stopper.setDaemon(true);
            stopper.start();
            try
            {
                stopper.join(drainTimeout.toMillis() + STOP_GRACE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            if (stopper.isAlive())
            {
                slot.detail = "did not stop within the drain timeout";
                LOG.error("role {} did not stop within {} ms; moving on", slot.role.commandName(),
                    drainTimeout.toMillis() + STOP_GRACE_MS);
            }
            slot.state = State.STOPPED;
        }
    }

    private static void stop(final Slot slot)
    {
        try
        {
            slot.running.close();
            slot.detail = "stopped";
            LOG.info("role {} stopped", slot.role.commandName());
        }
        catch (final RuntimeException ex)
        {
            slot.detail = "failed while stopping: " + ex;
            LOG.error("role {} failed while stopping", slot.role.commandName(), ex);
        }
    }
}
