package io.bifrost.control.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The control plane's relational store: a bounded connection pool over an embedded H2 file database (default) or
 * PostgreSQL, migrated by Flyway from {@code db/migration} on the class path before anything uses it. Owns the pool;
 * {@link #close()} releases every connection (and so closes an embedded database, freeing its file lock).
 * Thread-safe.
 *
 * <p>JDBC URLs: {@code jdbc:h2:file:...} (or {@code jdbc:h2:mem:} for throwaway use) and
 * {@code jdbc:postgresql://host:port/db?user=..&password=..}; credentials travel in the URL's parameters.
 */
public final class ControlDatabase implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ControlDatabase.class);

    /** How long a caller waits for a free pooled connection. */
    private static final int CONNECTION_WAIT_SECONDS = 10;

    private final JdbcConnectionPool pool;
    private final String description;

    private ControlDatabase(final JdbcConnectionPool pool, final String description)
    {
        this.pool = pool;
        this.description = description;
    }

    /**
     * @param dataDir the control plane's data directory.
     * @return the URL of the embedded file database kept in it.
     */
    public static String embeddedUrl(final Path dataDir)
    {
        // DB_CLOSE_ON_EXIT=FALSE: the role closes the database itself, in order, on stop.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("control") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Open the pool and bring the schema up to date.
     *
     * @param jdbcUrl        an H2 or PostgreSQL JDBC URL.
     * @param maxConnections the pool's size.
     * @return the migrated database.
     * @throws IllegalArgumentException when the URL names another database.
     * @throws IllegalStateException    when the database cannot be reached or migrated.
     */
    public static ControlDatabase open(final String jdbcUrl, final int maxConnections)
    {
        final JdbcConnectionPool pool = JdbcConnectionPool.create(dataSource(jdbcUrl));
        pool.setMaxConnections(maxConnections);
        pool.setLoginTimeout(CONNECTION_WAIT_SECONDS);
        final String description = redact(jdbcUrl);
        try
        {
            final MigrateResult result = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
            LOG.info("control plane store {}: schema at version {} ({} migration(s) applied now)", description,
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
        }
        catch (final FlywayException ex)
        {
            pool.dispose();
            throw new IllegalStateException("control plane store " + description + " cannot be opened or migrated: " +
                ex.getMessage() + "; check control.jdbc-url and that no other process holds the database", ex);
        }
        return new ControlDatabase(pool, description);
    }

    private static ConnectionPoolDataSource dataSource(final String jdbcUrl)
    {
        if (jdbcUrl.startsWith("jdbc:h2:"))
        {
            final JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(jdbcUrl);
            h2.setUser("sa");
            h2.setPassword("");
            return h2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:"))
        {
            final PGConnectionPoolDataSource postgres = new PGConnectionPoolDataSource();
            postgres.setURL(jdbcUrl);
            return postgres;
        }
        throw new IllegalArgumentException("control.jdbc-url must start with jdbc:h2: or jdbc:postgresql:, got " +
            redact(jdbcUrl));
    }

    /**
     * @return the pooled data source; connections from it must be closed by whoever takes them.
     */
    public DataSource dataSource()
    {
        return pool;
    }

    /**
     * @return null when a connection can be taken and is valid, else why not.
     */
    public String unavailabilityReason()
    {
        try (Connection connection = pool.getConnection())
        {
            return connection.isValid(2) ? null : "control plane store " + description + " does not answer";
        }
        catch (final SQLException | IllegalStateException ex)
        {
            // IllegalStateException: the pool is closed (the role is stopping).
            return "control plane store " + description + " is unreachable: " + ex.getMessage();
        }
    }

    @Override
    public void close()
    {
        pool.dispose();
    }

    @Override
    public String toString()
    {
        return description;
    }

    /**
     * @param jdbcUrl a JDBC URL.
     * @return the URL without its query parameters and H2 settings (where passwords travel), for logs.
     */
    static String redact(final String jdbcUrl)
    {
        int end = jdbcUrl.length();
        for (final char separator : new char[] {'?', ';'})
        {
            final int at = jdbcUrl.indexOf(separator);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }
        return jdbcUrl.substring(0, end);
    }
}
