package io.bifrost.ingest.sink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Decides whether a stream key may publish, and for which stream id. Called once per publish on the connection's
 * event loop (or the SRT bridge's thread), so an implementation must not block: one that asks a remote service (the
 * control plane's key registry, {@code io.bifrost.ingest.control.ControlPlaneAuthorizer}) returns a stage that
 * completes later, from any thread. The session reads no media while the answer is pending.
 *
 * <p>A stage that completes with a refusal or exceptionally refuses the publish: the publisher gets
 * {@code onStatus NetStream.Publish.Denied} with the refusal's detail and is disconnected.
 */
@FunctionalInterface
public interface StreamKeyAuthorizer
{
    /**
     * @param request who asks to publish what.
     * @return the decision.
     */
    CompletionStage<StreamAuthorization> authorize(PublishRequest request);

    /**
     * @return an authorizer that accepts every key (development and tests only), with the key's derived stream id.
     */
    static StreamKeyAuthorizer allowAll()
    {
        return matching(request -> true);
    }

    /**
     * @param accepted which requests to accept; evaluated on the calling thread.
     * @return an authorizer that accepts matching keys with their derived stream id (tests).
     */
    static StreamKeyAuthorizer matching(final Predicate<PublishRequest> accepted)
    {
        return request -> CompletableFuture.completedFuture(accepted.test(request) ?
            StreamAuthorization.allow(StreamAuthorization.derivedStreamId(request.streamKey()), false) :
            StreamAuthorization.refuse("stream key refused"));
    }
}
