package io.bifrost.edge.live;

import io.bifrost.edge.cache.CacheHit;
import io.netty.util.concurrent.EventExecutor;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A live reply for tests that completes {@link #result} with what its request got: a hit as the test describes it,
 * {@code "STATUS code"} for a refusal, {@code "fallback"} when the request was handed back to the edge's cache path.
 * The hit and its content are released after {@link #describe}.
 */
abstract class RecordingLiveReply extends LiveReply
{
    final CompletableFuture<String> result = new CompletableFuture<>();

    RecordingLiveReply(final EventExecutor loop)
    {
        super(loop);
    }

    /**
     * @param hit  the answer, still holding its content.
     * @param body the content as ISO-8859-1 text.
     * @return how the test writes the answer down.
     */
    protected abstract String describe(CacheHit hit, String body);

    @Override
    protected final void onHit(final CacheHit hit)
    {
        final String described = describe(hit, hit.content().toString(StandardCharsets.ISO_8859_1));
        hit.content().release();
        hit.release();
        result.complete(described);
    }

    @Override
    protected final void onRefuse(final int status, final String code, final String message)
    {
        result.complete(status + " " + code);
    }

    @Override
    protected final void onFallBack()
    {
        result.complete("fallback");
    }
}
