package io.bifrost.control.signing;

import io.bifrost.control.store.ControlDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link SigningKeyRepository} over JDBC (table {@code signing_keys}, migration {@code V3__signing_keys.sql}), with SQL
 * that runs unchanged on H2 and PostgreSQL. Changes of state run in one transaction each: demoting the current key and
 * promoting another happen together or not at all. Thread-safe (one pooled connection per call).
 */
public final class JdbcSigningKeyRepository implements SigningKeyRepository
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String COLUMNS = "key_id, secret, created_at_ms, state, retired_at_ms";

    private final ControlDatabase database;

    /**
     * @param database the migrated database (owned by the caller).
     */
    public JdbcSigningKeyRepository(final ControlDatabase database)
    {
        this.database = database;
    }

    @Override
    public List<StoredSigningKey> list()
    {
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at_ms, key_id");
            ResultSet result = query.executeQuery())
        {
            final List<StoredSigningKey> keys = new ArrayList<>();
            while (result.next())
            {
                keys.add(row(result));
            }
            return keys;
        }
        catch (final SQLException ex)
        {
            throw failure("list signing keys", ex);
        }
    }

    @Override
    public boolean insert(final StoredSigningKey key)
    {
        if (key.state() == SigningKeyState.RETIRED)
        {
            throw new IllegalArgumentException("a new signing key is current or accepted, not retired");
        }
        try (Connection connection = database.dataSource().getConnection())
        {
            return inTransaction(connection, () ->
            {
                if (find(connection, key.keyId()) != null)
                {
                    return false;
                }
                if (key.state() == SigningKeyState.CURRENT)
                {
                    demoteCurrent(connection);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, NULL)"))
                {
                    insert.setString(1, key.keyId());
                    insert.setString(2, ENCODER.encodeToString(key.secret()));
                    insert.setLong(3, key.createdAtMs());
                    insert.setString(4, key.state().wireName());
                    insert.executeUpdate();
                }
                return true;
            });
        }
        catch (final SQLException ex)
        {
            // 23505: unique violation (both databases): another control plane stored the same id first
            if ("23505".equals(ex.getSQLState()))
            {
                return false;
            }
            throw failure("store a signing key", ex);
        }
    }

    @Override
    public SigningKeyState makeCurrent(final String keyId)
    {
        try (Connection connection = database.dataSource().getConnection())
        {
            return inTransaction(connection, () ->
            {
                final StoredSigningKey key = find(connection, keyId);
                if (key == null || key.state() == SigningKeyState.CURRENT)
                {
                    return key == null ? null : key.state();
                }
                if (key.state() == SigningKeyState.RETIRED)
                {
                    throw new IllegalArgumentException("signing key " + keyId + " is retired and never signs again");
                }
                demoteCurrent(connection);
                try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE signing_keys SET state = 'current' WHERE key_id = ? AND state = 'accepted'"))
                {
                    update.setString(1, keyId);
                    update.executeUpdate();
                }
                return key.state();
            });
        }
        catch (final SQLException ex)
        {
            throw failure("make a signing key current", ex);
        }
    }

    @Override
    public StoredSigningKey retire(final String keyId, final long nowMs)
    {
        try (Connection connection = database.dataSource().getConnection())
        {
            return inTransaction(connection, () ->
            {
                final StoredSigningKey key = find(connection, keyId);
                if (key == null || key.state() == SigningKeyState.RETIRED)
                {
                    return key;
                }
                if (key.state() == SigningKeyState.CURRENT)
                {
                    throw new IllegalArgumentException("signing key " + keyId + " is current: make another key " +
                        "current first");
                }
                try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE signing_keys SET state = 'retired', retired_at_ms = ? WHERE key_id = ? AND state = 'accepted'"))
                {
                    update.setLong(1, nowMs);
                    update.setString(2, keyId);
                    update.executeUpdate();
                }
                return find(connection, keyId);
            });
        }
        catch (final SQLException ex)
        {
            throw failure("retire a signing key", ex);
        }
    }

    @FunctionalInterface
    private interface Work<T>
    {
        T run() throws SQLException;
    }

    private static <T> T inTransaction(final Connection connection, final Work<T> work) throws SQLException
    {
        final boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try
        {
            final T result = work.run();
            connection.commit();
            return result;
        }
        catch (final SQLException | RuntimeException ex)
        {
            connection.rollback();
            throw ex;
        }
        finally
        {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void demoteCurrent(final Connection connection) throws SQLException
    {
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE signing_keys SET state = 'accepted' WHERE state = 'current'"))
        {
            update.executeUpdate();
        }
    }

    private static StoredSigningKey find(final Connection connection, final String keyId) throws SQLException
    {
        // FOR UPDATE: two control planes changing one key's state take turns (both databases support it).
        try (PreparedStatement query = connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM signing_keys WHERE key_id = ? FOR UPDATE"))
        {
            query.setString(1, keyId);
            try (ResultSet result = query.executeQuery())
            {
                return result.next() ? row(result) : null;
            }
        }
    }

    private static StoredSigningKey row(final ResultSet result) throws SQLException
    {
        final long retiredAt = result.getLong(5);
        final long retiredAtMs = result.wasNull() ? -1 : retiredAt;
        return new StoredSigningKey(result.getString(1), DECODER.decode(result.getString(2)), result.getLong(3),
            SigningKeyState.fromWireName(result.getString(4)), retiredAtMs);
    }

    private IllegalStateException failure(final String what, final SQLException ex)
    {
        return new IllegalStateException("control plane store " + database + ": cannot " + what + " (" +
            ex.getMessage() + ")", ex);
    }
}
