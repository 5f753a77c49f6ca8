package io.bifrost.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Aeron media driver and client per process, shared by every role in it (DESIGN.md section 3: "one embedded media
 * driver per process by default"). {@code bifrost all} runs control, origin and edge in one JVM: each role
 * {@link #acquire}s the same directory and gets the same driver and {@link Aeron} client; the last {@link #close}
 * stops them. With {@code external = true} no driver is started and the client connects to an operator-run one.
 *
 * <p>The embedded driver runs {@link ThreadingMode#SHARED} (one thread for conductor, sender and receiver) with a
 * backoff idle strategy that parks up to 1 ms when idle, so an idle node costs almost no CPU on small machines; the
 * wake-up latency this adds is bounded by that park time.
 *
 * <p>Thread-safe. Handles are reference counted per directory.
 */
public final class EmbeddedAeron implements AutoCloseable
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Map<String, Shared> SHARED = new HashMap<>();

    private final Shared shared;
    private boolean closed;

    private EmbeddedAeron(final Shared shared)
    {
        this.shared = shared;
    }

    /**
     * @return the default directory of this process's embedded driver: under /dev/shm when it exists (Aeron's own
     *         default place), named with the process id so two Bifrost processes on one host never share it.
     */
    public static Path defaultDirectory()
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = shm.toFile().isDirectory() ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("bifrost-aeron-" + ProcessHandle.current().pid());
    }

    /**
     * @param directory the Aeron directory (driver and client meet there).
     * @param external  true to connect to a media driver that someone else runs in {@code directory}.
     * @return a handle; close it when the role stops.
     * @throws IllegalStateException when the driver cannot start or the client cannot connect (with the reason).
     */
    public static EmbeddedAeron acquire(final Path directory, final boolean external)
    {
        final String key = directory.toAbsolutePath().normalize().toString();
        synchronized (SHARED)
        {
            Shared shared = SHARED.get(key);
            if (shared == null)
            {
                shared = Shared.start(key, external);
                SHARED.put(key, shared);
            }
            shared.references++;
            return new EmbeddedAeron(shared);
        }
    }

    /**
     * @return the shared client; valid until this handle is closed.
     */
    public Aeron aeron()
    {
        return shared.aeron;
    }

    /**
     * @return the directory the driver and client use.
     */
    public String directory()
    {
        return shared.directory;
    }

    @Override
    public void close()
    {
        synchronized (SHARED)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (--shared.references == 0)
            {
                SHARED.remove(shared.directory);
                CloseHelper.closeAll(shared.aeron, shared.driver);
            }
        }
    }

    private static final class Shared
    {
        private final String directory;
        private final MediaDriver driver;
        private final Aeron aeron;
        private int references;

        private Shared(final String directory, final MediaDriver driver, final Aeron aeron)
        {
            this.directory = directory;
            this.driver = driver;
            this.aeron = aeron;
        }

        static Shared start(final String directory, final boolean external)
        {
            MediaDriver driver = null;
            try
            {
                if (!external)
                {
                    driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                        .aeronDirectoryName(directory)
                        .threadingMode(ThreadingMode.SHARED)
                        .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, MAX_PARK_NS))
                        .termBufferSparseFile(true)
                        .dirDeleteOnStart(true)
                        .dirDeleteOnShutdown(true));
                }
                final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
                return new Shared(directory, driver, aeron);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(driver);
                throw new IllegalStateException("cannot " + (external ? "connect to the Aeron media driver in "
                    : "start the embedded Aeron media driver in ") + directory + ": " + ex.getMessage()
                    + (external ? " (is the external driver running?)" : " (is the directory writable?)"), ex);
            }
        }
    }
}
