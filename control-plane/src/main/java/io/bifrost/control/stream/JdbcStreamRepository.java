package io.bifrost.control.stream;

import io.bifrost.control.store.ControlDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StreamRepository} over JDBC, with SQL that runs unchanged on H2 and PostgreSQL (table {@code streams},
 * migration {@code V1__streams.sql}). Each method takes a pooled connection in auto-commit mode and runs one
 * statement, so every change is atomic. Thread-safe. Database failures surface as {@link IllegalStateException}.
 */
public final class JdbcStreamRepository implements StreamRepository
{
    private static final String COLUMNS = "stream_id, title, description, category_id, scheduled_start_ms, privacy, " +
        "status, key_sha256, key_prefix, passthrough, live_protocol, created_at_ms, updated_at_ms";
    private static final String NOT_REVOKED = " AND status <> 'revoked'";
    /** A live report starts a session unless the stream is live already (SET reads the row as it was). */
    private static final String LIVE_SINCE = ", live_since_ms = CASE WHEN status = 'live' THEN live_since_ms ELSE ? END";
    /** Ids per {@code IN (...)} query. */
    private static final int IDS_PER_QUERY = 100;

    private final ControlDatabase database;

    /**
     * @param database the migrated database (owned by the caller).
     */
    public JdbcStreamRepository(final ControlDatabase database)
    {
        this.database = database;
    }

    @Override
    public void insert(final StreamRecord stream)
    {
        final String sql = "INSERT INTO streams (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement insert = connection.prepareStatement(sql))
        {
            insert.setString(1, stream.streamId());
            insert.setString(2, stream.title());
            insert.setString(3, stream.description());
            setNullableInt(insert, 4, stream.categoryId());
            setNullableLong(insert, 5, stream.scheduledStart() == null ? null : stream.scheduledStart().toEpochMilli());
            insert.setString(6, stream.privacy().label());
            insert.setString(7, stream.status().label());
            insert.setString(8, stream.keySha256());
            insert.setString(9, stream.keyPrefix());
            insert.setBoolean(10, stream.passthrough());
            insert.setString(11, stream.liveProtocol() == null ? null : stream.liveProtocol().label());
            insert.setLong(12, stream.createdAt().toEpochMilli());
            insert.setLong(13, stream.updatedAt().toEpochMilli());
            insert.executeUpdate();
        }
        catch (final SQLIntegrityConstraintViolationException ex)
        {
            throw new IllegalStateException("stream " + stream.streamId() + " or its key already exists", ex);
        }
        catch (final SQLException ex)
        {
            if ("23505".equals(ex.getSQLState()))
            {
                throw new IllegalStateException("stream " + stream.streamId() + " or its key already exists", ex);
            }
            throw failure("insert stream", ex);
        }
    }

    @Override
    public Optional<StreamRecord> find(final String streamId)
    {
        return queryOne("SELECT " + COLUMNS + " FROM streams WHERE stream_id = ?", streamId);
    }

    @Override
    public Optional<StreamRecord> findByKeySha256(final String keySha256)
    {
        return queryOne("SELECT " + COLUMNS + " FROM streams WHERE key_sha256 = ?", keySha256);
    }

