package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which fleet keys the origin and the edge sign with: their own key when set, the control plane's only when the
 * control plane runs in the same process ({@code bifrost all}: one process, one fleet), never a stranger's.
 */
class RoleFleetKeysTest
{
    private static final String CONTROL_KEYS = "k1:" + "c".repeat(43);
    private static final String OWN_KEYS = "k2:" + "o".repeat(43);

    @Test
    void shouldFallBackToTheControlPlanesKeysOnlyWhenTheControlPlaneRunsInThisProcess()
    {
        final Config config = Config.load(Map.of(), Map.of("control.fleet-keys", List.of(CONTROL_KEYS)));

        assertThat(Role.originFleetKeys(config, environment("control", "origin", "edge"))).isEqualTo(CONTROL_KEYS);
        assertThat(Role.edgeFleetKeys(config, environment("control", "origin", "edge"))).isEqualTo(CONTROL_KEYS);
        assertThat(Role.originFleetKeys(config, environment("origin"))).isNullOrEmpty();
        assertThat(Role.edgeFleetKeys(config, environment("edge"))).isNullOrEmpty();
    }

    @Test
    void shouldPreferTheRolesOwnKeysOverTheControlPlanes()
    {
        final Config config = Config.load(Map.of(), Map.of(
            "control.fleet-keys", List.of(CONTROL_KEYS),
            "origin.fleet-keys", List.of(OWN_KEYS),
            "edge.fleet-keys", List.of(OWN_KEYS)));

        assertThat(Role.originFleetKeys(config, environment("control", "origin", "edge"))).isEqualTo(OWN_KEYS);
        assertThat(Role.edgeFleetKeys(config, environment("control", "origin", "edge"))).isEqualTo(OWN_KEYS);
    }

    private static RoleEnvironment environment(final String... rolesInProcess)
    {
        return new RoleEnvironment(new SimpleMeterRegistry(), () -> "", NettyTransport.NIO, Set.of(rolesInProcess),
            new ProcessServices());
    }
}
