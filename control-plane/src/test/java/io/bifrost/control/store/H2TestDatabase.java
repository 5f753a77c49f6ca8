package io.bifrost.control.store;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One test's own embedded H2 file store, the zero-configuration default, for the contract tests (the H2 twin of
 * {@link PostgresTestDatabase}): register it with {@code @RegisterExtension} and each test gets a fresh data directory
 * with a migrated {@link ControlDatabase} in it, closed and deleted after the test (after the test's own
 * {@code @AfterEach} methods). Not thread-safe: one test thread opens, reopens and closes it.
 */
public final class H2TestDatabase implements BeforeEachCallback, AfterEachCallback
{
    private static final int POOL_SIZE = 4;

    private Path dataDir;
    private ControlDatabase database;

    @Override
    public void beforeEach(final ExtensionContext context) throws IOException
    {
        dataDir = Files.createTempDirectory("bifrost-h2-test");
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), POOL_SIZE);
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        database.close();
        try (Stream<Path> paths = Files.walk(dataDir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.delete(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    /** @return the store open in this test's data directory (a new one after each {@link #reopen()}). */
    public ControlDatabase database()
    {
        return database;
    }

    /** @return the data directory the database file lives in. */
    public Path dataDir()
    {
        return dataDir;
    }

    /** Closes the store and opens it again on the same file, as a restart of the control plane does. */
    public void reopen()
    {
        database.close();
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), POOL_SIZE);
    }
}
