package io.bifrost.control;

import io.bifrost.control.signing.JdbcSigningKeyRepository;
import io.bifrost.control.signing.SigningKeys;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.bifrost.protocol.node.Readiness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;

/**
 * The control plane's persisted state: where its database is ({@code control.jdbc-url}, or the embedded file database
 * in {@code control.data-dir}) and the registries kept in it (live streams and their keys, playback URL signing keys).
 *
 * <p>Stateless and thread-safe: the factories run once on the launching thread; {@link #readiness} runs on API
 * workers ({@code /readyz}) and wherever the role's readiness is asked. The database {@link #open} opens is owned by
 * the caller, who closes it after everything that uses it (the HTTP server, the Aeron agent's database thread).
 */
final class ControlStore
{
    private ControlStore()
    {
    }

    /**
     * Open and migrate the database, with a connection for every API and key-check worker and two more (the Aeron
     * side's database thread, and one spare).
     *
     * @param context concluded settings.
     * @return the open database; the caller owns it.
     * @throws UncheckedIOException when the embedded database's data directory cannot be created.
     * @throws IllegalStateException when the database cannot be opened or migrated.
     */
    static ControlDatabase open(final ControlPlane.Context context)
    {
        final String jdbcUrl;
        if (context.jdbcUrl() == null)
        {
            try
            {
                Files.createDirectories(context.dataDir());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("control plane cannot create its data directory " + context.dataDir(), ex);
            }
            jdbcUrl = ControlDatabase.embeddedUrl(context.dataDir());
        }
        else
        {
            jdbcUrl = context.jdbcUrl();
        }
        return ControlDatabase.open(jdbcUrl, context.apiThreads() + context.keyCheckThreads() + 2);
    }

    /**
     * @param context  concluded settings.
     * @param database where live streams are kept.
     * @return the stream registry, with fresh stream keys from a {@link SecureRandom}.
     */
    static StreamRegistry streams(final ControlPlane.Context context, final ControlDatabase database)
    {
        return new StreamRegistry(new JdbcStreamRepository(database), new StreamKeys(new SecureRandom()), context.clock(),
            context.meterRegistry());
    }

    /**
     * @param context  concluded settings.
     * @param database where API signing keys are kept.
     * @return the configured and stored playback URL signing keys.
     */
    static SigningKeys signingKeys(final ControlPlane.Context context, final ControlDatabase database)
    {
        return new SigningKeys(context.signingKeys(), new JdbcSigningKeyRepository(database), context.clock(),
            context.playbackUrlMaxTtl().toMillis(), new SecureRandom());
    }

    /**
     * @param registry the stream registry.
     * @return up, or not ready with the reason the registry's database is unavailable ({@code /readyz}).
     */
    static Readiness readiness(final StreamRegistry registry)
    {
        final String reason = registry.unavailabilityReason();
        return reason == null ? Readiness.up() : Readiness.notReady(reason);
    }
}
