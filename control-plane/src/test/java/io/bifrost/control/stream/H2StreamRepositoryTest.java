package io.bifrost.control.stream;

import io.bifrost.control.store.ControlDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository contract on the embedded H2 file database, the zero-configuration default.
 */
class H2StreamRepositoryTest extends StreamRepositoryContract
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
    StreamRepository repository()
    {
        return new JdbcStreamRepository(database);
    }

    @Override
    void reopen()
    {
        database.close();
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dataDir), 4);
    }

    @Test
    void shouldKeepTheDatabaseInOneFileInTheDataDirectory() throws Exception
    {
        try (var files = Files.list(dataDir))
        {
            assertThat(files.map(path -> path.getFileName().toString())).contains("control.mv.db");
        }
    }

    @Test
    void shouldRefuseAJdbcUrlOfAnotherDatabase()
    {
        assertThatThrownBy(() -> ControlDatabase.open("jdbc:mysql://db/control", 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control.jdbc-url");
    }

    @Test
    void shouldReportAClosedStoreAsUnavailable()
    {
        database.close();

        assertThat(repository().unavailabilityReason()).contains("control plane store");
    }
}
