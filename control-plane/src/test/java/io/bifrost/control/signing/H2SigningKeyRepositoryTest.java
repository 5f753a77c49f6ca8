package io.bifrost.control.signing;

import io.bifrost.control.store.ControlDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The signing key repository contract on the embedded H2 file database, the zero-configuration default.
 */
class H2SigningKeyRepositoryTest extends SigningKeyRepositoryContract
{
    @TempDir
    Path dataDir;

    private ControlDatabase database;

    @BeforeEach
    void open()
    {
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), 4);
    }

    @AfterEach
    void close()
    {
        database.close();
    }

    @Override
    ControlDatabase database()
    {
        return database;
    }

    @Override
    void reopen()
    {
        database.close();
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), 4);
    }
}
