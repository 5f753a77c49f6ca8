package io.bifrost.control.stream;

import io.bifrost.control.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.sql.SQLException;

/**
 * The repository contract on PostgreSQL, the production store. Runs when {@code BIFROST_TEST_POSTGRES_URL} names a
 * database the test may create schemas in, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/bifrost?user=bifrost&password=secret}; each test gets its own schema
 * ({@link PostgresTestDatabase}: migrated by Flyway, dropped afterwards), so runs never see each other's rows.
 */
@EnabledIfEnvironmentVariable(named = "BIFROST_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+",
    disabledReason = "no PostgreSQL here: set BIFROST_TEST_POSTGRES_URL=jdbc:postgresql://host:port/db?user=..&password=.. " +
        "to run the repository contract against PostgreSQL")
class PostgresStreamRepositoryTest extends StreamRepositoryContract
{
    private PostgresTestDatabase postgres;

    @BeforeEach
    void open() throws SQLException
    {
        postgres = PostgresTestDatabase.create();
    }

    @AfterEach
    void close() throws SQLException
    {
        postgres.close();
    }

    @Override
    StreamRepository repository()
    {
        return new JdbcStreamRepository(postgres.database());
    }

    @Override
    void reopen()
    {
        postgres.reopen();
    }
}
