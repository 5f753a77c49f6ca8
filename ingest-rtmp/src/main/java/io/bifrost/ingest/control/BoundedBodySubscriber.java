package io.bifrost.ingest.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array, failing (and cancelling the transfer) once it grows past a bound, so a
 * misbehaving control plane cannot make the ingest node allocate without limit. One instance per response.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]>
{
    private final int maxBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    /**
     * @param maxBytes the largest body accepted.
     */
    BoundedBodySubscriber(final int maxBytes)
    {
        this.maxBytes = maxBytes;
    }

    /**
     * @param maxBytes the largest body accepted.
     * @return a handler that gives each response its own bounded subscriber.
     */
    static HttpResponse.BodyHandler<byte[]> handler(final int maxBytes)
    {
        return info -> new BoundedBodySubscriber(maxBytes);
    }

    @Override
    public CompletionStage<byte[]> getBody()
    {
        return result;
    }

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> buffers)
    {
        if (result.isDone())
        {
            return;
        }
        for (final ByteBuffer buffer : buffers)
        {
            if (body.size() + buffer.remaining() > maxBytes)
            {
                subscription.cancel();
                result.completeExceptionally(new IOException("control plane response larger than " + maxBytes + " bytes"));
                return;
            }
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            body.writeBytes(bytes);
        }
    }

    @Override
    public void onError(final Throwable throwable)
    {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete()
    {
        result.complete(body.toByteArray());
    }
}
