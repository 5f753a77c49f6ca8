package io.bifrost.control.stream;

import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.H2TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository contract on the embedded H2 file database, the zero-configuration default.
 */
class H2StreamRepositoryTest extends StreamRepositoryContract
{
    @RegisterExtension
    final H2TestDatabase h2 = new H2TestDatabase();

    @Override
    StreamRepository repository()
    {
        return new JdbcStreamRepository(h2.database());
    }

    @Override
    void reopen()
    {
        h2.reopen();
    }

    @Test
    void shouldKeepTheDatabaseInOneFileInTheDataDirectory() throws Exception
    {
        try (var files = Files.list(h2.dataDir()))
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
        h2.database().close();

        assertThat(repository().unavailabilityReason()).contains("control plane store");
    }
}
