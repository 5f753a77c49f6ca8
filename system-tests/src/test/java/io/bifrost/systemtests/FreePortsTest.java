package io.bifrost.systemtests;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ports handed to servers in other processes are distinct, bindable, and below the kernel's ephemeral range.
 */
class FreePortsTest
{
    @Test
    void shouldHandOutDistinctBindablePortsBelowTheEphemeralRange() throws Exception
    {
        final int firstEphemeral = Integer.parseInt(FreePorts.procLine(
            Path.of("/proc/sys/net/ipv4/ip_local_port_range")).split("\\s+")[0]);
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 100; i++)
        {
            final int port = FreePorts.next();
            assertThat(ports.add(port)).as("port " + port + " handed out twice").isTrue();
            assertThat(port).isBetween(20_000, firstEphemeral - 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
            {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