    @Override
    public List<StreamRecord> list(final StreamStatus status, final int limit, final int offset)
    {
        final String sql = "SELECT " + COLUMNS + " FROM streams" + (status == null ? "" : " WHERE status = ?") +
            " ORDER BY created_at_ms DESC, stream_id LIMIT ? OFFSET ?";
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement query = connection.prepareStatement(sql))
        {
            int index = 1;
            if (status != null)
            {
                query.setString(index++, status.label());
            }
            query.setInt(index++, limit);
            query.setInt(index, offset);
            final List<StreamRecord> streams = new ArrayList<>(Math.min(limit, 128));
            try (ResultSet rows = query.executeQuery())
            {
                while (rows.next())
                {
                    streams.add(read(rows));
                }
            }
            return streams;
        }
        catch (final SQLException ex)
        {
            throw failure("list streams", ex);
        }
    }

    @Override
    public boolean replaceKey(final String streamId, final String keySha256, final String keyPrefix, final Instant now)
    {
        return update("UPDATE streams SET key_sha256 = ?, key_prefix = ?, updated_at_ms = ? WHERE stream_id = ?" +
            NOT_REVOKED, keySha256, keyPrefix, now.toEpochMilli(), streamId);
    }

    @Override
    public boolean updateStatus(final String streamId, final StreamStatus status, final IngestProtocol protocol, final Instant now)
    {
        if (status != StreamStatus.LIVE && status != StreamStatus.OFFLINE)
        {
            throw new IllegalArgumentException("ingest reports only live or offline, not " + status);
        }
        final boolean live = status == StreamStatus.LIVE;
        final String liveSince = live ? LIVE_SINCE : "";
        if (protocol == null)
        {
            return live ?
                update("UPDATE streams SET status = ?, updated_at_ms = ?" + liveSince + " WHERE stream_id = ?" +
                    NOT_REVOKED, status.label(), now.toEpochMilli(), now.toEpochMilli(), streamId) :
                update("UPDATE streams SET status = ?, updated_at_ms = ? WHERE stream_id = ?" + NOT_REVOKED,
                    status.label(), now.toEpochMilli(), streamId);
        }
        return live ?
            update("UPDATE streams SET status = ?, live_protocol = ?, updated_at_ms = ?" + liveSince +
                " WHERE stream_id = ?" + NOT_REVOKED, status.label(), protocol.label(), now.toEpochMilli(),
                now.toEpochMilli(), streamId) :
            update("UPDATE streams SET status = ?, live_protocol = ?, updated_at_ms = ? WHERE stream_id = ?" +
                NOT_REVOKED, status.label(), protocol.label(), now.toEpochMilli(), streamId);
    }

    @Override
    public Map<String, Long> liveSince(final Collection<String> streamIds)
    {
        final List<String> ids = List.copyOf(streamIds);
        final Map<String, Long> since = new HashMap<>();
        try (Connection connection = database.dataSource().getConnection())
        {
            for (int start = 0; start < ids.size(); start += IDS_PER_QUERY)
            {
                final List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
                final String sql = "SELECT stream_id, live_since_ms FROM streams WHERE live_since_ms IS NOT NULL AND " +
                    "stream_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement query = connection.prepareStatement(sql))
                {
                    for (int i = 0; i < chunk.size(); i++)
                    {
                        query.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rows = query.executeQuery())
                    {
                        while (rows.next())
                        {
                            since.put(rows.getString(1), rows.getLong(2));
                        }
                    }
                }
            }
            return since;
        }
        catch (final SQLException ex)
        {
            throw failure("read live sessions", ex);
        }
    }

    @Override
    public boolean revoke(final String streamId, final Instant now)
    {
        return update("UPDATE streams SET status = 'revoked', updated_at_ms = ? WHERE stream_id = ?" + NOT_REVOKED,
            now.toEpochMilli(), streamId);
    }

    @Override
    public String unavailabilityReason()
    {
        return database.unavailabilityReason();
    }

    private Optional<StreamRecord> queryOne(final String sql, final String parameter)
    {
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement query = connection.prepareStatement(sql))
        {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery())
            {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("read stream", ex);
        }
    }

    private boolean update(final String sql, final Object... parameters)
    {
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement update = connection.prepareStatement(sql))
        {
            for (int i = 0; i < parameters.length; i++)
            {
                if (parameters[i] instanceof Long number)
                {
                    update.setLong(i + 1, number);
                }
                else
                {
                    update.setString(i + 1, (String)parameters[i]);
                }
            }
            return update.executeUpdate() > 0;
        }
        catch (final SQLException ex)
        {
            throw failure("update stream", ex);
        }
    }

    private static StreamRecord read(final ResultSet row) throws SQLException
    {
        final int category = row.getInt("category_id");
        final Integer categoryId = row.wasNull() ? null : category;
        final long scheduled = row.getLong("scheduled_start_ms");
        final Instant scheduledStart = row.wasNull() ? null : Instant.ofEpochMilli(scheduled);
        final String protocol = row.getString("live_protocol");
        return new StreamRecord(
            row.getString("stream_id"),
            row.getString("title"),
            row.getString("description"),
            categoryId,
            scheduledStart,
            Privacy.fromLabel(row.getString("privacy")),
            StreamStatus.fromLabel(row.getString("status")),
            row.getString("key_sha256"),
            row.getString("key_prefix"),
            row.getBoolean("passthrough"),
            protocol == null ? null : IngestProtocol.fromLabel(protocol),
            Instant.ofEpochMilli(row.getLong("created_at_ms")),
            Instant.ofEpochMilli(row.getLong("updated_at_ms")));
    }

    private static void setNullableInt(final PreparedStatement statement, final int index, final Integer value)
        throws SQLException
    {
        if (value == null)
        {
            statement.setNull(index, Types.INTEGER);
        }
        else
        {
            statement.setInt(index, value);
        }
    }

    private static void setNullableLong(final PreparedStatement statement, final int index, final Long value)
        throws SQLException
    {
        if (value == null)
        {
            statement.setNull(index, Types.BIGINT);
        }
        else
        {
            statement.setLong(index, value);
        }
    }

    private IllegalStateException failure(final String what, final SQLException ex)
    {
        return new IllegalStateException("control plane store " + database + ": cannot " + what + " (" +
            ex.getMessage() + ")", ex);
    }
}
