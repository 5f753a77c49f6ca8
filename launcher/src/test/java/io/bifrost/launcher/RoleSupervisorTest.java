package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.ops.ProcessReadiness;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RoleSupervisorTest
{
    private final Config config = Config.load(Map.of(), Map.of());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> events = new ArrayList<>();
    private final RoleEnvironment environment = new RoleEnvironment(registry, () -> "", io.bifrost.protocol.node.NettyTransport.NIO,
        java.util.Set.of(), new ProcessServices());

    @Test
    void shouldBeReadyOnlyWhenEveryRequestedRoleRunsAndIsReady()
    {
        final AtomicReference<Readiness> edgeReadiness = new AtomicReference<>(Readiness.notReady("warming cache"));
        final RoleSupervisor supervisor = new RoleSupervisor(
            List.of(role("origin", () -> Readiness.up()), role("edge", edgeReadiness::get)), Duration.ofSeconds(1), registry);

        supervisor.startAll(config, environment);
        final ProcessReadiness warming = supervisor.readiness();
        edgeReadiness.set(Readiness.up());
        final ProcessReadiness ready = supervisor.readiness();

        assertThat(warming.ready()).isFalse();
        assertThat(warming.roles()).extracting(ProcessReadiness.RoleStatus::detail).containsExactly("ready", "warming cache");
        assertThat(ready.ready()).isTrue();
        assertThat(registry.get("bifrost.role.ready").tag("role", "edge").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldStopRolesInReverseStartOrder()
    {
        final RoleSupervisor supervisor = new RoleSupervisor(
            List.of(role("control", Readiness::up), role("origin", Readiness::up), role("edge", Readiness::up)),
            Duration.ofSeconds(1), registry);
        supervisor.startAll(config, environment);

        supervisor.close();

        assertThat(events).containsExactly(
            "start control", "start origin", "start edge", "close edge", "close origin", "close control");
        assertThat(supervisor.readiness().ready()).isFalse();
        assertThat(registry.get("bifrost.role.running").tag("role", "edge").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void shouldRecordRolesThatAreNotBuiltOrFailWithoutStoppingTheOthers()
    {
        final RoleSupervisor supervisor = new RoleSupervisor(List.of(
            notBuilt("ingest"),
            failing("origin", new IllegalStateException("port 8081 in use")),
            role("edge", Readiness::up)), Duration.ofSeconds(1), registry);

        supervisor.startAll(config, environment);

        assertThat(supervisor.rolesIn(RoleSupervisor.State.RUNNING)).extracting(RoleLauncher::commandName)
            .containsExactly("edge");
        assertThat(supervisor.readiness().ready()).isFalse();
        assertThat(supervisor.readiness().roles()).extracting(ProcessReadiness.RoleStatus::state)
            .containsExactly("not_built", "failed", "running");
        assertThat(supervisor.readiness().roles().get(0).detail()).contains("not built yet", "issue #5");
        assertThat(supervisor.readiness().roles().get(1).detail()).isEqualTo("failed to start: port 8081 in use");
    }

    @Test
    void shouldMoveOnWhenARoleDoesNotStopWithinTheDrainTimeout()
    {
        final RoleLauncher stuck = new RoleLauncher()
        {
            @Override
            public String commandName()
            {
                return "stuck";
            }

            @Override
            public RunningRole launch(final Config config, final RoleEnvironment environment)
            {
                return new TestRole("stuck", Readiness::up)
                {
                    @Override
                    public void close()
                    {
                        events.add("close stuck");
                        try
                        {
                            Thread.sleep(60_000);
                        }
                        catch (final InterruptedException ex)
                        {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
            }
        };
        final RoleSupervisor supervisor = new RoleSupervisor(
            List.of(role("control", Readiness::up), stuck), Duration.ZERO, registry);
        supervisor.startAll(config, environment);

        supervisor.close();

        assertThat(events).containsExactly("start control", "close stuck", "close control");
        assertThat(supervisor.slots().get(1).detail()).isEqualTo("did not stop within the drain timeout");
    }

    private RoleLauncher role(final String name, final java.util.function.Supplier<Readiness> readiness)
    {
        return new RoleLauncher()
        {
            @Override
            public String commandName()
            {
                return name;
            }

            @Override
            public RunningRole launch(final Config config, final RoleEnvironment environment)
            {
                events.add("start " + name);
                return new TestRole(name, readiness);
            }
        };
    }

    private static RoleLauncher notBuilt(final String name)
    {
        return failing(name, new RoleNotBuiltException(name, "test role", 5));
    }

    private static RoleLauncher failing(final String name, final RuntimeException failure)
    {
        return new RoleLauncher()
        {
            @Override
            public String commandName()
            {
                return name;
            }

            @Override
            public RunningRole launch(final Config config, final RoleEnvironment environment)
            {
                throw failure;
            }
        };
    }

    private class TestRole implements RunningRole
    {
        private final String name;
        private final java.util.function.Supplier<Readiness> readiness;

        TestRole(final String name, final java.util.function.Supplier<Readiness> readiness)
        {
            this.name = name;
            this.readiness = readiness;
        }

        @Override
        public String roleName()
        {
            return name;
        }

        @Override
        public Readiness readiness()
        {
            return readiness.get();
        }

        @Override
        public void close()
        {
            events.add("close " + name);
        }
    }
}
