package io.bifrost.control.signing;

import io.bifrost.control.store.ControlDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The signing key repository contract on PostgreSQL, the production store. Runs when {@code BIFROST_TEST_POSTGRES_URL} names a
 * database the test may create schemas in, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/bifrost?user=bifrost&password=secret}; each test gets its own schema
 * (migrated by Flyway, dropped afterwards), so runs never see each other's rows.
 */
@EnabledIfEnvironmentVariable(named = "BIFROST_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+",
    disabledReason = "no PostgreSQL here: set BIFROST_TEST_POSTGRES_URL=jdbc:postgresql://host:port/db?user=..&password=.. " +
        "to run the signing key repository contract against PostgreSQL")
class PostgresSigningKeyRepositoryTest extends SigningKeyRepositoryContract
{
    private final String baseUrl = System.getenv("BIFROST_TEST_POSTGRES_URL");
    private String schema;
    private ControlDatabase database;

    @BeforeEach
    void open() throws SQLException
    {
        final byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        schema = "bifrost_test_" + HexFormat.of().formatHex(random);
        execute("CREATE SCHEMA " + schema);
        database = ControlDatabase.open(schemaUrl(), 4);
    }

    @AfterEach
    void close() throws SQLException
    {
        database.close();
        execute("DROP SCHEMA " + schema + " CASCADE");
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
        database = ControlDatabase.open(schemaUrl(), 4);
    }

    private String schemaUrl()
    {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private void execute(final String sql) throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(baseUrl); Statement statement = connection.createStatement())
        {
            statement.execute(sql);
        }
    }
}
