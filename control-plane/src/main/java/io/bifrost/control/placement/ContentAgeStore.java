package io.bifrost.control.placement;

import io.bifrost.control.store.ControlDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted part of content ages (table {@code content_ages}, migration {@code V2__content_ages.sql}): per content
 * the first time the placement loop saw it in telemetry and, once the origin's catalog told, a VOD title's publication
 * time. Rows are only ever added (first seen) or completed (published), so a restart, or several control planes on one
 * database, never make an old title young. SQL that runs unchanged on H2 and PostgreSQL; thread-safe; database
 * failures surface as {@link IllegalStateException}.
 */
public final class ContentAgeStore
{
    /** Ids per {@code IN (...)} query. */
    private static final int IDS_PER_QUERY = 100;
    /** Longest content id: {@code live/} + 64. */
    static final int MAX_CONTENT_ID_LENGTH = 70;

    private final ControlDatabase database;

    /**
     * What is stored about one content.
     *
     * @param firstSeenMs when the control plane first saw it, epoch milliseconds.
     * @param publishedMs when it was published (the origin's catalog), or -1 when not known.
     */
    public record Row(long firstSeenMs, long publishedMs)
    {
    }

    /**
     * @param database the migrated database (owned by the caller).
     */
    public ContentAgeStore(final ControlDatabase database)
    {
        this.database = database;
    }

    /**
     * Read the rows of these contents, first recording {@code nowMs} as the first sighting of every one that has none.
     * Two control planes racing to record one content both read back the row that won.
     *
     * @param contentIds content ids (each at most 70 characters; longer ones are left out).
     * @param nowMs      now, epoch milliseconds.
     * @return a row per content id.
     */
    public Map<String, Row> firstSeen(final Collection<String> contentIds, final long nowMs)
    {
        final List<String> ids = contentIds.stream().filter(id -> id.length() <= MAX_CONTENT_ID_LENGTH).distinct().toList();
        try (Connection connection = database.dataSource().getConnection())
        {
            final Map<String, Row> rows = read(connection, ids);
            if (rows.size() < ids.size())
            {
                try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO content_ages (content_id, first_seen_ms) VALUES (?, ?)"))
                {
                    for (final String id : ids)
                    {
                        if (!rows.containsKey(id))
                        {
                            insert.setString(1, id);
                            insert.setLong(2, nowMs);
                            try
                            {
                                insert.executeUpdate();
                            }
                            catch (final SQLException ex)
                            {
                                // 23505: unique violation (both databases)
                                if (!"23505".equals(ex.getSQLState()))
                                {
                                    throw ex;
                                }
                                // another control plane recorded it first: its row is read back below
                            }
                        }
                    }
                }
                rows.putAll(read(connection, ids.stream().filter(id -> !rows.containsKey(id)).toList()));
            }
            return rows;
        }
        catch (final SQLException ex)
        {
            throw failure("record first sightings", ex);
        }
    }

    /**
     * Record a content's publication time (kept from then on).
     *
     * @param contentId   the content (already recorded by {@link #firstSeen}).
     * @param publishedMs epoch milliseconds.
     */
    public void published(final String contentId, final long publishedMs)
    {
        try (Connection connection = database.dataSource().getConnection();
            PreparedStatement update = connection.prepareStatement(
                "UPDATE content_ages SET published_ms = ? WHERE content_id = ?"))
        {
            update.setLong(1, publishedMs);
            update.setString(2, contentId);
            update.executeUpdate();
        }
        catch (final SQLException ex)
        {
            throw failure("record a publication time", ex);
        }
    }

    private static Map<String, Row> read(final Connection connection, final List<String> ids) throws SQLException
    {
        final Map<String, Row> rows = new HashMap<>();
        for (int start = 0; start < ids.size(); start += IDS_PER_QUERY)
        {
            final List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
            try (PreparedStatement query = connection.prepareStatement("SELECT content_id, first_seen_ms, published_ms " +
                "FROM content_ages WHERE content_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")"))
            {
                for (int i = 0; i < chunk.size(); i++)
                {
                    query.setString(i + 1, chunk.get(i));
                }
                try (ResultSet result = query.executeQuery())
                {
                    while (result.next())
                    {
                        final String contentId = result.getString(1);
                        final long firstSeen = result.getLong(2);
                        final long published = result.getLong(3);
                        rows.put(contentId, new Row(firstSeen, result.wasNull() ? -1 : published));
                    }
                }
            }
        }
        return rows;
    }

    private IllegalStateException failure(final String what, final SQLException ex)
    {
        return new IllegalStateException("control plane store " + database + ": cannot " + what + " (" +
            ex.getMessage() + ")", ex);
    }
}
