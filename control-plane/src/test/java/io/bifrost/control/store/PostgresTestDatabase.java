package io.bifrost.control.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * One test's own PostgreSQL store for the contract tests that run against the production database: a fresh schema
 * with a random name in the database {@code BIFROST_TEST_POSTGRES_URL} names, a {@link ControlDatabase} on it (migrated
 * by Flyway), and on {@link #close()} the store closed and the schema dropped, so runs never see each other's rows.
 * The test classes skip themselves without that variable ({@code @EnabledIfEnvironmentVariable}), so
 * {@link #create()} is only called where it is set. Not thread-safe: one test thread opens, reopens and closes it.
 */
public final class PostgresTestDatabase implements AutoCloseable
{
    /** The environment variable that names the database, e.g. {@code jdbc:postgresql://host:5432/db?user=..}. */
    public static final String URL_VARIABLE = "BIFROST_TEST_POSTGRES_URL";

    private static final int POOL_SIZE = 4;

    private final String baseUrl;
    private final String schema;
    private ControlDatabase database;

    private PostgresTestDatabase(final String baseUrl, final String schema)
    {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /**
     * Creates a schema of its own in the database {@link #URL_VARIABLE} names and opens the store on it.
     *
     * @return the open store; close it after the test.
     * @throws SQLException when the schema cannot be created.
     */
    public static PostgresTestDatabase create() throws SQLException
    {
        final byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        final PostgresTestDatabase postgres = new PostgresTestDatabase(
            System.getenv(URL_VARIABLE), "bifrost_test_" + HexFormat.of().formatHex(random));
        postgres.execute("CREATE SCHEMA " + postgres.schema);
        postgres.database = ControlDatabase.open(postgres.schemaUrl(), POOL_SIZE);
        return postgres;
    }

    /** @return the store open on this test's schema (a new one after each {@link #reopen()}). */
    public ControlDatabase database()
    {
        return database;
    }

    /** Closes the store and opens it again on the same schema, as a restart of the control plane does. */
    public void reopen()
    {
        database.close();
        database = ControlDatabase.open(schemaUrl(), POOL_SIZE);
    }

    /**
     * Closes the store and drops this test's schema with everything in it.
     *
     * @throws SQLException when the schema cannot be dropped.
     */
    @Override
    public void close() throws SQLException
    {
        database.close();
        execute("DROP SCHEMA " + schema + " CASCADE");
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
