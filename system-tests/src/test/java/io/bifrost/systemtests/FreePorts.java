package io.bifrost.systemtests;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers system tests start in other processes. Thread-safe.
 */
public final class FreePorts
{
    /** Ports this JVM has handed out: a test that asks for several gets different ones. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** Lowest port picked from; the highest is the kernel's first ephemeral port. */
    private static final int LOWEST_PICKED = 20_000;

    /**
     * A port for a server a test starts in another process (which cannot be told port 0 and report it back).
     * Picked at random below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), so no outgoing
     * connection or {@code bind(0)} of any process can take it before the server binds, and never the same twice in
     * this JVM (two {@code bind(0)} probes in a row can get the same port back: CI once gave the origin and the RTMP
     * listener one port). Free for TCP and UDP on 127.0.0.1 a moment ago.
     *
     * @return the port.
     */
    public static int next() throws IOException
    {
        final int highest = firstEphemeralPort() - 1;
        for (int attempt = 0; attempt < 200 && highest > LOWEST_PICKED; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(LOWEST_PICKED, highest + 1);
            if (bindable(port) && HANDED_OUT.add(port))
            {
                return port;
            }
        }
        for (int attempt = 0; attempt < 200; attempt++)
        {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
            {
                if (HANDED_OUT.add(socket.getLocalPort()))
                {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free port on 127.0.0.1 after 400 attempts");
    }

    private static boolean bindable(final int port)
    {
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress()))
        {
            return tcp.getLocalPort() == port && udp.getLocalPort() == port;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int firstEphemeralPort()
    {
        try
        {
            final String range = procLine(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            return Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 32_768; // Linux's default
        }
    }

    /**
     * @param file a file under /proc.
     * @return its first line, stripped. (Not {@code Files.readString}: /proc files report size 0, and JDK 25 then
     *         returned only the first byte of this one.)
     */
    static String procLine(final Path file) throws IOException
    {
        try (var reader = Files.newBufferedReader(file))
        {
            final String line = reader.readLine();
            return line == null ? "" : line.strip();
        }
    }

    private FreePorts()
    {
    }
}
