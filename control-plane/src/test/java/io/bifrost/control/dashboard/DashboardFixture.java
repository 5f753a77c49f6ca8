package io.bifrost.control.dashboard;

import io.bifrost.control.ControlPlane;
import io.bifrost.control.MutableClock;
import io.bifrost.control.edges.TestEdgeSender;
import io.bifrost.control.playback.HttpJson;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The dashboard API tests' shared setup, as a JUnit extension: one real control plane per test class (its own data
 * directory in a fresh temporary directory, so one class's traffic numbers are never mixed with another's) on an
 * ephemeral port, with an admin token, a {@link MutableClock} starting at {@link #T0}, and Aeron enabled in an
 * embedded media driver; a {@link TestEdgeSender} plays edges sending heartbeats and telemetry over Aeron IPC, and an
 * {@link HttpJson} client calls the API. Everything is closed after the class in reverse order of creation.
 * <p>
 * Register it with {@code @RegisterExtension static final DashboardFixture dashboard = new DashboardFixture();}.
 */
final class DashboardFixture implements BeforeAllCallback, AfterAllCallback
{
    /** The control plane's clock at start, in epoch milliseconds. */
    static final long T0 = 1_767_225_600_000L;
    /** The operator's token the data endpoints need. */
    static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

    private final MutableClock clock = new MutableClock(T0);
    private Path dataDir;
    private ControlPlane.Running control;
    private EmbeddedAeron aeron;
    private TestEdgeSender edges;
    private HttpJson api;

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException
    {
        dataDir = Files.createTempDirectory("bifrost-dashboard");
        final Path aeronDir = dataDir.resolve("aeron");
        control = ControlPlane.launch(new ControlPlane.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(dataDir.resolve("db")).meterRegistry(new SimpleMeterRegistry()).clock(clock).adminToken(ADMIN_TOKEN)
            .aeronEnabled(true).aeronDirectory(aeronDir).edgeEndpoint("").placementEndpoint("")
            .heartbeatTimeout(Duration.ofSeconds(30)));
        aeron = EmbeddedAeron.acquire(aeronDir, false);
        edges = new TestEdgeSender(aeron.aeron(), AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL);
        api = new HttpJson(control.port());
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException
    {
        api.close();
        edges.close();
        control.close();
        aeron.close();
        try (Stream<Path> files = Files.walk(dataDir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /** @return the control plane's clock, which only the test advances. */
    MutableClock clock()
    {
        return clock;
    }

    /** @return the edges' side of the control plane's Aeron IPC channel. */
    TestEdgeSender edges()
    {
        return edges;
    }

    /** @return a client of the control plane's HTTP API. */
    HttpJson api()
    {
        return api;
    }

    /**
     * @param path an API path with an optional query.
     * @return the answer to a GET with the admin token.
     * @throws Exception when the request cannot be made.
     */
    HttpJson.Answer operator(final String path) throws Exception
    {
        return api.send("GET", path, null, ADMIN_TOKEN);
    }
}
