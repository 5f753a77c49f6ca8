package io.bifrost.control.placement;

import java.util.concurrent.CompletableFuture;

/**
 * Where a VOD title's publication time comes from (the origin's catalog, {@link OriginCatalogLookup}). Asked by
 * {@link ContentAges} at most once per title and retry period, never on the placement loop's thread.
 */
@FunctionalInterface
public interface PublicationLookup
{
    /**
     * @param videoId a video id ({@code [A-Za-z0-9_-]{1,64}}).
     * @return completes with the publication time in epoch milliseconds, or -1 when the catalog has none (unknown,
     *         deleted or not yet published), or exceptionally when the catalog could not be asked; completes within
     *         the implementation's timeout.
     */
    CompletableFuture<Long> publishedAtMs(String videoId);
}
