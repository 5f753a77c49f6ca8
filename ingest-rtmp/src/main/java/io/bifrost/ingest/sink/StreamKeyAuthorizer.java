package io.bifrost.ingest.sink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a stream key may publish. Called once per publish command on the connection's event loop, so an
 * implementation must not block: one that asks a remote service (the control plane's key registry) returns a stage
 * that completes later, from any thread. The session reads no media while the answer is pending.
 *
 * <p>A stage that completes with {@code false} or exceptionally refuses the publish: the publisher gets
 * {@code onStatus NetStream.Publish.Denied} and is disconnected.
 */
@FunctionalInterface
public interface StreamKeyAuthorizer
{
    /**
     * @param request who asks to publish what.
     * @return true to accept the key.
     */
    CompletionStage<Boolean> authorize(PublishRequest request);

    /**
     * @return an authorizer that accepts every key (development and tests only).
     */
    static StreamKeyAuthorizer allowAll()
    {
        return request -> CompletableFuture.completedFuture(Boolean.TRUE);
    }
}
